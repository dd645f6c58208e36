import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentileRank, percentileRankInWindow, RingBuffer, SortedWindow } from '../../../src/market/features/index.js';

// Values with ties, near-ties (within and just outside the rank's tolerance), zeros and a wide range of scales.
const value = fc.oneof(
  fc.constantFrom(0, 0.02, 0.02 * (1 + 1e-12), 0.02 * (1 + 1e-8), 5),
  fc.double({ min: 1e-6, max: 1e5, noNaN: true }),
  fc.integer({ min: 0, max: 4 }).map((k) => k * 0.001),
);

describe('SortedWindow', () => {
  it('ranks and takes the median as a sort of the same rolling window does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(value, { minLength: 1, maxLength: 60 }), (capacity, values) => {
        const window = new SortedWindow(capacity);
        const ring = new RingBuffer<number>(capacity);
        for (const x of values) {
          window.push(x);
          ring.push(x);
          const sorted = ring.toArray().sort((a, b) => a - b);
          const middle = sorted.length >> 1;
          expect(window.sorted()).toEqual(sorted);
          expect(window.median()).toBe(sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2);
          expect(percentileRankInWindow(window, x)).toBe(percentileRank(ring, x));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses to rank a value the window does not hold, as percentileRank does', () => {
    const window = new SortedWindow(3);
    window.push(1);
    window.push(2);
    expect(() => percentileRankInWindow(window, 3)).toThrow(/contain the value/);
  });
});
