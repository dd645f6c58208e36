import { describe, expect, it } from 'vitest';
import { compare, compareByGroup, type CellFigures, type RunFigures } from '../../src/backtest/study/comparisons.js';
import { walkForward } from '../../src/backtest/study/walk-forward.js';

const run = (id: string, total_return: number, max_drawdown: number, worst_daily_drawdown: number, sharpe: number | null, trades = 10): RunFigures => ({ id, label: id, trades, total_return, max_drawdown, worst_daily_drawdown, sharpe });
const cell = (key: Record<string, string>, ...runs: RunFigures[]): CellFigures => ({ key, runs });

describe('a study comparison, A against B', () => {
  const cells = [
    cell({ profile: 'SAFE', seed: '1' }, run('on', 0.02, -0.05, -0.02, 1.0), run('static', 0.04, -0.10, -0.04, 1.5)),
    cell({ profile: 'SAFE', seed: '2' }, run('on', 0.01, -0.08, -0.03, 0.5), run('static', -0.01, -0.04, -0.01, -0.2)),
    cell({ profile: 'MODERATE', seed: '1' }, run('on', 0.00, 0, 0, null, 0), run('static', 0.03, -0.06, -0.03, 0.9)),
    cell({ profile: 'MODERATE', seed: '2' }, run('on', 0.05, -0.03, -0.01, 2.0), run('static', 0.05, -0.06, -0.02, 1.0)),
  ];

  it('leaves out cells where a run made no trade and counts them', () => {
    const c = compare('on_vs_static', 'ON vs STATIC', 'on', 'static', cells);
    expect(c).toMatchObject({ cells: 4, a_no_trades: 1, b_no_trades: 0, compared: 3 });
  });

  it('gives each figure per cell: drawdown reductions 1 − A/B, return and Sharpe differences, the return cost of a shallower drawdown', () => {
    const m = compare('on_vs_static', 'ON vs STATIC', 'on', 'static', cells).metrics;
    // Max DD: 1 − 0.05/0.10 = 0.5, 1 − 0.08/0.04 = −1, 1 − 0.03/0.06 = 0.5.
    expect(m.max_dd_reduction!.values).toEqual([-1, 0.5, 0.5]);
    expect(m.max_dd_reduction!.better_share).toBeCloseTo(2 / 3, 10);
    expect(m.worst_day_reduction!.values).toEqual([-2, 0.5, 0.5]);
    expect(m.return_difference!.values.map((v) => Number(v.toFixed(10)))).toEqual([-0.02, 0, 0.02]);
    expect(m.sharpe_difference!.values).toEqual([-0.5, 0.7, 1]);
    // Cells where ON's max DD was shallower: seed 1 SAFE (cost 0.02) and seed 2 MODERATE (cost 0).
    expect(m.return_cost!.values.map((v) => Number(v.toFixed(10)))).toEqual([0, 0.02]);
    expect(m.return_cost!.better_share).toBe(0.5);
  });

  it('groups by each grid dimension with more than one value', () => {
    const groups = compareByGroup('on_vs_static', 'ON vs STATIC', 'on', 'static', cells, ['profile', 'seed', 'source']);
    expect(groups.map((g) => [g.group, g.compared])).toEqual([['all', 3], ['profile=SAFE', 2], ['profile=MODERATE', 1], ['seed=1', 1], ['seed=2', 2]]);
  });
});

describe('walk-forward over rule-set variants', () => {
  it('picks on each period the candidate that scored best on the one before, and reports it on this one', () => {
    const key = (period: number) => ({ seed: '1', period: String(period) });
    const cells = [
      cell(key(0), run('on', 0.01, -0.05, -0.02, 0.2), run('vs1', 0.03, -0.04, -0.02, 1.1), run('static', 0, -0.02, -0.01, 0.1)),
      cell(key(1), run('on', 0.02, -0.03, -0.01, 0.9), run('vs1', -0.01, -0.06, -0.03, -0.4), run('static', 0, -0.02, -0.01, 0.1)),
      cell(key(2), run('on', 0.00, -0.04, -0.02, 0.0), run('vs1', 0.01, -0.02, -0.01, 0.3), run('static', 0, -0.02, -0.01, 0.1)),
    ];
    const { cells: out, steps } = walkForward(cells, ['on', 'vs1'], 'sharpe');
    expect(steps.map((s) => [s.chosen_on, s.reported_on, s.chosen])).toEqual([[0, 1, 'vs1'], [1, 2, 'on']]);
    expect(out.map((c) => c.runs.find((r) => r.id === 'chosen')!.total_return)).toEqual([-0.01, 0.0]);
    expect(walkForward(cells, ['on', 'vs1'], 'max_dd').steps.map((s) => s.chosen)).toEqual(['vs1', 'on']);
  });
});
