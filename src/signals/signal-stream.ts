import { concatMap, defer, type OperatorFunction } from 'rxjs';
import type { Candle } from '../market/candle.js';
import { batchByTime } from '../market/time-batches.js';
import type { Signal } from './signal.js';
import type { SignalSource } from './signal-source.js';

/**
 * A signal source as an RxJS operator over closed candles (all symbols interleaved, in closeTime order):
 * the source is asked once per instant, after every candle of that instant has arrived, so a strategy sees
 * the same batches as in a replay and gives the same signals. An instant is known to be complete only when
 * a later candle arrives or the stream ends, so its signals come out then.
 *
 * `source` is a factory because sources hold state (indicators, a file's read position): each subscription
 * gets its own, and subscribing twice replays the same signals.
 */
export function signalStream(source: () => SignalSource): OperatorFunction<Candle, Signal> {
  return (candles$) =>
    defer(() => {
      const current = source();
      return candles$.pipe(
        batchByTime((candle) => candle.closeTime, (candle) => candle.symbol),
        concatMap(({ time, items }) => current.signalsAt(time, items)),
      );
    });
}
