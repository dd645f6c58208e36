import type { PositionSide } from '../broker/model.js';
import type { Candle } from '../market/candle.js';

/** A trade the policy would have taken in a blocked symbol, followed on the candles without an order. */
export interface ShadowPosition {
  readonly symbol: string;
  readonly side: PositionSide;
  readonly entry_price: number;
  readonly stop_price: number;
  readonly take_profit_price: number;
  readonly quantity: number;
  readonly opened_at: number;
}

/** A shadow position that reached its stop or its take-profit. */
export interface ShadowTrade {
  readonly symbol: string;
  readonly time: number;
  readonly pnl: number;
  readonly r_multiple: number;
  readonly exit: 'stop-loss' | 'take-profit';
}

/**
 * The shadow record of blocked symbols: at most one simulated position per symbol, entered at the
 * expected fill of the signal that was blocked, with the stop and take-profit the sizing chose. Each
 * later bar is read the way the paper venue reads it, the adverse extreme first: a bar that reaches the
 * stop closes the shadow at the stop (or at the open when it gapped beyond), even if it also reached
 * the target. Fees and slippage are left out: the record judges the signals, not the venue.
 */
export class ShadowBook {
  private readonly open = new Map<string, ShadowPosition>();

  constructor(positions: readonly ShadowPosition[] = []) {
    for (const p of positions) this.open.set(p.symbol, p);
  }

  has(symbol: string): boolean {
    return this.open.has(symbol);
  }

  positions(): ShadowPosition[] {
    return [...this.open.values()];
  }

  /** Opens a shadow position unless the symbol has one already. */
  enter(position: ShadowPosition): boolean {
    if (this.open.has(position.symbol)) return false;
    this.open.set(position.symbol, Object.freeze({ ...position }));
    return true;
  }

  /** Closes the shadows whose stop or target a bar closing after their entry reached. */
  onCandles(candles: readonly Candle[]): ShadowTrade[] {
    const closed: ShadowTrade[] = [];
    for (const candle of candles) {
      const p = this.open.get(candle.symbol);
      if (p === undefined || candle.closeTime <= p.opened_at) continue;
      const long = p.side === 'long';
      const stopHit = long ? candle.low <= p.stop_price : candle.high >= p.stop_price;
      const targetHit = long ? candle.high >= p.take_profit_price : candle.low <= p.take_profit_price;
      if (!stopHit && !targetHit) continue;
      const gapped = long ? candle.open <= p.stop_price : candle.open >= p.stop_price;
      const exit = stopHit ? (gapped ? candle.open : p.stop_price) : p.take_profit_price;
      const direction = long ? 1 : -1;
      const risk = Math.abs(p.entry_price - p.stop_price);
      const move = direction * (exit - p.entry_price);
      closed.push({ symbol: p.symbol, time: candle.closeTime, pnl: move * p.quantity, r_multiple: risk > 0 ? move / risk : 0, exit: stopHit ? 'stop-loss' : 'take-profit' });
      this.open.delete(p.symbol);
    }
    return closed;
  }
}
