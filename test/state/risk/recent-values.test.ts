import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentValues } from '../../../src/state/risk/recent-values.js';

describe('RecentValues', () => {
  it('says whether a push changed the window, and its mean is always that of the values kept', () => {
    const value = fc.oneof(fc.constantFrom(0, 0.0002, 0.0002, 1e-5), fc.double({ min: 0, max: 0.05, noNaN: true }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(value, { maxLength: 40 }), fc.array(value, { maxLength: 8 }), (capacity, restored, pushes) => {
        const recent = new RecentValues(capacity, restored);
        for (const x of pushes) {
          const before = recent.toJSON();
          recent.mean();
          const changed = recent.push(x);
          const after = recent.toJSON();
          expect(changed).toBe(JSON.stringify(before) !== JSON.stringify(after) || before.length !== after.length);
          expect(recent.mean()).toBe(after.reduce((sum, v) => sum + v, 0) / after.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('treats a full window of one spread taking that spread again as unchanged', () => {
    const recent = new RecentValues(3, [0.0002, 0.0002]);
    expect(recent.push(0.0002)).toBe(true);
    expect(recent.push(0.0002)).toBe(false);
    expect(recent.push(0.0003)).toBe(true);
    expect(recent.mean()).toBe((0.0002 + 0.0002 + 0.0003) / 3);
  });
});
