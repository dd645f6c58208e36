import { describe, expect, it } from 'vitest';
import { SampledSeries } from '../../src/backtest/sampled-series.js';

const series = (values: readonly number[], buckets: number) => {
  const sampled = new SampledSeries<{ time: number; value: number }>((p) => p.value, buckets);
  values.forEach((value, time) => sampled.add({ time, value }));
  return sampled.points();
};

describe('SampledSeries', () => {
  it('keeps every point while there are no more than buckets', () => {
    const values = [5, 3, 8, 1, 9, 2];
    expect(series(values, 6).map((p) => p.value)).toEqual(values);
  });

  it('past that, keeps the first and last points and each bucket’s lowest and highest, in time order: the deepest fall stays visible', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => 100 + Math.sin(i / 50) * 10 + (i === 7_777 ? -60 : 0) + (i === 1_234 ? 40 : 0));
    const points = series(values, 64);
    expect(points.length).toBeLessThanOrEqual(130);
    expect(points.map((p) => p.time)).toEqual([...points.map((p) => p.time)].sort((a, b) => a - b));
    expect(Math.min(...points.map((p) => p.value))).toBe(Math.min(...values));
    expect(Math.max(...points.map((p) => p.value))).toBe(Math.max(...values));
    expect(points.find((p) => p.value === Math.min(...values))!.time).toBe(7_777);
    expect([points[0]!.time, points.at(-1)!.time]).toEqual([0, 9_999]);
  });

  it('refuses an odd number of buckets (they are merged in pairs)', () => {
    expect(() => new SampledSeries<{ time: number }>(() => 0, 5)).toThrow(RangeError);
  });
});
