import { concatMap, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { onVirtualClock } from '../../src/backtest/virtual-clock.js';
import { tradingCycles, type ClockedInstant } from '../../src/execution/trading-cycles.js';
import type { Candle } from '../../src/market/candle.js';
import { candlesOf, rig, scriptedSignals } from '../support/trading.js';

const MINUTE = 60_000;
const bar = (symbol: string, close: number): Candle => ({ symbol, openTime: close - MINUTE, closeTime: close, open: 1, high: 1, low: 1, close: 1, volume: 1 });

/** Two symbols' candles, generated as read, counting how many have been read. */
function counted(instants: number): { candles: Iterable<Candle>; read: () => number } {
  let read = 0;
  return {
    read: () => read,
    candles: {
      *[Symbol.iterator]() {
        for (let i = 1; i <= instants; i++) {
          for (const symbol of ['A', 'B']) {
            read++;
            yield bar(symbol, i * MINUTE);
          }
        }
      },
    },
  };
}

describe('the virtual clock of a backtest', () => {
  it('moves to the next close only when the pipeline is done with the one before: a stream is never read ahead', async () => {
    const source = counted(50);
    const readWhenWorked: number[] = [];
    const seen = await lastValueFrom(
      onVirtualClock(source.candles, concatMap(async (instant: ClockedInstant) => {
        await new Promise((resolve) => setTimeout(resolve, 0)); // a cycle that really waits
        readWhenWorked.push(source.read());
        return instant;
      })).pipe(toArray()),
    );
    expect(seen.map((i) => i.time)).toEqual(Array.from({ length: 50 }, (_, i) => (i + 1) * MINUTE));
    expect(seen.every((i) => i.candles.length === 2)).toBe(true);
    // While instant k is worked on, the candles read are those of k and the first candle of k + 1 (which
    // told the grouping that k was complete): never more.
    readWhenWorked.forEach((read, k) => expect(read).toBe(Math.min(2 * (k + 1) + 1, 100)));
  });

  it('stops with the grouping rule\'s error when a candle is older than the instant before it', async () => {
    const candles = [bar('A', 2 * MINUTE), bar('A', MINUTE)];
    await expect(lastValueFrom(onVirtualClock(candles, concatMap(async (i: ClockedInstant) => i)))).rejects.toThrow(/out of time order: A at/);
  });

  it('trades every instant through the trading stage, only warming up on those up to tradeAfter', async () => {
    const candles = await candlesOf({ symbols: ['BTCUSDT', 'ETHUSDT'], bars: 480 });
    const { executor, broker } = rig(candles);
    const signalled: number[] = [];
    const warmUntil = candles[2 * 100]!.closeTime;
    const outcomes = await lastValueFrom(
      onVirtualClock(candles, tradingCycles(executor, {
        fills: ({ candles: batch }) => batch.flatMap((c) => broker.onCandle(c)),
        signals: ({ time, candles: batch }) => (signalled.push(time), scriptedSignals(time, batch)),
      }, { tradeAfter: warmUntil })).pipe(toArray()),
    );
    expect(outcomes).toHaveLength(480);
    expect(signalled).toHaveLength(480); // the strategy sees warm-up instants too
    expect(outcomes.filter((o) => o.report === undefined).map((o) => o.time)).toEqual(outcomes.filter((o) => o.time <= warmUntil).map((o) => o.time));
    expect(outcomes.filter((o) => o.report !== undefined).every((o) => o.report!.time === o.time && o.durationMs! >= 0)).toBe(true);
    expect(outcomes.some((o) => (o.report?.decisions.length ?? 0) > 0)).toBe(true);
  });
});
