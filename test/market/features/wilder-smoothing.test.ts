import { ATR, WSMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { AverageTrueRange, WilderSmoothing } from '../../../src/market/features/wilder-smoothing.js';
import { candlesFromCloses, closesFromReturns, gaussian, range, seeded } from './helpers.js';

describe('WilderSmoothing and AverageTrueRange', () => {
  it('give exactly what trading-signals WSMA gives, value by value, for any period', () => {
    const uniform = seeded(21);
    for (const period of [1, 2, 3, 14, 50]) {
      const ours = new WilderSmoothing(period);
      const theirs = new WSMA(period);
      for (let i = 0; i < 2_000; i++) {
        // Spiky, mixed-sign values and runs of zeros: the cases where summation order would show.
        const value = i % 97 < 5 ? 0 : (uniform() - 0.3) * 10 ** Math.floor(uniform() * 6);
        expect(ours.update(value)).toBe(theirs.update(value, false));
      }
    }
  });

  it('give exactly what trading-signals ATR gives, bar by bar', () => {
    const normal = gaussian(seeded(5));
    const candles = candlesFromCloses('X', closesFromReturns(range(3_000).map(() => 0.02 * normal())), (i, close) => close * 0.03 * ((i % 7) / 7));
    for (const period of [1, 14, 30]) {
      const ours = new AverageTrueRange(period);
      const theirs = new ATR(period);
      for (const candle of candles) expect(ours.update(candle)).toBe(theirs.update(candle, false));
    }
  });

  it('rejects a period that is not a positive integer', () => {
    expect(() => new WilderSmoothing(0)).toThrow(/positive integer/);
    expect(() => new WilderSmoothing(2.5)).toThrow(/positive integer/);
  });
});
