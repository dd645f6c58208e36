import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeBox, regions } from '../../../src/policy/testing/region.js';
import type { Dimension } from '../../../src/policy/testing/state-space.js';
import { numberCandidates } from '../../../src/policy/testing/number-line.js';

const volatility: Dimension = { key: 'volatility', fact: 'volatility', kind: 'enum', values: ['LOW', 'NORMAL', 'HIGH', 'EXTREME'] };
const regime: Dimension = { key: 'regime', fact: 'regime', kind: 'enum', values: ['TRENDING_UP', 'TRENDING_DOWN', 'SIDEWAYS', 'CHOPPY'] };
const numeric = (key: string, thresholds: number[], integer: boolean, min?: number): Dimension => {
  const candidates = numberCandidates(thresholds, { ...(min !== undefined ? { min } : {}), integer }, 0);
  return { key, fact: key, kind: 'number', values: candidates.map((c) => c.value), stretches: candidates.map((c) => c.stretch), integer };
};
const drawdown = numeric('risk.daily_dd_pct', [-0.06, -0.025], false);
const positions = numeric('risk.open_positions', [5, 10], true, 0);

describe('regions of the state space', () => {
  it('describe enumerations by their values, or by the one value left out', () => {
    const dims = [regime, volatility];
    expect(describeBox([[0, 1], [0, 1]], dims)).toBe('regime ∈ {TRENDING_UP, TRENDING_DOWN} and volatility ∈ {LOW, NORMAL}');
    expect(describeBox([[0, 1, 2, 3], [0, 1, 2]], dims)).toBe('volatility ≠ EXTREME');
    expect(describeBox([[2], [0, 1, 2, 3]], dims)).toBe('regime = SIDEWAYS');
    expect(describeBox([[0, 1, 2, 3], [0, 1, 2, 3]], dims)).toBe('');
  });

  it('describe numbers as stretches of the number line, whole numbers with inclusive bounds', () => {
    // one decimal further than each threshold: -0.061, -0.06, -0.059, -0.025, -0.0249
    expect(drawdown.values).toEqual([-0.061, -0.06, -0.059, -0.025, -0.0249]);
    expect(describeBox([[0, 1]], [drawdown])).toBe('risk.daily_dd_pct ≤ -0.06');
    expect(describeBox([[2, 3]], [drawdown])).toBe('-0.06 < risk.daily_dd_pct ≤ -0.025');
    expect(describeBox([[4]], [drawdown])).toBe('risk.daily_dd_pct > -0.025');
    expect(describeBox([[1]], [drawdown])).toBe('risk.daily_dd_pct = -0.06');
    expect(describeBox([[0], ], [drawdown]) + ' / ' + describeBox([[0, 4]], [drawdown])).toBe('risk.daily_dd_pct < -0.06 / risk.daily_dd_pct < -0.06 or risk.daily_dd_pct > -0.025');
    // positions values: 4, 5, 6, 10, 11 (0..4 is one stretch, 6..9 another)
    expect(positions.values).toEqual([4, 5, 6, 10, 11]);
    expect(describeBox([[2]], [positions])).toBe('6 ≤ risk.open_positions ≤ 9');
    expect(describeBox([[0, 1]], [positions])).toBe('risk.open_positions ≤ 5');
    expect(describeBox([[3, 4]], [positions])).toBe('risk.open_positions ≥ 10');
  });

  it('a box comes back as one region with its state count', () => {
    const points = [0, 1].flatMap((r) => [0, 1].map((v) => [r, v]));
    expect(regions(points)).toEqual([{ box: [[0, 1], [0, 1]], count: 4 }]);
  });

  // Whatever the set, the regions are disjoint boxes whose union is exactly the set.
  it('cover any set of states exactly, without overlap', () => {
    const sizes = [4, 3, 5, 2];
    const all = sizes.reduce<number[][]>((acc, n) => acc.flatMap((p) => Array.from({ length: n }, (_, i) => [...p, i])), [[]]);
    fc.assert(
      fc.property(fc.subarray(all, { minLength: 1 }), (subset) => {
        const found = regions(subset);
        const expanded = found.flatMap((r) => r.box.reduce<number[][]>((acc, values) => acc.flatMap((p) => values.map((v) => [...p, v])), [[]]));
        expect(expanded.length).toBe(subset.length);
        expect(new Set(expanded.map((p) => p.join()))).toEqual(new Set(subset.map((p) => p.join())));
        expect(found.reduce((n, r) => n + r.count, 0)).toBe(subset.length);
      }),
      { numRuns: 200 },
    );
  });
});
