import { VenueUnavailable } from '../broker/broker.js';
import { isTransient } from '../exchange/exchange-calls.js';
import type { Logger } from '../logger.js';

export interface Backoff {
  readonly base_delay_ms: number;
  readonly max_delay_ms: number;
}

/** A start-up step that is not finished yet (e.g. reconciliation waiting for the exchange to confirm). */
class NotYet extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotYet';
  }
}

/**
 * The daemon's start-up steps, each retried with bounded backoff until it succeeds, the session is
 * stopped (SIGINT/SIGTERM at any moment), or it fails for a reason waiting cannot fix (bad symbol, keys
 * refused, hedge mode: thrown to the caller). Every wait says what it is waiting for.
 */
export class StartUp {
  static readonly NotYet = NotYet;
  private stopped = false;

  constructor(
    private readonly stop: Promise<void>,
    private readonly logger: Logger,
    private readonly backoff: Backoff,
  ) {
    void stop.then(() => (this.stopped = true));
  }

  /** The step's result, or undefined when the session was stopped first. */
  async attempt<T>(what: string, step: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        const result = await step();
        if (attempt > 1) this.logger.info({ attempts: attempt }, `start-up: ${what}: done`);
        return this.stopped ? undefined : result;
      } catch (error) {
        if (!waitingHelps(error)) throw error;
        const wait = Math.min(this.backoff.max_delay_ms, this.backoff.base_delay_ms * 2 ** (attempt - 1));
        this.logger.warn({ attempt, wait_ms: wait, error: (error as Error).name }, `start-up: waiting for the exchange: ${what}: ${(error as Error).message.slice(0, 300)}; trying again in ${(wait / 1000).toFixed(1)} s`);
        await Promise.race([new Promise((resolve) => setTimeout(resolve, wait)), this.stop]);
      }
    }
    return undefined;
  }

  /** Logs that start-up ended because the session was stopped. */
  abandoned(): void {
    this.logger.info('stopped during start-up; nothing was traded after the last commit');
  }
}

/** Faults of the network or of the exchange's availability: worth waiting for. */
export function waitingHelps(error: unknown): boolean {
  return error instanceof NotYet || error instanceof VenueUnavailable || isTransient(error) || (error instanceof TypeError && /fetch failed/i.test(error.message));
}
