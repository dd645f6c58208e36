/**
 * The trading vocabulary shared by the executor, the brokers (paper and exchange) and the store.
 * Prices and quantities are in the market's units; money is in the quote currency (USDT); times are
 * epoch milliseconds UTC.
 */
import type { ExitMode } from '../policy/trading-policy.js';

export type PositionSide = 'long' | 'short';
export type OrderSide = 'buy' | 'sell';

/** Exchange rules an order must respect (from the exchange's market info, or defaults for paper trading). */
export interface MarketRules {
  readonly symbol: string;
  /** Quantity increment; quantities are rounded down to a multiple of it. */
  readonly step_size: number;
  /** Price increment. */
  readonly tick_size: number;
  readonly min_quantity: number;
  /** Minimum order value (quantity x price). */
  readonly min_notional: number;
}

export type OrderPurpose = 'entry' | 'stop-loss' | 'take-profit' | 'partial-take-profit' | 'trailing-stop' | 'exit';
/**
 * `pending`: the executor recorded the order before sending it and does not know yet whether the venue
 * has it; `void`: it turned out the venue never received it. The others are the venue's.
 */
export type OrderStatus = 'pending' | 'new' | 'filled' | 'cancelled' | 'rejected' | 'void';

export interface Order {
  /**
   * Idempotency key chosen by us before sending (the exchange's clientOrderId): a retry or a restart
   * reuses it, so an order is never placed twice.
   */
  readonly client_id: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: 'market' | 'stop-market' | 'take-profit-market';
  readonly purpose: OrderPurpose;
  readonly quantity: number;
  /** Trigger price of conditional orders. */
  readonly trigger_price?: number;
  readonly reduce_only: boolean;
  readonly position_id: string;
  readonly status: OrderStatus;
  readonly created_at: number;
  readonly updated_at: number;
  readonly fill_price?: number;
  readonly filled_quantity?: number;
  readonly fee?: number;
  /** Why it was placed, cancelled or rejected. */
  readonly reason?: string;
  /** The signal an entry (or a signal's exit) acts on: a signal is traded at most once. */
  readonly signal_id?: string;
  /** When a cancel was asked for and not yet confirmed by the venue. */
  readonly cancel_requested_at?: number;
  /** An entry's plan: what the position is to look like once it fills (exits are re-priced from the fill). */
  readonly plan?: EntryPlan;
  /** A market exit's reason, recorded with the trade when it fills (also after a restart). */
  readonly exit_reason?: ExitReason;
}

/** The exit levels and sizing an entry was decided with, kept with its order so a restart can finish it. */
export interface EntryPlan {
  readonly side: PositionSide;
  readonly exit_mode: ExitMode;
  readonly trail_pct: number;
  readonly partial_tp_fraction: number;
  /** Distances from the entry price, so the levels follow the actual fill. */
  readonly stop_distance: number;
  readonly take_profit_pct: number;
  readonly partial_tp_at_r: number;
  readonly risk_pct: number;
}

/** An open (or partly closed) position and the state of its exit management. */
export interface Position {
  readonly id: string;
  readonly symbol: string;
  readonly side: PositionSide;
  /** Remaining open quantity. */
  readonly quantity: number;
  readonly initial_quantity: number;
  readonly entry_price: number;
  readonly opened_at: number;
  /** Initial stop distance per unit: 1R in price units. */
  readonly risk_per_unit: number;
  readonly stop_price: number;
  readonly take_profit_price: number;
  /** Best price reached since entry (highest for longs, lowest for shorts), for the trailing stop. */
  readonly best_price: number;
  readonly exit_mode: ExitMode;
  readonly trail_pct: number;
  readonly partial_tp_fraction: number;
  readonly partial_tp_price: number;
  readonly partial_taken: boolean;
  readonly realized_pnl: number;
  readonly fees: number;
  /** Notional at entry, for exposure limits. */
  readonly entry_notional: number;
}

export type ExitReason = 'stop-loss' | 'trailing-stop' | 'take-profit' | 'exit-signal' | 'policy' | 'manual' | 'end-of-data';

/** A position after it closed completely. */
export interface ClosedTrade {
  readonly position_id: string;
  readonly symbol: string;
  readonly side: PositionSide;
  readonly quantity: number;
  readonly entry_price: number;
  /** Quantity-weighted average of all exit fills. */
  readonly exit_price: number;
  readonly opened_at: number;
  readonly closed_at: number;
  /** Net of fees. */
  readonly pnl: number;
  readonly fees: number;
  /** pnl divided by the initial risk (risk_per_unit x initial_quantity). */
  readonly r_multiple: number;
  readonly exit_reason: ExitReason;
  readonly exit_mode: ExitMode;
}
