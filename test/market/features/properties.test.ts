import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../src/market/candle.js';
import { CorrelationTracker, INDICATOR_FIELDS, SymbolFeatures, type FeatureSettings } from '../../../src/market/features/index.js';
import { H, T0 } from './helpers.js';

/** A valid bar: 0 < low <= close <= high, or (sometimes) a flat bar repeating the last close. */
const barArb = fc.record({
  a: fc.double({ min: 1e-4, max: 1e6, noNaN: true }),
  b: fc.double({ min: 1e-4, max: 1e6, noNaN: true }),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  flat: fc.boolean(),
});

type Bar = typeof barArb extends fc.Arbitrary<infer T> ? T : never;

function toCandles(symbol: string, bars: readonly Bar[]): Candle[] {
  let last = 1;
  return bars.map(({ a, b, at, flat }, i) => {
    const low = flat ? last : Math.min(a, b);
    const high = flat ? last : Math.max(a, b);
    const close = Math.min(high, Math.max(low, low + (high - low) * at));
    last = close;
    return { symbol, openTime: T0 + i * H, closeTime: T0 + (i + 1) * H, open: close, high, low, close, volume: null };
  });
}

// Short periods, so that short generated series get past the warm-up.
const settingsArb: fc.Arbitrary<Partial<FeatureSettings>> = fc.record({
  atr_period: fc.integer({ min: 1, max: 6 }),
  adx_period: fc.integer({ min: 1, max: 6 }),
  ema_fast: fc.integer({ min: 1, max: 6 }),
  ema_slow: fc.integer({ min: 1, max: 10 }),
  ema_slope_bars: fc.integer({ min: 1, max: 5 }),
  chop_period: fc.integer({ min: 2, max: 6 }),
  realized_vol_window: fc.integer({ min: 2, max: 8 }),
  atr_percentile_lookback: fc.integer({ min: 1, max: 30 }),
  correlation_window: fc.integer({ min: 2, max: 10 }),
});

const BOUNDS: Partial<Record<(typeof INDICATOR_FIELDS)[number], [number, number]>> = {
  atr: [0, Infinity],
  atr_pct: [0, Infinity],
  atr_pct_percentile: [0, 1],
  adx: [0, 100],
  plus_di: [0, 100],
  minus_di: [0, 100],
  choppiness: [0, 100],
  realized_vol: [0, Infinity],
  ema_fast: [0, Infinity],
  ema_slow: [0, Infinity],
};

describe('properties', () => {
  it('for any valid candles every output is finite, within its range, and ready exactly when complete', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(barArb, { minLength: 1, maxLength: 80 }), (settings, bars) => {
        const calculator = new SymbolFeatures('X', settings);
        toCandles('X', bars).forEach((candle, i) => {
          const f = calculator.update(candle);
          expect(f.bars).toBe(i + 1);
          expect(f.time).toBe(candle.closeTime);
          for (const field of INDICATOR_FIELDS) {
            const value = f[field];
            if (value === null) continue;
            expect(Number.isFinite(value)).toBe(true);
            const [min, max] = BOUNDS[field] ?? [-Infinity, Infinity];
            expect(value).toBeGreaterThanOrEqual(min);
            expect(value).toBeLessThanOrEqual(max);
          }
          expect(f.ready).toBe(INDICATOR_FIELDS.every((field) => f[field] !== null));
        });
        const sizes = calculator.bufferSizes();
        expect(sizes.returns).toBeLessThanOrEqual(settings.realized_vol_window as number);
        expect(sizes.atr_pct).toBeLessThanOrEqual(settings.atr_percentile_lookback as number);
      }),
      { numRuns: 200 },
    );
  });

  it('correlations are symmetric and within [-1, 1] or null', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(fc.tuple(barArb, barArb), { minLength: 1, maxLength: 40 }), (settings, pairs) => {
        const tracker = new CorrelationTracker(settings);
        const a = toCandles('A', pairs.map(([x]) => x));
        const b = toCandles('B', pairs.map(([, y]) => y));
        a.forEach((candle, i) => {
          tracker.update(candle);
          tracker.update(b[i] as Candle);
        });
        const r = tracker.correlation('A', 'B');
        expect(r).toBe(tracker.correlation('B', 'A'));
        if (r !== null) {
          expect(r).toBeGreaterThanOrEqual(-1);
          expect(r).toBeLessThanOrEqual(1);
        }
        expect(tracker.retainedReturns('A')).toBeLessThanOrEqual(settings.correlation_window as number);
      }),
      { numRuns: 200 },
    );
  });
});
