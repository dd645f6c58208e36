import type { Order } from '../broker/model.js';
import type { Candle } from '../market/candle.js';
import type { Signal } from '../signals/signal.js';

/** One cycle's input: the candles that closed, the signals released, the venue's fills since the last cycle. */
export interface Instant {
  readonly time: number;
  readonly candles: readonly Candle[];
  readonly signals: readonly Signal[];
  /** Resting orders (stops, take-profits) the venue filled or dropped since the last cycle, in fill order. */
  readonly fills: readonly Order[];
}
