/**
 * A problem found in a user-edited file (YAML rules, profiles, state input). Every user-caused error in
 * the system is reported through this shape so the CLI, the linter and the hot reloader all print the
 * same `file:line:column rule-name message` line.
 */
export type Severity = 'error' | 'warning';

export interface Problem {
  readonly file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  readonly line: number;
  /** 1-based; 0 when the problem concerns the whole file. */
  readonly column: number;
  /** Name of the rule (or profile) the problem belongs to; '-' when none. */
  readonly rule: string;
  readonly severity: Severity;
  /** Stable identifier of the check that found it, e.g. `schema`, `unknown-fact`, `never-fires`. */
  readonly check: string;
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  const tag = p.severity === 'warning' ? 'warning: ' : '';
  return `${where} ${p.rule} ${tag}${p.message}`;
}

export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message),
  );
}

/** Thrown when user input (a file, a state, a flag) is unusable. Carries the problems for reporting. */
export class InputError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[] | string) {
    const list: Problem[] =
      typeof problems === 'string'
        ? [{ file: '-', line: 0, column: 0, rule: '-', severity: 'error', check: 'input', message: problems }]
        : [...problems];
    super(list.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = list;
  }
}
