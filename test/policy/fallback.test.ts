import { describe, expect, it } from 'vitest';
import { PolicyEngine, type RuleSet } from '../../src/policy/index.js';
import type { LocatedRule } from '../../src/policy/rule-set.js';
import { bundledRuleSet } from '../support/rule-sets.js';
import { state } from '../support/states.js';

// full-live-mode.md, "Safety Mechanisms / Fallback Policy": if the orchestrator fails, trade on safe defaults.
describe('fallback policy', () => {
  /** A rule set with one extra rule that reads a fact no state provides, so json-rules-engine throws. */
  const brokenRuleSet = (): RuleSet => {
    const base = bundledRuleSet();
    const template = base.rules.find((r) => r.scope === 'market')!;
    const broken: LocatedRule = {
      ...template,
      spec: {
        name: 'reads-a-missing-fact',
        priority: 1,
        description: 'injected failure',
        conditions: { all: [{ fact: 'order_book', operator: 'equal', value: 'thin' }] },
        event: { type: 'policy', params: { note: 'unreachable' } },
      },
    };
    return { ...base, rules: [...base.rules, broken] };
  };

  it('is produced, exactly as the seed specifies, when evaluation fails', async () => {
    const evaluation = await new PolicyEngine(brokenRuleSet()).evaluate(state());
    expect(evaluation.failure).toMatch(/order_book/);
    expect(evaluation.policy).toMatchObject({
      allow_new_trades: true,
      min_confidence: 0.65,
      max_risk_pct: 0.01,
      allowed_symbols: [],
      disallowed_symbols: [],
      exit_mode: 'DEFENSIVE_TRAIL',
      exit_params: { tp_pct: 0.04, sl_pct: 0.02, trail_pct: 0.015, partial_tp_fraction: 0.7, partial_tp_at_r: 0.8 },
      risk_profile: 'FALLBACK',
      profile: 'SAFE',
    });
    expect(evaluation.policy.note).toMatch(/^FALLBACK: Orchestrator failed, using safe defaults \(.*order_book.*\)$/);
  });

  it('is not used when evaluation succeeds', async () => {
    const evaluation = await new PolicyEngine(bundledRuleSet()).evaluate(state());
    expect(evaluation.failure).toBeUndefined();
    expect(evaluation.policy.risk_profile).not.toBe('FALLBACK');
  });
});
