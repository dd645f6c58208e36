import type { Candle } from '../market/candle.js';
import type { Signal } from './signal.js';

/**
 * Anything that hands the executor signals at a candle close: a strategy computing them from the candles,
 * a file of an external model's signals, or several of these merged. Called once per instant, in time
 * order, with the candles that closed then (a strategy must see every candle, so it is called even when
 * the executor is only warming up after a restart).
 *
 * Pull-shaped (the caller asks at each instant) rather than `Observable<Candle> → Observable<Signal>`,
 * because every consumer runs one synchronous cycle per instant that needs that instant's candles and
 * signals together: a pushed stream would have to be re-joined with the candles by time. It also lets the
 * live daemon ask between closes (`candles` empty) whether an external model's signals have come due,
 * which a stream driven by candles could not express.
 */
export interface SignalSource {
  readonly name: string;
  signalsAt(time: number, candles: readonly Candle[]): readonly Signal[];
}

/** Several sources as one, their signals in the order the sources are given. */
export function mergeSources(sources: readonly SignalSource[]): SignalSource {
  return {
    name: sources.map((s) => s.name).join('+'),
    signalsAt: (time, candles) => sources.flatMap((s) => s.signalsAt(time, candles)),
  };
}
