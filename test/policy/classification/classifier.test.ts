import { describe, expect, it } from 'vitest';
import { Classifier } from '../../../src/policy/classification/index.js';
import { bundledRuleSet } from '../../support/rule-sets.js';
import { features } from '../../support/features.js';

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
