/**
 * What the account tells the state layer. The broker (paper or exchange) emits these; the risk tracker
 * folds them into the risk state and per-symbol performance the policy rules read. Times are epoch ms UTC.
 */
export type AccountEvent = EquityMark | PositionsSnapshot | TradeClosed | Quote | Fill;

/** Account equity marked to market, unrealised PnL included. */
export interface EquityMark {
  readonly type: 'equity';
  readonly time: number;
  readonly equity: number;
}

/** The complete set of open positions after a change (absolute notional in quote currency). */
export interface PositionsSnapshot {
  readonly type: 'positions';
  readonly time: number;
  readonly positions: readonly { readonly symbol: string; readonly notional: number }[];
}

/** A fully closed trade. `r_multiple` is the PnL in units of the trade's initial risk. */
export interface TradeClosed {
  readonly type: 'trade-closed';
  readonly time: number;
  readonly symbol: string;
  readonly pnl: number;
  readonly r_multiple: number;
  /**
   * A simulated trade of a blocked symbol (the shadow record): it counts for the symbol's judgement so
   * that a block can lift, never for the account's losing streak.
   */
  readonly shadow?: boolean;
}

/** Best bid and ask, for the spread. */
export interface Quote {
  readonly type: 'quote';
  readonly time: number;
  readonly symbol: string;
  readonly bid: number;
  readonly ask: number;
}

/** An executed order: the price expected when it was sent and the price obtained, for slippage. */
export interface Fill {
  readonly type: 'fill';
  readonly time: number;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly expected_price: number;
  readonly fill_price: number;
  readonly quantity: number;
}
