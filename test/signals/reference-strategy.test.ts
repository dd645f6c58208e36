import { describe, expect, it } from 'vitest';
import type { Candle } from '../../src/market/candle.js';
import type { ReferenceStrategyDoc } from '../../src/policy/rule-set.js';
import { confidenceOf, ReferenceStrategy, type Signal } from '../../src/signals/index.js';
import { bundledRuleSet, RuleSetCopy } from '../support/rule-sets.js';
import { candlesOf } from '../support/trading.js';
import { groupByCloseTime } from '../../src/market/time-batches.js';

const H = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

/** Candles following a price path, each with the same range relative to its price (volatility stays usual). */
function path(symbol: string, closes: readonly number[]): Candle[] {
  return closes.map((close, i) => {
    const open = i === 0 ? close : closes[i - 1]!;
    const pad = close * 0.004;
    return { symbol, openTime: T0 + i * H, closeTime: T0 + (i + 1) * H, open, high: Math.max(open, close) + pad / 2, low: Math.min(open, close) - pad / 2, close, volume: 1 };
  });
}
const fall = (from: number, bars: number, rate: number) => Array.from({ length: bars }, (_, i) => from * (1 - rate) ** (i + 1));
const rise = (from: number, bars: number, rate: number) => Array.from({ length: bars }, (_, i) => from * (1 + rate) ** (i + 1));

function run(candles: readonly Candle[], params: ReferenceStrategyDoc = bundledRuleSet().strategy): Signal[] {
  const strategy = new ReferenceStrategy(() => params);
  return groupByCloseTime(candles).flatMap(({ time, candles: batch }) => strategy.signalsAt(time, batch));
}

describe('reference strategy (rules/strategy.yaml)', () => {
  const down = fall(100, 120, 0.003);
  const v = [...down, ...rise(down.at(-1)!, 120, 0.006)];

  it('goes long when the fast EMA crosses above the slow one, tagged with the strategy name', () => {
    const signals = run(path('BTCUSDT', v));
    const entry = signals.find((s) => s.side === 'long')!;
    expect(entry).toMatchObject({ symbol: 'BTCUSDT', strategy: 'ema-cross' });
    expect(entry.timestamp).toBeGreaterThan(T0 + 120 * H);
    expect(entry.confidence).toBeGreaterThanOrEqual(0.3);
    expect(entry.confidence).toBeLessThanOrEqual(0.95);
  });

  it('exits when the close falls back through the slow EMA against the long', () => {
    const top = rise(100, 150, 0.004);
    const signals = run(path('BTCUSDT', [...fall(100, 100, 0.003), ...top, ...fall(top.at(-1)!, 40, 0.01)]));
    const entry = signals.findIndex((s) => s.side === 'long');
    expect(signals.slice(entry + 1).find((s) => s.side === 'exit' || s.side === 'short')?.side).toBe('exit');
  });

  it('goes short on the mirror image, a cross below in a falling market', () => {
    const up = rise(100, 120, 0.003);
    const signals = run(path('ETHUSDT', [...up, ...fall(up.at(-1)!, 120, 0.006)]));
    expect(signals.filter((s) => s.side !== 'exit').map((s) => s.side)).toEqual(['short']);
  });

  it('never delays an exit by the cooldown, which only spaces entries', () => {
    const top = rise(100, 150, 0.004);
    const candles = path('BTCUSDT', [...fall(100, 100, 0.003), ...top, ...fall(top.at(-1)!, 40, 0.01)]);
    const base = bundledRuleSet().strategy;
    const exitOf = (signals: Signal[]) => signals.find((s) => s.side === 'exit');
    const patient = run(candles, { ...base, cooldown_bars: 10_000 });
    expect(patient.filter((s) => s.side !== 'exit')).toHaveLength(1);
    expect(exitOf(patient)).toEqual(exitOf(run(candles, base)));
    expect(exitOf(patient)?.confidence).toBe(1);
  });

  it('sends no exit when exit_on_slow_ema_cross is off', () => {
    const top = rise(100, 150, 0.004);
    const candles = path('BTCUSDT', [...fall(100, 100, 0.003), ...top, ...fall(top.at(-1)!, 40, 0.01)]);
    expect(run(candles, { ...bundledRuleSet().strategy, exit_on_slow_ema_cross: false }).some((s) => s.side === 'exit')).toBe(false);
  });

  it('gives a stronger, steeper trend more confidence than a weak one', () => {
    const weak = run(path('X', [...down, ...rise(down.at(-1)!, 120, 0.0015)])).find((s) => s.side === 'long')!;
    const strong = run(path('X', [...down, ...rise(down.at(-1)!, 120, 0.01)])).find((s) => s.side === 'long')!;
    expect(strong.confidence).toBeGreaterThan(weak.confidence);
  });

  it('builds the confidence from the YAML weights, clamped to min and max', () => {
    const p = bundledRuleSet().strategy;
    expect(confidenceOf(p, 'long', null, null, null)).toBe(p.confidence.base);
    expect(confidenceOf(p, 'long', 100, 1, 0)).toBe(Math.min(p.confidence.max, p.confidence.base + p.confidence.trend_strength.weight + p.confidence.slope.weight));
    // A slope against the signal earns nothing; extreme volatility costs the full penalty.
    expect(confidenceOf(p, 'short', null, 1, null)).toBe(p.confidence.base);
    expect(confidenceOf(p, 'long', null, null, 10)).toBe(Math.max(p.confidence.min, p.confidence.base - p.confidence.volatility_penalty.weight));
  });

  it('respects the cooldown between entries and changes behaviour with the YAML, no code change', () => {
    const wobble = Array.from({ length: 400 }, (_, i) => 100 * (1 + 0.03 * Math.sin(i / 6)));
    const base = bundledRuleSet().strategy;
    const entries = (p: ReferenceStrategyDoc) => run(path('X', wobble), p).filter((s) => s.side !== 'exit');
    const quick = entries({ ...base, cooldown_bars: 0, indicators: { ...base.indicators, ema_fast: 3, ema_slow: 8 } });
    const patient = entries({ ...base, cooldown_bars: 40, indicators: { ...base.indicators, ema_fast: 3, ema_slow: 8 } });
    expect(quick.length).toBeGreaterThan(patient.length);
    const gaps = patient.slice(1).map((s, i) => (s.timestamp - patient[i]!.timestamp) / H);
    expect(gaps.every((g) => g > 40)).toBe(true);
  });

  it('takes its confidence from rules/strategy.yaml as edited by a trader', () => {
    const copy = new RuleSetCopy();
    try {
      copy.edit('rules/strategy.yaml', 'base: 0.40', 'base: 0.50');
      const edited = copy.load().ruleSet!.strategy;
      const candles = path('BTCUSDT', v);
      const before = run(candles).find((s) => s.side === 'long')!;
      const after = run(candles, edited).find((s) => s.side === 'long')!;
      expect(after.timestamp).toBe(before.timestamp);
      expect(after.confidence).toBeCloseTo(Math.min(edited.confidence.max, before.confidence + 0.1), 6);
    } finally {
      copy.remove();
    }
  });

  it('is deterministic and spreads its confidences over the policy’s range on the synthetic market', async () => {
    const candles = await candlesOf({});
    const a = run(candles);
    expect(run(candles)).toEqual(a);
    const entries = a.filter((s) => s.side !== 'exit');
    expect(entries.length).toBeGreaterThan(100);
    // A few entries per symbol and week of 1h bars, not one every bar.
    const symbolWeeks = candles.length / 168;
    expect(entries.length / symbolWeeks).toBeLessThan(5);
    expect(entries.some((s) => s.confidence < 0.45)).toBe(true);
    expect(entries.some((s) => s.confidence >= 0.6)).toBe(true);
  });

  it('is checked by lint: an inconsistent edit is reported with its file:line', () => {
    const copy = new RuleSetCopy();
    try {
      copy.edit('rules/strategy.yaml', 'ema_slow: 48', 'ema_slow: 10');
      const loaded = copy.load();
      expect(loaded.ruleSet).toBeUndefined();
      expect(loaded.problems).toContainEqual(expect.objectContaining({ file: 'rules/strategy.yaml', line: 11, check: 'strategy', message: 'ema_slow (10) must be longer than ema_fast (12)' }));
    } finally {
      copy.remove();
    }
  });
});
