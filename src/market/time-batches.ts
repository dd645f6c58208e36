import { Observable, type OperatorFunction } from 'rxjs';
import type { Candle } from './candle.js';

/** The items of one instant, in arrival order. */
export interface TimeBatch<T> {
  readonly time: number;
  readonly items: T[];
}

/**
 * The one rule by which time-ordered items (e.g. the candles of all symbols) are grouped into instants,
 * shared by the RxJS operator (watch's market instants) and the iterables of the replay and the
 * live session: items of the same time form a batch, a batch is complete when an item with a later time
 * arrives or the input ends, and an item older than the batch before it is an error, never mixed in.
 */
export class TimeBatcher<T> {
  #batch: T[] = [];
  #time = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly timeOf: (item: T) => number,
    /** Names an item in the out-of-order error (e.g. a candle's symbol). */
    private readonly describe: (item: T) => string = () => 'item',
  ) {}

  /** Adds the item; returns the batch it completed, if it started a new instant. Throws on an item out of order. */
  add(item: T): TimeBatch<T> | undefined {
    const t = this.timeOf(item);
    if (t < this.#time) throw new RangeError(`items out of time order: ${this.describe(item)} at ${iso(t)} after ${iso(this.#time)}`);
    let completed: TimeBatch<T> | undefined;
    if (t > this.#time) {
      completed = this.flush();
      this.#time = t;
    }
    this.#batch.push(item);
    return completed;
  }

  /** The batch in progress, if any (at the end of the input). */
  flush(): TimeBatch<T> | undefined {
    if (this.#batch.length === 0) return undefined;
    const batch = { time: this.#time, items: this.#batch };
    this.#batch = [];
    return batch;
  }
}

/** The batches of an iterable, as they complete: nothing but the batch in progress is held. */
export function* timeBatches<T>(items: Iterable<T>, timeOf: (item: T) => number, describe?: (item: T) => string): Generator<TimeBatch<T>> {
  const batcher = new TimeBatcher(timeOf, describe);
  for (const item of items) {
    const completed = batcher.add(item);
    if (completed !== undefined) yield completed;
  }
  const last = batcher.flush();
  if (last !== undefined) yield last;
}

/**
 * Groups a time-ordered stream into batches of items sharing the same time (e.g. the candles of all
 * symbols that closed at the same instant), so downstream work runs once per instant, not once per
 * symbol. A batch is emitted when an item with a later time arrives, or when the source completes.
 */
export function batchByTime<T>(timeOf: (item: T) => number, describe?: (item: T) => string): OperatorFunction<T, TimeBatch<T>> {
  return (source) =>
    new Observable((subscriber) => {
      const batcher = new TimeBatcher(timeOf, describe);
      return source.subscribe({
        next(item) {
          let completed: TimeBatch<T> | undefined;
          try {
            completed = batcher.add(item);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          if (completed !== undefined) subscriber.next(completed);
        },
        error: (error) => subscriber.error(error),
        complete() {
          const last = batcher.flush();
          if (last !== undefined) subscriber.next(last);
          subscriber.complete();
        },
      });
    });
}

function iso(time: number): string {
  return Number.isFinite(time) ? new Date(time).toISOString() : String(time);
}

/** The candles of each close instant in turn (replay, live session), by the rule above. */
export function* closeTimeGroups(candles: Iterable<Candle>): Generator<{ time: number; candles: Candle[] }> {
  for (const { time, items } of timeBatches(candles, closeTimeOf, symbolOf)) yield { time, candles: items };
}

export function groupByCloseTime(candles: readonly Candle[]): { time: number; candles: Candle[] }[] {
  return [...closeTimeGroups(candles)];
}

const closeTimeOf = (candle: Candle) => candle.closeTime;
const symbolOf = (candle: Candle) => candle.symbol;
