import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberCandidates, type Domain } from '../../../src/policy/testing/number-line.js';

const values = (thresholds: number[], domain: Domain, fallback = 0) => numberCandidates(thresholds, domain, fallback).map((c) => c.value);

describe('the values of a number worth trying', () => {
  it('are each threshold and a value just either side of it, one decimal further', () => {
    expect(values([-0.025], { min: -1, max: 0, integer: false })).toEqual([-0.0251, -0.025, -0.0249]);
    expect(values([0.35, 0.5], { min: 0, max: 1, integer: false })).toEqual([0.349, 0.35, 0.351, 0.5, 0.51]);
    expect(values([25], { min: 0, max: 100, integer: false })).toEqual([24.9, 25, 25.1]);
  });

  it('count in whole steps for whole numbers, and a threshold of 2.5 splits them like 2 and 3', () => {
    expect(values([5], { min: 0, integer: true })).toEqual([4, 5, 6]);
    expect(values([3, 5], { min: 0, integer: true })).toEqual([2, 3, 4, 5, 6]);
    expect(values([2.5], { min: 0, integer: true })).toEqual([1, 2, 3, 4]);
    expect(values([0], { min: 0, integer: true })).toEqual([0, 1]);
  });

  it('stay inside the fact\'s range and take the midpoint when two thresholds are closer than one step', () => {
    expect(values([0], { min: -1, max: 0, integer: false })).toEqual([-0.1, 0]);
    expect(values([0.001, 0.00101], { min: 0, integer: false })).toEqual([0.0009, 0.001, 0.001005, 0.00101, 0.001011]);
    expect(values([100000, 1e-5], { min: 0, integer: false })).toEqual([0.000009, 0.00001, 0.000011, 100000, 100000.1]);
  });

  it('are the neutral value alone when no rule gives a threshold', () => {
    expect(values([], { min: 0, integer: true }, 3)).toEqual([3]);
  });

  // The claim `diff` rests on: every number behaves, against every threshold, like one of the candidates.
  it('stand for the whole number line: any value compares with every threshold like some candidate does', () => {
    const decimal = fc.integer({ min: -200_000, max: 200_000 }).map((n) => n / 1000);
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 6 }), decimal, fc.boolean(), (thresholds, x, integer) => {
        const domain: Domain = { min: -200, max: 200, integer };
        const probe = integer ? Math.round(x) : x;
        const outcomes = (v: number) => thresholds.map((t) => [v < t, v <= t, v === t, v > t, v >= t].join()).join('|');
        const candidates = values(thresholds, domain);
        expect(candidates.every((c) => c >= -200 && c <= 200 && (!integer || Number.isInteger(c)))).toBe(true);
        expect(candidates.map(outcomes)).toContain(outcomes(probe));
      }),
      { numRuns: 500 },
    );
  });
});
