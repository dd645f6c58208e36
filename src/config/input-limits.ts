/**
 * Limits of the one reader every user-edited YAML (and JSON) file goes through: rules, profiles, state
 * files, backtest and strategy configuration. They protect the process, not a trading decision: a rule
 * file is a few kilobytes and a few levels deep, so anything far beyond that is a mistake or an attack
 * (a YAML "billion laughs", a FIFO named like a rule file) and is refused with a positioned problem
 * instead of hanging, exhausting memory or ending a running daemon.
 */
export interface InputLimits {
  /** Largest file read, in bytes. */
  readonly maxBytes: number;
  /** Deepest nesting of mappings and lists (the top level is depth 1). */
  readonly maxDepth: number;
  /** Most aliases (`*name`) in one file. */
  readonly maxAliases: number;
  /** Most values the document may hold once every alias is expanded (guards against alias bombs). */
  readonly maxExpandedValues: number;
  /** Most problems reported for one file (a binary file would otherwise give thousands). */
  readonly maxProblems: number;
  /** Most files and folders looked at under the rules and profiles folders (`--rules /` would walk the disk). */
  readonly maxEntries: number;
}

export const INPUT_LIMITS: InputLimits = {
  // The shipped files are a few KiB; parsing 256 KiB of hostile YAML takes well under a second.
  maxBytes: 256 * 1024,
  maxDepth: 64,
  maxAliases: 100,
  maxExpandedValues: 100_000,
  maxProblems: 20,
  maxEntries: 5000,
};

export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}
