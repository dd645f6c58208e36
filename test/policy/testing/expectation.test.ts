import { describe, expect, it } from 'vitest';
import { describeExpectation, holds, matchExpectations } from '../../../src/policy/testing/expectation.js';

describe('expectations of a policy test case', () => {
  it('an exact number matches within a billionth of its size, not beyond', () => {
    expect(holds(0.3, 0.1 + 0.2)).toBe(true);
    expect(holds(100000, 100000.00001)).toBe(true);
    expect(holds(0.00001, 0.000010001)).toBe(false);
    expect(holds(0.6, 0.65)).toBe(false);
  });

  it('a list matches the same elements in any order, and nothing more or less', () => {
    expect(holds(['XRPUSDT', 'BTCUSDT'], ['BTCUSDT', 'XRPUSDT'])).toBe(true);
    expect(holds(['XRPUSDT'], ['BTCUSDT', 'XRPUSDT'])).toBe(false);
    expect(holds([], [])).toBe(true);
  });

  it.each([
    [{ lte: 0.01 }, 0.01, true],
    [{ lte: 0.01 }, 0.0100001, false],
    [{ lt: 0.01 }, 0.01, false],
    [{ gte: 0.005, lte: 0.02 }, 0.015, true],
    [{ gte: 0.005, lte: 0.02 }, 0.025, false],
    [{ gt: 0.45 }, 0.46, true],
    [{ ne: 'REDUCED' }, 'SAFE', true],
    [{ ne: 'REDUCED' }, 'REDUCED', false],
    [{ in: ['FAST_TP', 'DEFENSIVE_TRAIL'] }, 'FAST_TP', true],
    [{ not_in: ['FAST_TP', 'DEFENSIVE_TRAIL'] }, 'FAST_TP', false],
    [{ contains: 'XRPUSDT' }, ['BTCUSDT', 'XRPUSDT'], true],
    [{ contains: ['XRPUSDT', 'SOLUSDT'] }, ['BTCUSDT', 'XRPUSDT'], false],
    [{ not_contains: 'XRPUSDT' }, ['BTCUSDT'], true],
    [{ not_contains: ['XRPUSDT', 'BTCUSDT'] }, ['BTCUSDT'], false],
    [{ contains: 'Daily DD limit hit (-2.60%)' }, 'Daily DD limit hit (-2.60%); other', true],
    [{ not_contains: 'Daily DD' }, 'Daily DD limit hit (-2.60%)', false],
    [{ matches: '^Daily DD limit hit \\(-2\\.\\d+%\\)' }, 'Daily DD limit hit (-2.60%)', true],
    [{ empty: true }, [], true],
    [{ empty: false }, '', false],
    [{ lte: 0.01 }, 'not a number', false],
  ] as const)('%j against %j: %s', (expected, actual, result) => {
    expect(holds(expected, actual)).toBe(result);
  });

  it('reports each failing field with the expectation as written and the actual value', () => {
    const mismatches = matchExpectations(
      { min_confidence: 0.6, max_risk_pct: { gte: 0.005, lte: 0.01 }, exit_params: { tp_pct: 0.05, sl_pct: 0.03 }, allow_new_trades: true },
      { min_confidence: 0.65, max_risk_pct: 0.015, exit_params: { tp_pct: 0.08, sl_pct: 0.03 }, allow_new_trades: true },
    );
    expect(mismatches).toEqual([
      { field: 'min_confidence', path: ['expect', 'min_confidence'], expected: '0.6', actual: 0.65 },
      { field: 'max_risk_pct', path: ['expect', 'max_risk_pct'], expected: 'gte 0.005 and lte 0.01', actual: 0.015 },
      { field: 'exit_params.tp_pct', path: ['expect', 'exit_params', 'tp_pct'], expected: '0.05', actual: 0.08 },
    ]);
    expect(describeExpectation({ contains: 'XRPUSDT' })).toBe('contains "XRPUSDT"');
  });
});
