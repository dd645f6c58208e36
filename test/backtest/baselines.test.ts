import { beforeAll, describe, expect, it } from 'vitest';
import { runBacktest, type BacktestResult } from '../../src/backtest/backtest.js';
import { baselineRuns } from '../../src/backtest/baselines.js';
import { silentLogger } from '../../src/logger.js';
import type { SignalSource } from '../../src/signals/index.js';
import { bundledEngine } from '../support/rule-sets.js';
import { candlesOf, independentSymbols, scriptedSignals } from '../support/trading.js';

// The baselines of every backtest, on the shipped SAFE profile (notional caps 5% / 10% of equity, entries refused, not resized).
describe('the baselines: OFF (no controls), STATIC (static policy with its caps), ON', () => {
  let result: BacktestResult;
  beforeAll(async () => {
    const candles = await candlesOf({ symbols: independentSymbols(['AAAUSDT', 'BBBUSDT']), bars: 480 });
    const engine = bundledEngine();
    result = await runBacktest({
      candles,
      runs: baselineRuns(engine, 'safe'),
      signals: (): SignalSource => ({ name: 'scripted', signalsAt: (t, c) => scriptedSignals(t, c) }),
      logger: silentLogger(),
    });
  }, 60_000);

  const run = (id: string) => result.runs.find((r) => r.id === id)!;

  it('runs ON, STATIC and OFF in that order, and computes the headline ratios against STATIC', () => {
    expect(result.runs.map((r) => [r.id, r.mode])).toEqual([['on', 'LIVE'], ['static', 'STATIC'], ['off', 'OFF']]);
    expect(result.baseline).toBe('static');
    expect(Object.keys(result.reduction)).toEqual(['on', 'off']);
    expect(Object.keys(result.reduction_vs_off!)).toEqual(['on', 'static']);
  });

  it('STATIC refuses what the profile’s caps refuse, as ON does; OFF has no caps and opens those entries', () => {
    const capped = (id: string) => run(id).decisions.filter((d) => d.reason === 'BLOCKED_BY_SYMBOL_EXPOSURE' || d.reason === 'BLOCKED_BY_TOTAL_EXPOSURE');
    expect(capped('static').length).toBeGreaterThan(0);
    expect(capped('off')).toEqual([]);
    expect(run('off').trades.length).toBeGreaterThan(0);
    // The design's 1% risk at a 2-4% stop is 25-50% of equity in notional: SAFE's 5% cap refuses every entry.
    expect(run('static').trades).toEqual([]);
  });

  it('STATIC keeps the static gate, confidence floor, stance and exit mode; only ON changes them', () => {
    const shares = (id: string) => run(id).metrics;
    expect(shares('static').gate_closed_share).toBe(0);
    expect(shares('static').stance_share).toEqual({ SAFE: 1 });
    expect(shares('static').exit_mode_share).toEqual(shares('off').exit_mode_share);
    expect(Object.keys(shares('off').exit_mode_share)).toHaveLength(1);
    expect(Object.keys(shares('on').stance_share).length).toBeGreaterThan(1);
    expect(run('static').decisions.some((d) => d.reason === 'BLOCKED_BY_POLICY_FILTER' || d.reason === 'TRADE SHUTDOWN ACTIVE' && d.time >= run('static').warm_up_end!)).toBe(false);
  });
});
