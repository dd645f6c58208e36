import type { MarketRules, Order, OrderPurpose, OrderSide } from './model.js';

/** What the executor asks a broker to do. The broker answers with the order as it now stands. */
export interface OrderRequest {
  /**
   * Chosen by the executor and never reused. It is what finds the order again after a lost answer or a
   * restart; it does NOT stop a second order by itself: an exchange refuses a client id only while an
   * order with it is open, so a filled market order's id sent again fills again.
   */
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
  submit(request: OrderRequest): Promise<VenueOrder>;
  /**
   * Cancels a resting order; returns it as it now stands (cancelled, or filled when it filled first), or
   * undefined when it is no longer open and the venue cannot say more.
   */
  cancel(clientId: string, symbol: string, time: number, conditional?: boolean): Promise<VenueOrder | undefined>;
  /**
   * Resting orders of the symbols traded (or of one symbol), ours and any placed by hand; only the
   * conditional ones (stops, take-profits) with `conditionalOnly`, which a venue may answer more cheaply.
   */
  openOrders(symbol?: string, conditionalOnly?: boolean): Promise<readonly VenueOrder[]>;
  /**
   * An order by its client id, in any status; undefined when the venue never saw it. `conditional` says
   * where to look on a venue that keeps conditional orders apart (Binance's algo orders).
   */
  order(clientId: string, symbol: string, conditional?: boolean): Promise<VenueOrder | undefined>;
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

/**
 * An order as the venue reports it. The executor's own record (Order) adds what the order is for; a
 * venue that only knows the client id (an exchange after a restart) cannot tell that.
 */
export type VenueOrder = Omit<Order, 'purpose' | 'position_id' | 'created_at'> & Partial<Pick<Order, 'purpose' | 'position_id' | 'created_at'>>;

/** A venue's view of a position: signed quantity (negative = short) and average entry price. */
export interface VenuePosition {
  readonly symbol: string;
  readonly quantity: number;
  readonly entry_price: number;
}

/**
 * Why a venue refused an order, where the executor must act on the difference:
 * - `WOULD_TRIGGER`: a stop or take-profit whose trigger the price has already passed (Binance -2021);
 * - `REDUCE_ONLY`: a reduce-only order with nothing on its side to reduce (Binance -2022): the venue's
 *   position is not what we think;
 * - `INSUFFICIENT_MARGIN`, `INVALID` (size, price, notional filters), `OTHER`.
 */
export type RejectionCode = 'WOULD_TRIGGER' | 'REDUCE_ONLY' | 'INSUFFICIENT_MARGIN' | 'INVALID' | 'OTHER';

/** Raised by a broker for an order the venue refuses (insufficient funds, invalid quantity …). */
export class OrderRejected extends Error {
  constructor(
    readonly clientId: string,
    readonly reason: string,
    readonly code: RejectionCode = 'OTHER',
  ) {
    super(`order ${clientId} rejected: ${reason}`);
    this.name = 'OrderRejected';
  }
}

/**
 * The venue could not be reached even after retries. Whether a write arrived is unknown: the executor
 * keeps the write's intent pending and resolves it by client id before it sends anything else for it.
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

/** The account is set up in a way the executor cannot trade safely (e.g. hedge mode): never retried. */
export class VenueConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VenueConfigurationError';
  }
}
