import { describe, expect, it } from 'vitest';
import { Classifier } from '../../src/policy/classification/index.js';
import { MarketClassifier } from '../../src/state/market-view.js';
import type { StateSettings } from '../../src/state/state-settings.js';
import { features } from '../support/features.js';
import { bundledRuleSet } from '../support/rule-sets.js';

// market.classification_hold_bars in rules/ruleset.yaml.
describe('classification hysteresis', () => {
  const base = bundledRuleSet();
  const classifier = new Classifier(base);
  const withHold = (hold: number): StateSettings => ({ classifier, market: { ...base.manifest.market, classification_hold_bars: hold } });
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
