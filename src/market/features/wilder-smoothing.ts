import { getTrueRange, type HighLowClose } from 'trading-signals';

/**
 * Wilder's smoothing (the RMA), bit for bit what trading-signals' WSMA gives when fed without
 * `replace`: null for the first period - 1 values, then their plain mean (summed oldest first from 0,
 * as its getAverage does), then previous + (value - previous) / period with the same precomputed factor.
 *
 * Not WSMA itself: it keeps updating an inner SMA (an array push, shift and sum of `period` numbers) at
 * every value long after the first mean was taken, and the features run five of these per symbol per
 * candle (ATR, and the DMI's true range, +DM, -DM and DX), twice with the reference strategy: that
 * showed in backtest profiles.
 */
export class WilderSmoothing {
  readonly period: number;
  readonly #factor: number;
  #count = 0;
  #sum = 0;
  #result: number | undefined;

  constructor(period: number) {
    if (!Number.isSafeInteger(period) || period < 1) throw new RangeError(`Wilder smoothing period must be a positive integer, got ${period}`);
    this.period = period;
    this.#factor = 1 / period;
  }

  update(value: number): number | null {
    const previous = this.#result;
    if (previous !== undefined) return (this.#result = (value - previous) * this.#factor + previous);
    this.#sum += value;
    this.#count++;
    if (this.#count < this.period) return null;
    return (this.#result = this.#sum / this.period);
  }
}

/** Wilder's Average True Range over `period` bars, as trading-signals' ATR computes it (same warm-up, same values). */
export class AverageTrueRange {
  readonly #smoothing: WilderSmoothing;
  #previousClose: number | undefined;

  constructor(period: number) {
    this.#smoothing = new WilderSmoothing(period);
  }

  update(candle: HighLowClose<number>): number | null {
    const trueRange = getTrueRange(candle, this.#previousClose);
    this.#previousClose = candle.close;
    return this.#smoothing.update(trueRange);
  }
}
