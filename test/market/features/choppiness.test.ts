import { CHOP } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { ChoppinessIndex } from '../../../src/market/features/choppiness.js';
import { candlesFromCloses, closesFromReturns, gaussian, range, seeded } from './helpers.js';

describe('ChoppinessIndex', () => {
  it('gives exactly what trading-signals CHOP gives, bar by bar, flat stretches included', () => {
    const normal = gaussian(seeded(13));
    const returns = range(3_000).map((i) => (i % 500 < 40 ? 0 : 0.015 * normal()));
    // Zero-width bars during the flat stretches: the range-is-zero case.
    const candles = candlesFromCloses('X', closesFromReturns(returns), (i, close) => (i % 500 < 40 ? 0 : close * 0.02 * ((i % 5) / 5)));
    for (const period of [2, 14, 30]) {
      const ours = new ChoppinessIndex(period);
      const theirs = new CHOP(period);
      for (const candle of candles) expect(ours.update(candle)).toBe(theirs.update(candle, false));
    }
  });

  it('rejects a period below 2', () => {
    expect(() => new ChoppinessIndex(1)).toThrow(/at least 2/);
  });
});
