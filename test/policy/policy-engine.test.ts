import { describe, expect, it } from 'vitest';
import { PolicyEngine, type RuleSet } from '../../src/policy/index.js';
import type { LocatedRule } from '../../src/policy/rule-set.js';
import { captureLogger } from '../support/log-capture.js';
import { bundledRuleSet } from '../support/rule-sets.js';
import { scenario, SCENARIO_FILES, state, symbolStats } from '../support/states.js';

const scenarios = (Object.keys(SCENARIO_FILES) as (keyof typeof SCENARIO_FILES)[]).map((name) => scenario(name));

describe('PolicyEngine', () => {
  it('evaluates with the compiled rules, which decide as json-rules-engine does (explain)', async () => {
    const engine = new PolicyEngine(bundledRuleSet());
    expect(engine.evaluator).toBe('compiled');
    for (const s of scenarios) {
      for (const profile of ['SAFE', 'MODERATE', 'AGGRESSIVE']) {
        const evaluation = await engine.evaluate(s, profile);
        const explanation = await engine.explain(s, profile);
        expect(evaluation).toStrictEqual({ policy: explanation.policy, profile: explanation.profile });
        expect(explanation.trace.length).toBeGreaterThan(0);
      }
    }
  });

  it('can be asked to evaluate with json-rules-engine itself', async () => {
    const engine = new PolicyEngine(bundledRuleSet(), { evaluator: 'json-rules-engine' });
    expect(engine.evaluator).toBe('json-rules-engine');
    expect((await engine.evaluate(scenarios[0]!)).policy).toStrictEqual((await new PolicyEngine(bundledRuleSet()).evaluate(scenarios[0]!)).policy);
  });

  it('leaves a rule set the compiler does not take to json-rules-engine, and says why', async () => {
    const base = bundledRuleSet();
    const twin = base.rules.find((r) => r.spec.name === 'stance-high-volatility')!;
    // Two rules of one name: lint refuses it, json-rules-engine runs it, the compiler does not.
    const ruleSet: RuleSet = { ...base, rules: [...base.rules, { ...twin, spec: { ...twin.spec, priority: 1 } } as LocatedRule] };
    const { logger, records } = captureLogger();
    const engine = new PolicyEngine(ruleSet, { logger });
    expect(engine.evaluator).toBe('json-rules-engine');
    expect(engine.unsupported).toEqual([expect.stringMatching(/stance-high-volatility.*used twice/)]);
    expect(records).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringMatching(/not compiled/) }));
    const evaluation = await engine.evaluate(state({ volatility: 'HIGH' }));
    expect(evaluation.failure).toBeUndefined();
    expect(evaluation.policy.decided_by.risk_profile).toEqual(['stance-high-volatility', 'stance-high-volatility']);
  });

  it('returns a policy of its own: changing one leaves the next evaluation alone', async () => {
    const engine = new PolicyEngine(bundledRuleSet());
    const poor = state({ symbols: { XRPUSDT: symbolStats({ trades: 40, win_rate: 0.2, avg_r: 0.1 }) } });
    const first = (await engine.evaluate(poor)).policy as unknown as { disallowed_symbols: string[]; exit_params: Record<string, number>; decided_by: Record<string, string[]> };
    const expected = structuredClone(first);
    first.disallowed_symbols.push('BTCUSDT');
    first.exit_params.tp_pct = 99;
    first.decided_by.exit_mode!.push('nobody');
    expect((await engine.evaluate(poor)).policy).toStrictEqual(expected);
  });
});
