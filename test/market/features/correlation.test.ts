import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../src/market/candle.js';
import { CorrelationTracker } from '../../../src/market/features/index.js';
import { candlesFromCloses, closesFromReturns, gaussian, H, range, seeded, T0 } from './helpers.js';

function feed(tracker: CorrelationTracker, ...series: Candle[][]): CorrelationTracker {
  const all = series.flat().sort((a, b) => a.closeTime - b.closeTime || a.symbol.localeCompare(b.symbol));
  for (const c of all) tracker.update(c);
  return tracker;
}

function noise(seed: number, n: number, sigma = 0.01): number[] {
  const normal = gaussian(seeded(seed));
  return range(n).map(() => sigma * normal());
}

const base = noise(1, 100);
const btc = candlesFromCloses('BTCUSDT', closesFromReturns(base, 40_000));

describe('CorrelationTracker', () => {
  it('is ~1 for two symbols with identical returns, at any price level', () => {
    const tracker = feed(new CorrelationTracker(), btc, candlesFromCloses('ETHUSDT', closesFromReturns(base, 2_000)));
    expect(tracker.correlation('BTCUSDT', 'ETHUSDT')).toBeCloseTo(1, 9);
    expect(tracker.correlation('ETHUSDT', 'BTCUSDT')).toBeCloseTo(1, 9);
  });

  it('is ~-1 for opposite returns', () => {
    const inverse = candlesFromCloses('BEARUSDT', closesFromReturns(base.map((r) => -r), 10));
    expect(feed(new CorrelationTracker(), btc, inverse).correlation('BTCUSDT', 'BEARUSDT')).toBeCloseTo(-1, 9);
  });

  it('is near 0 for independent noise', () => {
    const n = 600;
    const a = candlesFromCloses('A', closesFromReturns(noise(11, n)));
    const b = candlesFromCloses('B', closesFromReturns(noise(12, n)));
    // Over 400 bars the sampling spread of r is about 1/sqrt(400) = 0.05.
    const r = feed(new CorrelationTracker({ correlation_window: 400 }), a, b).correlation('A', 'B') as number;
    expect(Math.abs(r)).toBeLessThan(0.15);
  });

  it('is null until half the window of aligned returns exists', () => {
    const tracker = new CorrelationTracker(); // window 48: 24 aligned returns needed
    const eth = candlesFromCloses('ETHUSDT', closesFromReturns(base, 2_000));
    const results: (number | null)[] = [];
    for (let i = 0; i < 30; i++) {
      tracker.update(btc[i] as Candle);
      tracker.update(eth[i] as Candle);
      results.push(tracker.correlation('BTCUSDT', 'ETHUSDT'));
    }
    // Bar 1 gives no return, so the 24th aligned return comes with bar 25.
    expect(results.slice(0, 24).every((r) => r === null)).toBe(true);
    expect(results[24]).toBeCloseTo(1, 9);
    expect(tracker.minAlignedBars).toBe(24);
  });

  it('aligns by closeTime: returns of different intervals never pair up', () => {
    const shifted = candlesFromCloses('ETHUSDT', closesFromReturns(base, 2_000), undefined, T0 + H / 2);
    const tracker = feed(new CorrelationTracker(), btc, shifted);
    expect(tracker.correlation('BTCUSDT', 'ETHUSDT')).toBeNull();
    expect(tracker.correlation('BTCUSDT', 'UNKNOWN')).toBeNull();
  });

  it('drops the returns around a missing bar instead of comparing a two-bar move with a one-bar move', () => {
    const eth = candlesFromCloses('ETHUSDT', closesFromReturns(base, 2_000)).filter((_, i) => ![70, 80, 90].includes(i));
    const tracker = feed(new CorrelationTracker(), btc, eth);
    // Identical one-bar returns wherever both have one: exactly correlated only if the two-bar moves
    // across the gaps were left out.
    expect(tracker.correlation('BTCUSDT', 'ETHUSDT')).toBeCloseTo(1, 9);
  });

  it('gives no correlation when gaps leave too few aligned returns', () => {
    // ETH misses every third bar: only one of its returns in three spans a single BTC bar.
    const eth = candlesFromCloses('ETHUSDT', closesFromReturns(base, 2_000)).filter((_, i) => i % 3 !== 2);
    expect(feed(new CorrelationTracker(), btc, eth).correlation('BTCUSDT', 'ETHUSDT')).toBeNull();
  });

  it('gives no correlation for a symbol whose price does not move', () => {
    const flat = candlesFromCloses('FLAT', range(101).map(() => 5));
    expect(feed(new CorrelationTracker(), btc, flat).correlation('BTCUSDT', 'FLAT')).toBeNull();
  });

  it('lists correlated symbols and the full matrix', () => {
    const eth = candlesFromCloses('ETHUSDT', closesFromReturns(base.map((r, i) => r + 0.3 * (noise(2, 100)[i] as number)), 2_000));
    const bear = candlesFromCloses('BEARUSDT', closesFromReturns(base.map((r) => -r), 10));
    const other = candlesFromCloses('XRPUSDT', closesFromReturns(noise(3, 100), 0.6));
    const tracker = feed(new CorrelationTracker(), btc, eth, bear, other);
    expect(tracker.symbols()).toEqual(['BEARUSDT', 'BTCUSDT', 'ETHUSDT', 'XRPUSDT']);
    expect(tracker.correlatedWith('BTCUSDT', 0.7)).toEqual(['ETHUSDT']);
    expect(tracker.correlatedWith('BTCUSDT', -1)).toEqual(['ETHUSDT', 'XRPUSDT', 'BEARUSDT']);
    // Among given candidates only (the open positions' symbols), unknown and repeated ones ignored.
    expect(tracker.correlatedWith('BTCUSDT', -1, ['BEARUSDT', 'XRPUSDT', 'BEARUSDT', 'NEWUSDT', 'BTCUSDT'])).toEqual(['XRPUSDT', 'BEARUSDT']);
    expect(tracker.correlatedWith('BTCUSDT', 0.7, [])).toEqual([]);
    const m = tracker.matrix();
    expect(Object.keys(m)).toEqual(tracker.symbols());
    for (const a of tracker.symbols()) {
      expect(m[a]?.[a]).toBeCloseTo(1, 9);
      for (const b of tracker.symbols()) {
        expect(m[a]?.[b]).toBe(m[b]?.[a]);
        expect(m[a]?.[b]).toBe(tracker.correlation(a, b));
      }
    }
    expect(m.BTCUSDT?.BEARUSDT).toBeCloseTo(-1, 9);
    expect(() => tracker.correlatedWith('BTCUSDT', Number.NaN)).toThrow(/threshold/);
  });

  it('follows the window: correlation reflects only the last correlation_window returns', () => {
    // First 100 returns identical, next 100 opposite: a window of 48 sees only the opposite regime.
    const later = noise(4, 100);
    const a = candlesFromCloses('A', closesFromReturns([...base, ...later]));
    const b = candlesFromCloses('B', closesFromReturns([...base, ...later.map((r) => -r)]));
    expect(feed(new CorrelationTracker(), a, b).correlation('A', 'B')).toBeCloseTo(-1, 9);
  });

  it('keeps at most correlation_window returns per symbol', () => {
    const tracker = new CorrelationTracker();
    const long = candlesFromCloses('BTCUSDT', closesFromReturns(noise(5, 10_000)));
    for (const c of long) tracker.update(c);
    expect(tracker.retainedReturns('BTCUSDT')).toBe(48);
  });
});
