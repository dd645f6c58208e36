import { concatMap, type OperatorFunction } from 'rxjs';
import type { Candle } from '../market/candle.js';
import { batchByTime } from '../market/time-batches.js';
import type { AccountEvent } from './account-events.js';
import type { MarketStateBuilder } from './market-state-builder.js';
import type { MarketState } from './market-state.js';

/** What the state stream consumes: closed candles and account events, merged in time order. */
export type MarketInput = Candle | AccountEvent;

export function isCandle(input: MarketInput): input is Candle {
  return (input as Candle).closeTime !== undefined;
}

export function inputTime(input: MarketInput): number {
  return isCandle(input) ? input.closeTime : input.time;
}

export interface MarketStateStreamOptions {
  /** Told about each account event the risk tracker refused (stale, malformed), which is then skipped. */
  readonly onRejected?: (event: AccountEvent, reason: string) => void;
}

/**
 * The stream of market state: one MarketState per instant at which a candle closed or the account
 * changed, once the market has been classified (nothing is emitted while the reference symbol's
 * indicators warm up). Inputs sharing a time are taken together, candles before account events, so the
 * equity marked at a close is judged against that close's classes.
 */
export function marketStates(builder: MarketStateBuilder, options: MarketStateStreamOptions = {}): OperatorFunction<MarketInput, MarketState> {
  return (inputs$) =>
    inputs$.pipe(
      batchByTime(inputTime),
      concatMap(async ({ items }) => {
        const candles = items.filter(isCandle);
        if (candles.length > 0) await builder.onCandles(candles);
        for (const item of items) {
          if (isCandle(item)) continue;
          const result = builder.onAccount(item);
          if (!result.ok) options.onRejected?.(item, result.reason);
        }
        const state = builder.state();
        return state === undefined ? [] : [state];
      }),
      concatMap((states) => states),
    );
}
