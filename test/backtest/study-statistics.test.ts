import { describe, expect, it } from 'vitest';
import { bootstrapMedianInterval, distribution, quantile } from '../../src/backtest/study/statistics.js';

describe('study statistics', () => {
  it('quantiles interpolate between neighbours', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.05)).toBeCloseTo(12, 10);
    expect(quantile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 10);
    expect(quantile([7], 0.3)).toBe(7);
  });

  it('summarises values: median, 5-95% range, share better, sorted values', () => {
    const d = distribution([0.3, -0.1, 0.2, 0.1, 0.0], (v) => v > 0)!;
    expect(d).toMatchObject({ n: 5, median: 0.1, better_share: 0.6, values: [-0.1, 0, 0.1, 0.2, 0.3] });
    expect(d.p5).toBeCloseTo(-0.08, 10);
    expect(d.p95).toBeCloseTo(0.28, 10);
    expect(distribution([], () => true)).toBeUndefined();
  });

  it('the bootstrap interval holds the median, lies within the values, is seeded and narrows with more runs', () => {
    const values = Array.from({ length: 40 }, (_, i) => ((i * 37) % 40) / 100);
    const [low, high] = bootstrapMedianInterval(values, { seed: 'a' });
    expect(low).toBeLessThanOrEqual(quantile([...values].sort((a, b) => a - b), 0.5));
    expect(high).toBeGreaterThanOrEqual(quantile([...values].sort((a, b) => a - b), 0.5));
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThanOrEqual(0.39);
    expect(bootstrapMedianInterval(values, { seed: 'a' })).toEqual([low, high]);
    const many = Array.from({ length: 400 }, (_, i) => ((i * 37) % 40) / 100);
    const [l2, h2] = bootstrapMedianInterval(many, { seed: 'a' });
    expect(h2 - l2).toBeLessThan(high - low);
    expect(bootstrapMedianInterval([0.2, 0.2, 0.2])).toEqual([0.2, 0.2]);
  });
});
