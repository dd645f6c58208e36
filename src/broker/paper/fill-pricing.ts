import type { Candle } from '../../market/candle.js';
import type { MarketRules, OrderSide } from '../model.js';
import { roundTo } from './increments.js';
import type { PaperBrokerSettings } from './settings.js';

export interface Quote {
  readonly bid: number;
  readonly ask: number;
}

/**
 * The price a paper order fills at: moved against it by half the spread and the configured slippage.
 * The spread is the last candle's bid/ask when the data had them, else the configured `spread_pct`
 * (per symbol or default).
 */
export class FillPricing {
  /** Bid/ask of the last candle that had them, per symbol. */
  private readonly quotes = new Map<string, Quote>();

  constructor(private readonly settings: PaperBrokerSettings) {}

  /** Keeps the candle's bid/ask, when it has them, as the symbol's spread from now on. */
  record(candle: Candle): void {
    if (candle.bid !== undefined && candle.ask !== undefined) this.quotes.set(candle.symbol, { bid: candle.bid, ask: candle.ask });
  }

  /** Best bid and ask: the last candle's when it had them, else the mark +- half the configured spread; undefined when neither is known. */
  quote(symbol: string, mark: number | undefined): Quote | undefined {
    const recorded = this.quotes.get(symbol);
    if (recorded !== undefined) return recorded;
    const half = this.configuredSpread(symbol) / 2;
    if (mark === undefined || !(half > 0)) return undefined;
    return { bid: mark * (1 - half), ask: mark * (1 + half) };
  }

  /** How far from the close a market entry is expected to fill: half the spread plus the slippage. */
  expectedEntryCost(symbol: string): number {
    return this.halfSpread(symbol) + this.settings.slippage_pct;
  }

  /**
   * The price moved against the order by the slippage, then rounded to the nearest tick like every other
   * price in the system (the executor rounds its stops and targets the same way), so that rounding adds
   * no bias of its own on top of the configured slippage.
   */
  slipped(price: number, side: OrderSide, rules: MarketRules, symbol: string): number {
    const moved = roundTo(price * (1 + (side === 'buy' ? 1 : -1) * (this.settings.slippage_pct + this.halfSpread(symbol))), rules.tick_size);
    // A price under half a tick would round to nothing; one tick is the least the book can trade at.
    return Math.max(moved, rules.tick_size);
  }

  private configuredSpread(symbol: string): number {
    return this.settings.symbol_spread_pct?.[symbol] ?? this.settings.spread_pct;
  }

  /** Half the spread as a fraction of the mid: from the last recorded bid/ask, else the configured spread. */
  private halfSpread(symbol: string): number {
    const q = this.quotes.get(symbol);
    return q !== undefined ? (q.ask - q.bid) / (q.ask + q.bid) : this.configuredSpread(symbol) / 2;
  }
}
