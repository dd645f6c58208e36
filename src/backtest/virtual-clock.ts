import { BehaviorSubject, defer, map, takeWhile, tap, type Observable, type OperatorFunction } from 'rxjs';
import type { Candle } from '../market/candle.js';
import { closeTimeGroups } from '../market/time-batches.js';
import type { ClockedInstant } from '../execution/trading-cycles.js';

/**
 * Replays candles on a virtual clock through a pipeline: the candles are grouped into close instants by
 * the one grouping rule, and the clock moves to the next instant when the pipeline has finished the one
 * before (it must emit exactly one value per instant, as `tradingCycles` does). RxJS has no
 * backpressure, so `from(candles)` would read a whole stream ahead into the pipeline's buffer; paced
 * this way, a stream of a year of candles is read one instant at a time and never held.
 */
export function onVirtualClock<R>(candles: Iterable<Candle>, pipeline: OperatorFunction<ClockedInstant, R>): Observable<R> {
  return defer(() => {
    const instants = closeTimeGroups(candles)[Symbol.iterator]();
    const tick = new BehaviorSubject<void>(undefined);
    return tick.pipe(
      map(() => instants.next()),
      takeWhile((next) => next.done !== true),
      map((next) => next.value as ClockedInstant),
      pipeline,
      tap({ next: () => tick.next(), finalize: () => tick.complete() }),
    );
  });
}
