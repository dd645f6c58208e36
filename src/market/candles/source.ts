import { Observable, scheduled, type SchedulerLike } from 'rxjs';
import type { Candle } from '../candle.js';

export interface EmitOptions {
  /**
   * Absent (the default): every candle is emitted synchronously inside subscribe(), in order, then the
   * stream completes; that is the fast path for backtests. With a scheduler (e.g. asapScheduler) each
   * candle is emitted as its own scheduled task, so other work can interleave. Pacing in wall-clock time
   * is the caller's business (RxJS operators); sources never start timers.
   */
  readonly scheduler?: SchedulerLike;
}

/** Anything that produces closed candles, in closeTime order across its symbols. */
export interface CandleSource {
  readonly symbols: readonly string[];
  /** Cold: each subscription replays the whole history from the start. */
  candles(options?: EmitOptions): Observable<Candle>;
}

/**
 * Stream order: by closeTime (the instant a bar becomes known), ties by symbol compared by code units,
 * not locale, so the order is the same on every machine.
 */
export function compareCandles(a: Candle, b: Candle): number {
  return a.closeTime - b.closeTime || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);
}

/** Merges per-symbol series (each already ascending) into one stream-ordered array. */
export function mergeCandles(series: readonly (readonly Candle[])[]): Candle[] {
  return series.flat().sort(compareCandles);
}

/**
 * Merges per-symbol series (each already ascending) into stream order as they are read, holding one
 * candle per series: the same order as mergeCandles without ever having the whole history.
 */
export function* mergeSorted(series: readonly Iterable<Candle>[]): Generator<Candle> {
  const iterators = series.map((s) => s[Symbol.iterator]());
  const heads = iterators.map((it) => it.next());
  for (;;) {
    let next = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (head.done !== true && (next < 0 || compareCandles(head.value, (heads[next] as IteratorYieldResult<Candle>).value) < 0)) next = i;
    }
    if (next < 0) return;
    yield (heads[next] as IteratorYieldResult<Candle>).value;
    heads[next] = iterators[next]!.next();
  }
}

/** Emits an already-ordered array as described in EmitOptions. */
export function emitCandles(candles: readonly Candle[], options: EmitOptions = {}): Observable<Candle> {
  if (options.scheduler !== undefined) return scheduled(candles, options.scheduler);
  return new Observable<Candle>((subscriber) => {
    for (const candle of candles) {
      // A consumer that unsubscribes early (take, takeUntil) must stop the loop, not just ignore values.
      if (subscriber.closed) return;
      subscriber.next(candle);
    }
    subscriber.complete();
  });
}
