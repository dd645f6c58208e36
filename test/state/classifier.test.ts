import { describe, expect, it } from 'vitest';
import { Classifier } from '../../src/state/classifier.js';
import { MarketClassifier } from '../../src/state/market-view.js';
import { bundledRuleSet } from '../support/rule-sets.js';

/** Indicators of a quiet, directionless, middling market; tests override what they are about. */
const features = (overrides: Record<string, number | null> = {}) => ({
  symbol: 'BTCUSDT',
  time: 0,
  close: 100,
  ready: true,
  bars: 300,
  atr: 1,
  atr_pct: 0.01,
  atr_pct_percentile: 0.5,
  atr_pct_ratio: 1,
  adx: 15,
  plus_di: 20,
  minus_di: 20,
  ema_fast: 100,
  ema_slow: 100,
  ema_slope_pct: 0,
  choppiness: 50,
  realized_vol: 0.01,
  return_1: 0.001,
  ...overrides,
});

// rules/classification/*.yaml, rule by rule.
describe('classification rules', () => {
  const classifier = new Classifier(bundledRuleSet());

  it.each([
    [0.5, 'LOW', 'volatility-low'],
    [0.6, 'LOW', 'volatility-low'],
    [1, 'NORMAL', 'default'],
    [1.39, 'NORMAL', 'default'],
    [1.4, 'HIGH', 'volatility-high'],
    [2.49, 'HIGH', 'volatility-high'],
    [2.5, 'EXTREME', 'volatility-extreme-spike'],
    [6, 'EXTREME', 'volatility-extreme-spike'],
  ] as const)('ATR%% at %s times its median gives %s volatility', async (ratio, level, rule) => {
    const c = await classifier.classify(features({ atr_pct_ratio: ratio }));
    expect(c.volatility).toBe(level);
    expect(c.decided_by.volatility).toBe(rule);
  });

  it('a crash-sized single bar is EXTREME even before ATR catches up', async () => {
    const c = await classifier.classify(features({ atr_pct_ratio: 0.9, return_1: -0.08 }));
    expect(c).toMatchObject({ volatility: 'EXTREME', decided_by: { volatility: 'volatility-extreme-crash-bar' } });
  });

  it.each([
    ['strong trend up', { adx: 32, plus_di: 30, minus_di: 10, ema_slope_pct: 0.002 }, 'TRENDING_UP'],
    ['strong trend down', { adx: 32, plus_di: 10, minus_di: 30, ema_slope_pct: -0.002 }, 'TRENDING_DOWN'],
    ['ADX up but EMA falling (no agreement)', { adx: 32, plus_di: 30, minus_di: 10, ema_slope_pct: -0.001 }, 'SIDEWAYS'],
    ['weak ADX', { adx: 18, plus_di: 30, minus_di: 10, ema_slope_pct: 0.002 }, 'SIDEWAYS'],
    ['choppy with large moves', { choppiness: 63, atr_pct_percentile: 0.7 }, 'CHOPPY'],
    ['choppy but quiet', { choppiness: 63, atr_pct_percentile: 0.3 }, 'SIDEWAYS'],
    ['a strong trend wins over choppiness', { adx: 40, plus_di: 35, minus_di: 8, ema_slope_pct: 0.003, choppiness: 60, atr_pct_percentile: 0.7 }, 'TRENDING_UP'],
  ] as const)('%s → %s', async (_label, overrides, regime) => {
    expect((await classifier.classify(features(overrides))).regime).toBe(regime);
  });

  it('warming-up indicators (null) never satisfy a numeric condition', async () => {
    const c = await classifier.classify(features({ atr_pct_percentile: null, atr_pct_ratio: null, adx: null, choppiness: null, return_1: null }));
    expect(c).toMatchObject({ volatility: 'NORMAL', regime: 'SIDEWAYS', decided_by: { volatility: 'default', regime: 'default' } });
  });
});

// market.classification_hold_bars in rules/ruleset.yaml.
describe('classification hysteresis', () => {
  const base = bundledRuleSet();
  const withHold = (hold: number) => ({ ...base, manifest: { ...base.manifest, market: { ...base.manifest.market, classification_hold_bars: hold } } });
  const trending = { adx: 32, plus_di: 30, minus_di: 10, ema_slope_pct: 0.002 };
  const run = async (hold: number, steps: Record<string, number | null>[]) => {
    const market = new MarketClassifier(() => withHold(hold));
    const out: [string, string][] = [];
    for (const [i, step] of steps.entries()) {
      const view = (await market.update(i, [features(step) as never]))!;
      out.push([view.regime, view.volatility]);
    }
    return out;
  };

  it('lets a new regime replace the current one only after it was called hold_bars closes in a row', async () => {
    const steps = [trending, {}, {}, trending, {}, {}, {}];
    expect((await run(3, steps)).map(([r]) => r)).toEqual(['TRENDING_UP', 'TRENDING_UP', 'TRENDING_UP', 'TRENDING_UP', 'TRENDING_UP', 'TRENDING_UP', 'SIDEWAYS']);
    expect((await run(1, steps)).map(([r]) => r)).toEqual(['TRENDING_UP', 'SIDEWAYS', 'SIDEWAYS', 'TRENDING_UP', 'SIDEWAYS', 'SIDEWAYS', 'SIDEWAYS']);
  });

  it('applies a rise in volatility at once and holds only the calming down', async () => {
    const steps: Record<string, number>[] = [{}, { atr_pct_ratio: 3 }, {}, {}, {}];
    expect((await run(3, steps)).map(([, v]) => v)).toEqual(['NORMAL', 'EXTREME', 'EXTREME', 'EXTREME', 'NORMAL']);
  });
});
