import { describe, expect, it } from 'vitest';
import { marketFacts } from '../../../src/policy/facts.js';
import type { MarketState } from '../../../src/state/index.js';
import { stateSpace } from '../../../src/policy/testing/index.js';
import { completeFeatures, completeState } from '../../../src/policy/testing/neutral-state.js';
import { bundledRuleSet } from '../../support/rule-sets.js';

const ruleSet = bundledRuleSet();
const profile = (name: string) => ruleSet.profiles.get(name)!;
const marketSpace = (rules = ruleSet.rules, profiles = [profile('SAFE')]) =>
  stateSpace({
    rules: rules.filter((r) => r.scope === 'market'),
    scope: 'market',
    always: ['regime', 'volatility'],
    profiles,
    neutral: marketFacts(completeState() as unknown as MarketState, profiles[0]!),
  });
const shape = (space: ReturnType<typeof stateSpace>) => Object.fromEntries(space.dimensions.map((d) => [d.key, d.values]));

describe('the state space of a rule set', () => {
  it('is every regime × volatility and each compared number at the profile\'s thresholds and either side', () => {
    expect(shape(marketSpace())).toEqual({
      regime: ['TRENDING_UP', 'TRENDING_DOWN', 'SIDEWAYS', 'CHOPPY'],
      volatility: ['LOW', 'NORMAL', 'HIGH', 'EXTREME'],
      'risk.daily_dd_pct': [-0.0251, -0.025, -0.0249],
      'risk.daily_dd_latched': [false, true],
      'risk.open_positions': [4, 5, 6],
      'risk.exposure_pct': [0.09, 0.1, 0.11],
      'risk.losing_streak': [2, 3, 4],
    });
  });

  it('takes the thresholds of every profile in play', () => {
    const space = marketSpace(ruleSet.rules, [profile('SAFE'), profile('AGGRESSIVE')]);
    expect(shape(space)['risk.open_positions']).toEqual([4, 5, 6, 10, 11]);
    expect(shape(space)['risk.daily_dd_pct']).toEqual([-0.061, -0.06, -0.059, -0.025, -0.0249]);
    expect(space.size).toBe(16 * 5 ** 4 * 2); // × the drawdown latch
  });

  it('tries two facts compared with each other below, at and above one another', () => {
    const space = stateSpace({
      rules: ruleSet.rules.filter((r) => r.scope === 'classification' && r.document.data.kind === 'ClassificationRules' && (r.document.data as { classifies: string }).classifies === 'regime'),
      scope: 'classification',
      profiles: [],
      neutral: { features: completeFeatures() },
    });
    const { 'features.plus_di': plus, 'features.minus_di': minus } = shape(space) as Record<string, number[]>;
    expect(plus).toEqual(minus);
    expect(plus!.length).toBe(3);
  });

  it('names the comparisons it cannot enumerate (a JSONPath beyond a.b.c) instead of guessing', () => {
    // Lint refuses such paths in a rule set; the enumerator still must not guess if handed one.
    const rewrite = (node: unknown): unknown =>
      Array.isArray(node) ? node.map(rewrite)
      : typeof node === 'object' && node !== null ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'path' && v === '$.open_positions' ? "$['open_positions']" : rewrite(v)]))
      : node;
    const edited = ruleSet.rules.map((r) => ({ ...r, spec: { ...r.spec, conditions: rewrite(r.spec.conditions) } })) as unknown as typeof ruleSet.rules;
    const space = marketSpace(edited);
    expect(space.unsupported).toEqual(['gate-max-positions: risk[\'open_positions\'] greaterThanInclusive profile.limits.max_open_positions']);
    expect(space.dimensions.map((d) => d.key)).not.toContain('risk.open_positions');
  });
});
