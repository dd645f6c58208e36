import { Observable, type OperatorFunction } from 'rxjs';

/**
 * Groups a time-ordered stream into batches of items sharing the same time (e.g. the candles of all
 * symbols that closed at the same instant), so downstream work runs once per instant, not once per
 * symbol. A batch is emitted when an item with a later time arrives, or when the source completes.
 */
export function batchByTime<T>(timeOf: (item: T) => number): OperatorFunction<T, { time: number; items: T[] }> {
  return (source) =>
    new Observable((subscriber) => {
      let batch: T[] = [];
      let time = Number.NEGATIVE_INFINITY;
      const flush = () => {
        if (batch.length > 0) subscriber.next({ time, items: batch });
        batch = [];
      };
      return source.subscribe({
        next(item) {
          const t = timeOf(item);
          if (t < time) {
            subscriber.error(new Error(`items out of time order: ${new Date(t).toISOString()} after ${new Date(time).toISOString()}`));
            return;
          }
          if (t > time) {
            flush();
            time = t;
          }
          batch.push(item);
        },
        error: (error) => subscriber.error(error),
        complete() {
          flush();
          subscriber.complete();
        },
      });
    });
}
