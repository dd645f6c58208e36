import { describe, expect, it } from 'vitest';
import { runMetrics } from '../../src/backtest/metrics.js';
import { verdict } from '../../src/backtest/verdict.js';

const H = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

/** A run whose equity goes through the given values: one list per day, the values an hour apart; 5 trades. */
function run(label: string, ...days: number[][]) {
  return traded(label, 5, ...days);
}

function traded(label: string, trades: number, ...days: number[][]) {
  const equity = days.flatMap((values, d) => values.map((e, i) => ({ time: T0 + d * 24 * H + (i + 1) * H, equity: e })));
  return { label, metrics: { ...runMetrics(equity, [], [], { initialEquity: 1000 }), trades } };
}

describe('the verdict: one plain-words sentence per comparison', () => {
  it('says which run earned more and which fell less, with the figures', () => {
    const on = run('ON', [990, 1030]);
    const off = run('OFF', [950, 1010]);
    expect(verdict(on, off)).toBe(
      'ON earned more than OFF with shallower drawdowns: total return +3.00% vs +1.00%, max drawdown -1.00% vs -5.00% (80% shallower), worst day -1.00% vs -5.00% (80% shallower), 5 vs 5 trades.',
    );
  });

  it('says "lost less" rather than "earned more" when both lost, and names mixed drawdowns', () => {
    // ON: one deep day that it recovers from; OFF: milder days, but a longer slide.
    const on = run('ON', [940, 990]);
    const off = run('OFF', [970], [943], [916]);
    expect(verdict(on, off)).toMatch(/^ON lost less than OFF with a deeper worst day but a shallower max drawdown: total return -1\.00% vs -8\.40%, max drawdown -6\.00% vs -8\.40% \(29% shallower\), worst day -6\.00% vs -3\.00% \(100% deeper\), /);
  });

  it.each([
    [[1010], [1030], 'earned less than'],
    [[990], [1010], 'lost money, unlike'],
    [[980], [990], 'lost more than'],
    [[1010], [1010], 'ended level with'],
  ])('A %j against B %j: "%s"', (a, b, words) => {
    expect(verdict(run('A', a), run('B', b))).toContain(`A ${words} B `);
  });
});

describe('the verdict of a run that never traded', () => {
  it('says its drawdowns are those of not trading, not of risk control', () => {
    const idle = traded('ON', 0, [1000]);
    const busy = traded('STATIC', 12, [950, 1010]);
    expect(verdict(idle, busy)).toMatch(/, 0 vs 12 trades\. ON made no trades: its drawdowns are those of not trading, not of risk control\.$/);
    expect(verdict(busy, idle)).toMatch(/ON made no trades/);
    expect(verdict(run('A', [990]), run('B', [1010]))).not.toMatch(/made no trades/);
  });

  it('compares nothing when neither run traded', () => {
    expect(verdict(traded('ON', 0, [1000]), traded('STATIC', 0, [1000]))).toBe('ON and STATIC made no trades: there is nothing to compare.');
  });
});
