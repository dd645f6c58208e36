import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { exchangeHealth, type ExchangeHealthEvent } from '../exchange/exchange-calls.js';

/** What the status page shows about the exchange. */
export interface ExchangeStatus {
  /** `out` while any source's consecutive failures are at the circuit's threshold. */
  readonly state: 'up' | 'out';
  readonly sources: readonly { readonly name: string; readonly failures: number; readonly last_error?: { readonly kind: string; readonly what: string; readonly at: number } }[];
  /** Failed calls (every retry) by error kind since the daemon started. */
  readonly errors: Readonly<Record<string, number>>;
  readonly outages: number;
  readonly out_since?: number;
  readonly last_recovery?: { readonly at: number; readonly after_ms: number };
}

export interface ExchangeListener {
  error(source: string, kind: string): void;
  outage(source: string, failures: number, what: string): void;
  recovered(outageMs: number): void;
}

/**
 * Follows the exchange calls of this process (market data and orders, each with its own counter of
 * consecutive failures, see ExchangeCalls): an outage begins when one source's failures reach the
 * circuit threshold (`exchange.circuit_failures`, when new entries stop) and ends when every source
 * answers again.
 */
export class ExchangeWatch {
  private readonly sources = new Map<string, { failures: number; last_error?: { kind: string; what: string; at: number } }>();
  private readonly errors: Record<string, number> = {};
  private outages = 0;
  private outSince: number | undefined;
  private lastRecovery: { at: number; after_ms: number } | undefined;
  private readonly onEvent = (message: unknown) => this.take(message as ExchangeHealthEvent);

  constructor(
    private readonly threshold: number,
    private readonly listener: ExchangeListener,
  ) {
    subscribe(exchangeHealth.name, this.onEvent);
  }

  close(): void {
    unsubscribe(exchangeHealth.name, this.onEvent);
  }

  status(): ExchangeStatus {
    return {
      state: this.outSince === undefined ? 'up' : 'out',
      sources: [...this.sources].map(([name, s]) => ({ name, ...s })),
      errors: { ...this.errors },
      outages: this.outages,
      ...(this.outSince === undefined ? {} : { out_since: this.outSince }),
      ...(this.lastRecovery === undefined ? {} : { last_recovery: this.lastRecovery }),
    };
  }

  private take(event: ExchangeHealthEvent): void {
    const now = Date.now();
    const source = this.sources.get(event.source) ?? { failures: 0 };
    this.sources.set(event.source, source);
    if (event.type === 'failure') {
      source.failures = event.failures;
      source.last_error = { kind: event.kind, what: event.what, at: now };
      this.errors[event.kind] = (this.errors[event.kind] ?? 0) + 1;
      this.listener.error(event.source, event.kind);
      if (this.outSince === undefined && event.failures >= this.threshold) {
        this.outSince = now;
        this.outages++;
        this.listener.outage(event.source, event.failures, event.what);
      }
      return;
    }
    source.failures = 0;
    if (this.outSince !== undefined && [...this.sources.values()].every((s) => s.failures < this.threshold)) {
      this.lastRecovery = { at: now, after_ms: now - this.outSince };
      this.outSince = undefined;
      this.listener.recovered(this.lastRecovery.after_ms);
    }
  }
}
