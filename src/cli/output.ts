import { formatProblem, InputError, type Problem } from '../config/problem.js';
import { VenueAuthenticationError, VenueConfigurationError } from '../broker/broker.js';
import { CandleFileError } from '../market/candles/index.js';
import { EXIT } from './exit-codes.js';

/** Where a command writes; the real process streams in production, buffers in tests. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** The rule set could not be loaded; carries the lint problems that prevented it. */
export class RuleSetError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(`the rule set has ${problems.length} problem(s)`);
    this.name = 'RuleSetError';
    this.problems = problems;
  }
}

/**
 * Runs a command body and maps failures to one-line messages and exit codes: problems in the user's
 * files or input never print a stack trace (unless --debug); a bug does, with --debug.
 */
export async function guarded(output: Output, debug: boolean, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof RuleSetError) {
      for (const p of error.problems.filter((p) => p.severity === 'error')) output.err(formatProblem(p));
      output.err(`error: the rule set is invalid; run \`quantum-trader lint\` for details`);
      if (debug) output.err(error.stack ?? '');
      return EXIT.PROBLEMS;
    }
    if (error instanceof InputError) {
      for (const p of error.problems) output.err(`error: ${formatProblem(p).replace(/^- - /, '')}`);
      if (debug) output.err(error.stack ?? '');
      return EXIT.INPUT;
    }
    if (error instanceof CandleFileError || error instanceof VenueAuthenticationError || error instanceof VenueConfigurationError) {
      output.err(`error: ${error.message}`);
      if (debug) output.err(error.stack ?? '');
      return EXIT.INPUT;
    }
    const message = error instanceof Error ? error.message : String(error);
    output.err(`internal error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}`);
    if (debug && error instanceof Error) output.err(error.stack ?? '');
    return EXIT.INTERNAL;
  }
}
