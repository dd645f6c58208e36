import type { HighLowClose } from 'trading-signals';
import { RingBuffer } from './ring-buffer.js';

/**
 * The Choppiness Index over `period` bars, bit for bit what trading-signals' CHOP gives when fed without
 * `replace`: null for the first bar (no previous close) and until `period` true highs and lows exist,
 * then 100 · log10(Σ true range / (highest true high − lowest true low)) / log10(period), 100 when that
 * range is zero; the sums and extremes taken oldest first, as its loop does.
 *
 * Not CHOP itself: it keeps an object per bar in an array it shifts, garbage that lives `period` bars and
 * so is promoted at every bar of every symbol (it showed in backtest profiles); here two windows of numbers.
 */
export class ChoppinessIndex {
  readonly period: number;
  readonly #trueHighs: RingBuffer<number>;
  readonly #trueLows: RingBuffer<number>;
  readonly #logPeriod: number;
  #previousClose: number | undefined;

  constructor(period: number) {
    if (!Number.isSafeInteger(period) || period < 2) throw new RangeError(`Choppiness Index period must be an integer of at least 2, got ${period}`);
    this.period = period;
    this.#trueHighs = new RingBuffer(period);
    this.#trueLows = new RingBuffer(period);
    this.#logPeriod = Math.log10(period);
  }

  update(candle: HighLowClose<number>): number | null {
    const previousClose = this.#previousClose;
    this.#previousClose = candle.close;
    if (previousClose === undefined) return null;
    this.#trueHighs.push(Math.max(candle.high, previousClose));
    this.#trueLows.push(Math.min(candle.low, previousClose));
    if (!this.#trueHighs.full) return null;
    let trueRangeSum = 0;
    let highest = this.#trueHighs.at(0)!;
    let lowest = this.#trueLows.at(0)!;
    for (let i = 0; i < this.period; i++) {
      const trueHigh = this.#trueHighs.at(i)!;
      const trueLow = this.#trueLows.at(i)!;
      trueRangeSum += trueHigh - trueLow;
      highest = Math.max(highest, trueHigh);
      lowest = Math.min(lowest, trueLow);
    }
    const range = highest - lowest;
    if (range === 0) return 100;
    return (100 * Math.log10(trueRangeSum / range)) / this.#logPeriod;
  }
}
