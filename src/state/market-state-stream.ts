import { map, type OperatorFunction } from 'rxjs';
import type { Candle } from '../market/candle.js';
import { batchByTime } from '../market/time-batches.js';
import type { AccountEvent } from './account-events.js';

/** What the state stream consumes: closed candles and account events, merged in time order. */
export type MarketInput = Candle | AccountEvent;

export function isCandle(input: MarketInput): input is Candle {
  return (input as Candle).closeTime !== undefined;
}

export function inputTime(input: MarketInput): number {
  return isCandle(input) ? input.closeTime : input.time;
}

/**
 * One instant's input to the market state: the candles that closed then and the account events of that
 * instant (equity marks, positions, quotes, fills, closed trades), each list in arrival order.
 */
export interface MarketInstant {
  readonly time: number;
  readonly candles: readonly Candle[];
  readonly events: readonly AccountEvent[];
}

/**
 * Groups time-ordered candles and account events into instants by the one grouping rule
 * (market/time-batches.ts). An instant is known to be complete only when a later input arrives or the
 * stream ends, so it comes out then.
 */
export function marketInstants(): OperatorFunction<MarketInput, MarketInstant> {
  return (inputs$) =>
    inputs$.pipe(
      batchByTime(inputTime),
      map(({ time, items }) => ({ time, candles: items.filter(isCandle), events: items.filter((item): item is AccountEvent => !isCandle(item)) })),
    );
}
