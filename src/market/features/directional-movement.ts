import { getTrueRange, type HighLowClose } from 'trading-signals';
import { WilderSmoothing } from './wilder-smoothing.js';

export interface DirectionalMovement {
  /** Average Directional Index, 0-100; null until adx_period DX values exist. */
  readonly adx: number | null;
  /** +DI, 0-100; null until the smoothed directional moves are stable. */
  readonly plusDi: number | null;
  readonly minusDi: number | null;
}

/**
 * Wilder's directional movement system (+DI, -DI, ADX), assembled from Wilder's smoothing (the values
 * of trading-signals' WSMA, see WilderSmoothing) and trading-signals' getTrueRange, with the same warm-up
 * and smoothing as its ADX class.
 *
 * Not trading-signals' ADX itself: it divides by the smoothed true range unguarded, so a symbol whose
 * first adx_period bars are flat (a halted or illiquid market) gets NaN, and Wilder's recursive smoothing
 * then keeps the ADX NaN forever. Here a zero range means "no directional movement": DI and DX are 0.
 * Its +DI/-DI are also fractions, while the features report them on the usual 0-100 scale.
 */
export class DirectionalMovementIndex {
  readonly period: number;
  readonly #trueRange: WilderSmoothing;
  readonly #plusMove: WilderSmoothing;
  readonly #minusMove: WilderSmoothing;
  readonly #adx: WilderSmoothing;
  // The previous bar's high, low and close as numbers: a copy of the bar per update was garbage held a bar.
  #previousHigh = 0;
  #previousLow = 0;
  #previousClose: number | undefined;

  constructor(period: number) {
    this.period = period;
    this.#trueRange = new WilderSmoothing(period);
    this.#plusMove = new WilderSmoothing(period);
    this.#minusMove = new WilderSmoothing(period);
    this.#adx = new WilderSmoothing(period);
  }

  update(candle: HighLowClose<number>): DirectionalMovement {
    const previousClose = this.#previousClose;
    let plusMove = 0;
    let minusMove = 0;
    if (previousClose !== undefined) {
      const up = candle.high - this.#previousHigh;
      const down = this.#previousLow - candle.low;
      // Only the dominant extension counts; an outside bar extending equally both ways counts neither way.
      if (up > down && up > 0) plusMove = up;
      if (down > up && down > 0) minusMove = down;
    }
    // The first bar counts as no movement over its own range, as trading-signals' DX does, so the two
    // agree bar for bar.
    this.#previousHigh = candle.high;
    this.#previousLow = candle.low;
    this.#previousClose = candle.close;
    const trueRange = this.#trueRange.update(getTrueRange(candle, previousClose));
    const plus = this.#plusMove.update(plusMove);
    const minus = this.#minusMove.update(minusMove);
    if (trueRange === null || plus === null || minus === null) return { adx: null, plusDi: null, minusDi: null };

    // Each bar's directional move is at most its true range and both are smoothed alike, so DI, DX and
    // ADX stay within 0-100 except for rounding in the last bit, which the clamps absorb.
    const plusDi = trueRange > 0 ? Math.min(100, (100 * plus) / trueRange) : 0;
    const minusDi = trueRange > 0 ? Math.min(100, (100 * minus) / trueRange) : 0;
    const sum = plusDi + minusDi;
    const dx = sum > 0 ? Math.min(100, (100 * Math.abs(plusDi - minusDi)) / sum) : 0;
    const adx = this.#adx.update(dx);
    return { adx: adx === null ? null : Math.min(100, adx), plusDi, minusDi };
  }
}
