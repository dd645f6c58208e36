import { firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../src/market/candle.js';
import { marketFeatures, SymbolFeatures, type MarketFeatures } from '../../../src/market/features/index.js';
import { candlesFromCloses, range } from './helpers.js';

const up = candlesFromCloses('BTCUSDT', range(120).map((i) => 40_000 * 1.004 ** i));
const down = candlesFromCloses('ETHUSDT', range(120).map((i) => 2_000 * 0.996 ** i));
const chop = candlesFromCloses('SOLUSDT', range(120).map((i) => (i % 2 === 0 ? 90 : 92)));
/** Stream order: by closeTime, then symbol. */
const interleaved = [...up, ...down, ...chop].sort((a, b) => a.closeTime - b.closeTime || a.symbol.localeCompare(b.symbol));

function alone(candles: readonly Candle[]): MarketFeatures[] {
  const calculator = new SymbolFeatures((candles[0] as Candle).symbol);
  return candles.map((c) => calculator.update(c));
}

describe('marketFeatures operator', () => {
  it('emits one MarketFeatures per candle, in order', async () => {
    const out = await lastValueFrom(from(interleaved).pipe(marketFeatures(), toArray()));
    expect(out.map((f) => [f.symbol, f.time])).toEqual(interleaved.map((c) => [c.symbol, c.closeTime]));
  });

  it('computes each symbol independently of the others it is interleaved with', async () => {
    const out = await lastValueFrom(from(interleaved).pipe(marketFeatures(), toArray()));
    for (const series of [up, down, chop]) {
      const symbol = (series[0] as Candle).symbol;
      expect(out.filter((f) => f.symbol === symbol)).toEqual(alone(series));
    }
    const last = (symbol: string) => out.filter((f) => f.symbol === symbol).at(-1) as MarketFeatures;
    expect(last('BTCUSDT').ema_slope_pct).toBeGreaterThan(0);
    expect(last('ETHUSDT').ema_slope_pct).toBeLessThan(0);
    expect(last('SOLUSDT').choppiness).toBeGreaterThan(61.8);
  });

  it('starts from empty state on every subscription', async () => {
    const features$ = from(interleaved).pipe(marketFeatures({ ema_slow: 30 }));
    const first = await lastValueFrom(features$.pipe(toArray()));
    const second = await lastValueFrom(features$.pipe(toArray()));
    expect(second).toEqual(first);
  });

  it('rejects bad settings when built, before any data flows', () => {
    expect(() => marketFeatures({ chop_period: 1 })).toThrow(/chop_period/);
  });

  it('errors the stream on an out-of-order bar of a symbol', async () => {
    const bad = [up[1] as Candle, down[0] as Candle, up[0] as Candle];
    await expect(firstValueFrom(from(bad).pipe(marketFeatures(), toArray()))).rejects.toThrow(/BTCUSDT.*out of order/);
  });
});
