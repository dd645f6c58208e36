import { describe, expect, it } from 'vitest';
import { pearson, percentileRank, RingBuffer } from '../../../src/market/features/index.js';

describe('percentileRank', () => {
  it('is the share of values at or below the current one when there are no ties', () => {
    expect(percentileRank([1, 2, 3, 4], 4)).toBe(1);
    expect(percentileRank([4, 3, 2, 1], 2)).toBe(0.5);
    expect(percentileRank([1, 2, 3, 4], 1)).toBe(0.25);
  });

  it('counts other values equal to the current one half, so a constant history ranks in the middle', () => {
    expect(percentileRank([5, 5, 5, 5], 5)).toBe(0.625); // (0 + (4 + 1) / 2) / 4
    expect(percentileRank([0, 0, 0, 0, 0, 0, 0, 0, 0], 0)).toBeCloseTo(5 / 9, 12);
    expect(percentileRank([1, 2, 2], 2)).toBe(5 / 6); // 1 below, the other 2 counts half
    expect(percentileRank([0.02, 0.02 * (1 + 1e-12)], 0.02)).toBe(0.75); // equal up to rounding
  });

  it('requires the history to include the value', () => {
    expect(() => percentileRank([1, 2], 3)).toThrow(/contain the value/);
  });
});

describe('RingBuffer', () => {
  it('keeps the newest `capacity` items, oldest first', () => {
    const buffer = new RingBuffer<number>(3);
    expect(buffer.size).toBe(0);
    expect(buffer.last()).toBeUndefined();
    for (let i = 1; i <= 5; i++) buffer.push(i);
    expect(buffer.toArray()).toEqual([3, 4, 5]);
    expect([buffer.at(0), buffer.last(), buffer.at(3), buffer.at(-1)]).toEqual([3, 5, undefined, undefined]);
    expect(buffer.full).toBe(true);
    expect(buffer.size).toBe(3);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(/capacity/);
  });
});

describe('pearson', () => {
  it('is null when a series has no variance, even up to rounding', () => {
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeGreaterThan(0.9);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([0.1 + 0.2, 0.3, 0.30000000000000004], [1, 2, 3])).toBeNull();
    expect(pearson([1], [2])).toBeNull();
    expect(() => pearson([1, 2], [1])).toThrow(/unequal length/);
  });
});
