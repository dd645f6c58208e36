import { ADX } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../src/market/candle.js';
import { INDICATOR_FIELDS, SymbolFeatures, type IndicatorField, type MarketFeatures } from '../../../src/market/features/index.js';
import { candlesFromCloses, closesFromReturns, gaussian, H, range, seeded, T0 } from './helpers.js';

function run(candles: readonly Candle[], settings = {}): MarketFeatures[] {
  const calculator = new SymbolFeatures(candles[0]?.symbol ?? 'X', settings);
  return candles.map((c) => calculator.update(c));
}

function randomWalk(n: number, seed: number, sigma = 0.01): number[] {
  const normal = gaussian(seeded(seed));
  return closesFromReturns(range(n - 1).map(() => sigma * normal()));
}

/** 1-based bar at which a field first has a value. */
function firstBarWith(out: readonly MarketFeatures[], field: IndicatorField | 'ready'): number {
  const index = out.findIndex((f) => (field === 'ready' ? f.ready : f[field] !== null));
  return index + 1;
}

describe('SymbolFeatures warm-up', () => {
  const out = run(candlesFromCloses('BTCUSDT', randomWalk(120, 1)));

  it('starts with every indicator null and not ready', () => {
    const first = out[0] as MarketFeatures;
    expect(first).toMatchObject({ symbol: 'BTCUSDT', time: T0 + H, bars: 1, ready: false });
    for (const field of INDICATOR_FIELDS) expect(first[field]).toBeNull();
  });

  it('fills each field once its own window is full (default settings)', () => {
    expect(firstBarWith(out, 'return_1')).toBe(2);
    expect(firstBarWith(out, 'atr')).toBe(14);
    expect(firstBarWith(out, 'atr_pct')).toBe(14);
    expect(firstBarWith(out, 'plus_di')).toBe(14);
    expect(firstBarWith(out, 'minus_di')).toBe(14);
    expect(firstBarWith(out, 'choppiness')).toBe(15);
    expect(firstBarWith(out, 'ema_fast')).toBe(20);
    expect(firstBarWith(out, 'realized_vol')).toBe(25);
    expect(firstBarWith(out, 'adx')).toBe(27); // 14 DX values, the first at bar 14
    expect(firstBarWith(out, 'atr_pct_percentile')).toBe(33); // 20 ATR% values
    expect(firstBarWith(out, 'ema_slow')).toBe(50);
    expect(firstBarWith(out, 'ema_slope_pct')).toBe(60); // slow EMA now and 10 bars earlier
  });

  it('is ready from the moment every field has a value, and stays ready', () => {
    expect(firstBarWith(out, 'ready')).toBe(60);
    for (const f of out.slice(59)) {
      expect(f.ready).toBe(true);
      for (const field of INDICATOR_FIELDS) expect(Number.isFinite(f[field])).toBe(true);
    }
    expect(out.map((f) => f.bars)).toEqual(range(120).map((i) => i + 1));
  });

  it('follows the configured periods', () => {
    const short = run(candlesFromCloses('X', randomWalk(40, 2)), {
      atr_period: 3, adx_period: 3, ema_fast: 2, ema_slow: 4, ema_slope_bars: 2, chop_period: 3,
      realized_vol_window: 3, atr_percentile_lookback: 5,
    });
    expect(firstBarWith(short, 'atr')).toBe(3);
    expect(firstBarWith(short, 'adx')).toBe(5);
    expect(firstBarWith(short, 'atr_pct_percentile')).toBe(7); // the whole lookback when it is under 20
    expect(firstBarWith(short, 'ready')).toBe(7);
  });
});

describe('ATR and ATR%', () => {
  it('equals range / close when every bar spans the same range around a steady close', () => {
    const normal = gaussian(seeded(3));
    // Closes wander by far less than half the range, so the true range is always high - low = 4.
    const closes = range(100).map(() => 200 + 0.2 * normal());
    const last = run(candlesFromCloses('X', closes, () => 4)).at(-1) as MarketFeatures;
    expect(last.atr).toBeCloseTo(4, 9);
    expect(last.atr_pct).toBeCloseTo(4 / last.close, 9);
  });

  it('ranks a perfectly steady ATR% in the middle of its history, not at the top', () => {
    const last = run(candlesFromCloses('X', range(100).map(() => 100), () => 2)).at(-1) as MarketFeatures;
    expect(last.atr_pct).toBeCloseTo(0.02, 12);
    expect(last.atr_pct_percentile).toBeGreaterThan(0.45);
    expect(last.atr_pct_percentile).toBeLessThan(0.6);
  });

  it('ranks ATR% near 1 when volatility jumps to its highest, and low once it is calm again', () => {
    const noise = seeded(4);
    const closes = randomWalk(400, 5, 0.002);
    // Bars 0-249 calm (range ~1%), 250-269 a storm (range ~6%), then calm again.
    const width = (i: number) => (i >= 250 && i < 270 ? 0.06 : 0.01) * (1 + 0.1 * noise());
    const out = run(candlesFromCloses('X', closes, (i, close) => close * width(i)));
    const storm = out.slice(250, 270);
    const calmAfter = out[399] as MarketFeatures;
    for (const f of storm) expect(f.atr_pct_percentile).toBe(1); // each bar's ATR% is the highest yet
    expect(calmAfter.atr_pct_percentile).toBeLessThan(0.5);
    expect(calmAfter.atr_pct_percentile).toBeGreaterThan(0);
  });
});

describe('trend, direction and choppiness', () => {
  const rising = run(candlesFromCloses('X', range(150).map((i) => 100 * 1.005 ** i))).at(-1) as MarketFeatures;
  const falling = run(candlesFromCloses('X', range(150).map((i) => 100 * 0.995 ** i))).at(-1) as MarketFeatures;

  it('a steadily rising market has a rising slow EMA, +DI above -DI and a strong ADX', () => {
    // A geometric rise of 0.5% per bar: the EMA follows at the same rate, (1.005^10 - 1) / 10 per bar.
    expect(rising.ema_slope_pct).toBeCloseTo((1.005 ** 10 - 1) / 10, 4);
    expect(rising.plus_di).toBeGreaterThan(rising.minus_di as number);
    expect(rising.minus_di).toBe(0);
    expect(rising.adx).toBeGreaterThan(50);
    expect(rising.ema_fast).toBeGreaterThan(rising.ema_slow as number);
    expect(rising.choppiness).toBeLessThan(38.2);
  });

  it('a steadily falling market shows the mirror image', () => {
    expect(falling.ema_slope_pct).toBeLessThan(0);
    expect(falling.minus_di).toBeGreaterThan(falling.plus_di as number);
    expect(falling.plus_di).toBe(0);
    expect(falling.adx).toBeGreaterThan(50);
    expect(falling.ema_fast).toBeLessThan(falling.ema_slow as number);
  });

  it('a market going up and down by turns is choppy with a weak ADX', () => {
    const last = run(candlesFromCloses('X', range(150).map((i) => (i % 2 === 0 ? 100 : 102)))).at(-1) as MarketFeatures;
    expect(last.choppiness).toBeGreaterThan(61.8);
    expect(last.adx).toBeLessThan(20);
    expect(Math.abs(last.ema_slope_pct as number)).toBeLessThan(1e-4);
  });
});

describe('returns and realised volatility', () => {
  const returns = range(99).map(gaussian(seeded(6)));

  it('return_1 is the log return of the last bar and realized_vol the spread of the last 24', () => {
    const out = run(candlesFromCloses('X', closesFromReturns(returns.map((r) => 0.01 * r))));
    const last = out.at(-1) as MarketFeatures;
    const recent = returns.slice(-24).map((r) => 0.01 * r);
    const mean = recent.reduce((s, r) => s + r, 0) / 24;
    const std = Math.sqrt(recent.reduce((s, r) => s + (r - mean) ** 2, 0) / 24);
    expect(last.return_1).toBeCloseTo(0.01 * (returns.at(-1) as number), 12);
    expect(last.realized_vol).toBeCloseTo(std, 12);
  });

  it('scales with the size of the moves', () => {
    const small = run(candlesFromCloses('X', closesFromReturns(returns.map((r) => 0.002 * r)))).at(-1) as MarketFeatures;
    const large = run(candlesFromCloses('X', closesFromReturns(returns.map((r) => 0.01 * r)))).at(-1) as MarketFeatures;
    expect((large.realized_vol as number) / (small.realized_vol as number)).toBeCloseTo(5, 6);
  });
});

describe('robustness', () => {
  it('a flat market (high = low = close) gives zeros, not NaN, and recovers when prices move', () => {
    const flat = candlesFromCloses('X', range(80).map(() => 100), () => 0);
    const trend = candlesFromCloses('X', range(60).map((i) => 100 * 1.01 ** (i + 1)), undefined, T0 + 80 * H);
    const out = run([...flat, ...trend]);
    expect(out[79]).toMatchObject({ ready: true, atr: 0, atr_pct: 0, atr_pct_ratio: 1, adx: 0, plus_di: 0, minus_di: 0, realized_vol: 0, choppiness: 100 });
    // trading-signals' own ADX stays NaN forever after a flat start; ours picks the trend up.
    expect((out.at(-1) as MarketFeatures).adx).toBeGreaterThan(25);
  });

  it('agrees with trading-signals ADX, +DI and -DI on ordinary data', () => {
    const candles = candlesFromCloses('X', randomWalk(300, 7), (i, close) => close * 0.01 * (1 + Math.sin(i)));
    const reference = new ADX(14);
    const ours = run(candles);
    candles.forEach((c, i) => {
      const adx = reference.update(c, false);
      const f = ours[i] as MarketFeatures;
      if (adx === null) expect(f.adx).toBeNull();
      else expect(f.adx).toBeCloseTo(adx, 9);
      if (reference.pdi !== undefined) {
        expect(f.plus_di).toBeCloseTo(100 * reference.pdi, 9);
        expect(f.minus_di).toBeCloseTo(100 * (reference.mdi as number), 9);
      }
    });
  });

  it('keeps its windows bounded over a long stream', () => {
    const calculator = new SymbolFeatures('X');
    const candles = candlesFromCloses('X', randomWalk(10_000, 8));
    for (const c of candles) calculator.update(c);
    expect(calculator.bufferSizes()).toEqual({ returns: 24, atr_pct: 200, ema_slow: 11 });
    expect(calculator.latest?.bars).toBe(10_000);
  });

  it('leaves omitted fields null and computes every other field exactly as in full', () => {
    const candles = candlesFromCloses('X', randomWalk(400, 9));
    const full = run(candles);
    const lean = new SymbolFeatures('X', {}, ['choppiness', 'realized_vol', 'atr_pct_percentile']);
    candles.forEach((c, i) => {
      const f = lean.update(c);
      expect(f).toEqual({ ...full[i], choppiness: null, realized_vol: null, atr_pct_percentile: null, ready: false });
    });
    expect(full.at(-1)?.ready).toBe(true);
  });

  it('rejects candles it cannot digest, naming the symbol and bar', () => {
    const [a, b] = candlesFromCloses('ETHUSDT', [100, 101]) as [Candle, Candle];
    const fresh = () => new SymbolFeatures('ETHUSDT');
    expect(() => fresh().update({ ...a, symbol: 'BTCUSDT' })).toThrow(/ETHUSDT.*BTCUSDT/);
    expect(() => fresh().update({ ...a, close: Number.NaN })).toThrow(/ETHUSDT bar closing at 2024-01-01T01:00:00.000Z/);
    expect(() => fresh().update({ ...a, close: 0, low: 0 })).toThrow(/close > 0/);
    expect(() => fresh().update({ ...a, high: a.low - 1 })).toThrow(/low <= close <= high/);
    const calculator = fresh();
    calculator.update(b);
    expect(() => calculator.update(a)).toThrow(/out of order/);
    expect(() => calculator.update(b)).toThrow(/out of order/);
  });

  it('rejects invalid settings up front', () => {
    expect(() => new SymbolFeatures('X', { atr_period: 0 })).toThrow(/atr_period/);
  });
});
