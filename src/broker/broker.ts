import type { MarketRules, Order, OrderPurpose, OrderSide } from './model.js';

/** What the executor asks a broker to do. The broker answers with the Order as it now stands. */
export interface OrderRequest {
  /** Idempotency key: submitting the same client_id again returns the existing order, never a second one. */
  readonly client_id: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: Order['type'];
  readonly purpose: OrderPurpose;
  readonly quantity: number;
  /** Required for stop-market and take-profit-market. */
  readonly trigger_price?: number;
  readonly reduce_only: boolean;
  readonly position_id: string;
  /** The price the caller expects (last close), for slippage accounting. */
  readonly expected_price: number;
  readonly time: number;
}

/**
 * A venue: the paper broker (fills simulated against candles) or an exchange through ccxt. The executor
 * drives both the same way; protective orders (stop-loss, take-profits) rest at the venue, and a
 * trailing stop is moved by cancel/replace, as on the exchange.
 */
export interface Broker {
  readonly name: string;
  marketRules(symbol: string): MarketRules;
  /** Market orders fill now (or are rejected); conditional orders rest until triggered or cancelled. */
  submit(request: OrderRequest): Promise<Order>;
  /** Cancels a resting order; returns it as cancelled, or undefined when it is no longer open. */
  cancel(clientId: string, symbol: string, time: number): Promise<Order | undefined>;
  openOrders(symbol?: string): Promise<readonly Order[]>;
  /** An order by its client id, in any status; undefined when the venue never saw it. */
  order(clientId: string, symbol: string): Promise<Order | undefined>;
  /** Cash balance with realised PnL and fees (equity is this plus unrealised PnL). */
  balance(): Promise<number>;
  /** Net open position per symbol as the venue sees it (one-way mode: one position per symbol). */
  positions(): Promise<readonly VenuePosition[]>;
  /** Why new entries must wait (e.g. the exchange keeps failing), or undefined; absent: never halted. */
  halted?(): string | undefined;
  /** Best bid and ask now, for the spread the cost rules judge; undefined when unknown; absent: no quotes. */
  quote?(symbol: string): Promise<{ readonly bid: number; readonly ask: number } | undefined>;
  /** Expected adverse move of a market entry from the last close (half spread + slippage), a fraction; absent: measured costs only. */
  expectedEntryCost?(symbol: string): number;
}

/** A venue's view of a position: signed quantity (negative = short) and average entry price. */
export interface VenuePosition {
  readonly symbol: string;
  readonly quantity: number;
  readonly entry_price: number;
}

/** Raised by a broker for an order the venue refuses (insufficient funds, invalid quantity …). */
export class OrderRejected extends Error {
  constructor(
    readonly clientId: string,
    readonly reason: string,
  ) {
    super(`order ${clientId} rejected: ${reason}`);
    this.name = 'OrderRejected';
  }
}

/**
 * The venue could not be reached even after retries. Nothing is known to have happened: the executor
 * records the failure and carries on with the rest of the cycle; the next cycle tries again.
 */
export class VenueUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VenueUnavailable';
  }
}

/** The venue refused our credentials: a configuration problem for the operator, never retried. */
export class VenueAuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VenueAuthenticationError';
  }
}
