import { channel } from 'node:diagnostics_channel';
import ccxt from 'ccxt';
import type { Logger } from '../logger.js';
import { VenueAuthenticationError, VenueUnavailable } from '../broker/broker.js';

export interface RetrySettings {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8_000 };

/** A failed call (`kind`: the error's class, e.g. RequestTimeout) or the first success after failures. */
export type ExchangeHealthEvent =
  | { readonly type: 'failure'; readonly source: string; readonly what: string; readonly kind: string; readonly failures: number }
  | { readonly type: 'recovered'; readonly source: string; readonly after_failures: number };

/**
 * Every exchange call's failures and recoveries, published for monitoring (src/monitor subscribes);
 * costs nothing while nobody listens.
 */
export const exchangeHealth = channel('quantum-trader:exchange-health');

/** The exchange could not be reached after every retry; whether a write arrived is not known. */
export class ExchangeUnavailable extends VenueUnavailable {
  constructor(what: string, cause: unknown) {
    super(`${what}: exchange unavailable after retries (${(cause as Error).message})`);
    this.name = 'ExchangeUnavailable';
  }
}

/**
 * ccxt's OperationFailed covers network errors, timeouts, rate limits, outages and the exchange's own
 * "internal error, try again" answers: everything that may succeed when repeated. InvalidNonce is
 * Binance's -1021 (timestamp outside the recvWindow): the request was refused unprocessed, and the clock
 * offset is measured again before the next try.
 */
export function isTransient(error: unknown): boolean {
  return error instanceof ccxt.OperationFailed || error instanceof ccxt.InvalidNonce;
}

export interface WriteCheck<T> {
  /** The write as the exchange has it now, or undefined when the exchange has no such order. */
  readonly lookup: () => Promise<T | undefined>;
  /** The exchange's clock, to tell when an unanswered request can no longer arrive. */
  readonly serverNow: () => number;
  /**
   * Binance refuses a signed request that reaches it more than recvWindow after it was signed. Only once
   * that time has passed does "no such order" prove an unanswered write never arrived and can be sent again.
   */
  readonly recvWindowMs: number;
}

/**
 * Calls to one exchange, retried with exponential backoff and full jitter (at least a second after a
 * rate limit), counting consecutive failures for the circuit that halts new entries.
 */
export class ExchangeCalls {
  /** Consecutive failed calls (reset by any success). */
  failures = 0;

  constructor(
    private readonly name: string,
    private readonly retry: RetrySettings,
    private readonly logger: Logger,
    /** Measures the clock offset again (after a -1021). */
    private readonly resync: () => Promise<void>,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** A read, or a write that is harmless to repeat (leverage, margin mode, a cancel). `attempt` starts at 1. */
  async read<T>(what: string, body: (attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return this.succeeded(await body(attempt));
      } catch (error) {
        await this.failed(what, error, attempt);
      }
    }
  }

  /**
   * A write that must not happen twice (an order). After a failure whose outcome is unknown (timeout,
   * 5xx, lost answer) the order is looked up by its client id; it is sent again only when the exchange
   * provably does not have it: looked up after the request's recvWindow has passed. A lookup that fails
   * is retried, never taken for "not there".
   */
  async write<T>(what: string, body: () => Promise<T>, check: WriteCheck<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const signedAt = check.serverNow();
      try {
        return this.succeeded(await body());
      } catch (error) {
        await this.failed(what, error, attempt);
        if (refusedUnprocessed(error)) continue; // nothing to look for: send again
        const found = await this.confirm(what, check, signedAt, attempt);
        if (found !== undefined) return this.succeeded(found);
      }
    }
  }

  private async confirm<T>(what: string, check: WriteCheck<T>, signedAt: number, attempt: number): Promise<T | undefined> {
    for (let tries = attempt; ; tries++) {
      try {
        const found = await check.lookup();
        if (found !== undefined) return found;
        const wait = signedAt + check.recvWindowMs + 250 - check.serverNow();
        if (wait <= 0) return undefined;
        this.logger.warn({ wait_ms: Math.round(wait) }, `${what}: not at the exchange yet; waiting until the request's recvWindow has passed before sending it again`);
        await this.sleep(wait);
      } catch (error) {
        await this.failed(`${what} (looking it up)`, error, tries);
      }
    }
  }

  private succeeded<T>(result: T): T {
    if (this.failures > 0) {
      this.logger.info({ after_failures: this.failures }, `${this.name}: exchange answering again`);
      if (exchangeHealth.hasSubscribers) exchangeHealth.publish({ type: 'recovered', source: this.name, after_failures: this.failures } satisfies ExchangeHealthEvent);
    }
    this.failures = 0;
    return result;
  }

  /** Rethrows what is not worth retrying, ExchangeUnavailable after the last attempt; else waits. */
  private async failed(what: string, error: unknown, attempt: number): Promise<void> {
    if (!isTransient(error)) {
      if (error instanceof ccxt.AuthenticationError) {
        throw new VenueAuthenticationError(`${this.name}: ${what}: the exchange refused the API key (${clean(error)}); check QT_EXCHANGE_API_KEY / QT_EXCHANGE_API_SECRET and the key's permissions`);
      }
      throw error;
    }
    this.failures++;
    if (exchangeHealth.hasSubscribers) exchangeHealth.publish({ type: 'failure', source: this.name, what, kind: (error as Error).constructor.name, failures: this.failures } satisfies ExchangeHealthEvent);
    const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    const wait = error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection ? Math.max(backoff, 1000) : backoff;
    this.logger.warn({ attempt, of: this.retry.attempts, wait_ms: Math.round(wait), error: (error as Error).constructor.name }, `${what}: ${clean(error).slice(0, 200)}`);
    if (attempt >= this.retry.attempts) throw new ExchangeUnavailable(what, error);
    if (error instanceof ccxt.InvalidNonce) await this.resync().catch(() => undefined);
    await this.sleep(wait);
  }
}

/**
 * Failures Binance documents as "the request was not processed": a rate limit (429/418), a -1021
 * timestamp refusal, and -1001 "Internal error; unable to process your request". Anything else (a
 * timeout, -1007 "execution status unknown", a 5xx without a code) may have been carried out.
 */
function refusedUnprocessed(error: unknown): boolean {
  if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection || error instanceof ccxt.InvalidNonce) return true;
  return /"code":\s*-1001\b/.test((error as Error).message);
}

export function clean(error: unknown): string {
  return (error as Error).message.replace(/^binanceusdm\s*/, '');
}
