import { afterEach, describe, expect, it } from 'vitest';
import { CompiledPolicy } from '../../../src/policy/compiler/index.js';
import { compilePredicate } from '../../../src/policy/compiler/predicate.js';
import { PolicyEngine, type RuleSet } from '../../../src/policy/index.js';
import type { LocatedRule } from '../../../src/policy/rule-set.js';
import { bundledRuleSet } from '../../support/rule-sets.js';
import { state, symbolStats } from '../../support/states.js';

/**
 * Rule files are compiled into JavaScript source (new Function). Text that would break out of a string
 * literal, a template literal or a comment, or end a line, must stay data: the generated source never
 * contains a value of the rule files, and the rule evaluates as json-rules-engine evaluates it.
 */
const PAYLOAD = "x'); globalThis.qtInjected = 1; ('` ${globalThis.qtInjected = 2} */ \" + (globalThis.qtInjected = 3) + \"\u2028\n// ";

const globals = globalThis as { qtInjected?: unknown };

function withRules(base: RuleSet, market: readonly Record<string, unknown>[], symbol: readonly Record<string, unknown>[] = []): RuleSet {
  const template = (scope: string) => base.rules.find((r) => r.scope === scope)!;
  const located = (scope: string, spec: Record<string, unknown>): LocatedRule => ({ ...template(scope), spec: spec as unknown as LocatedRule['spec'] });
  return {
    ...base,
    rules: [...base.rules.filter((r) => r.scope === 'classification'), ...market.map((s) => located('market', s)), ...symbol.map((s) => located('symbol', s))],
  };
}

function compiled(ruleSet: RuleSet): CompiledPolicy {
  const result = CompiledPolicy.compile(ruleSet);
  if (!(result instanceof CompiledPolicy)) throw new Error(result.unsupported.join('; '));
  return result;
}

describe('generated evaluation code', () => {
  const base = bundledRuleSet();
  afterEach(() => {
    delete globals.qtInjected;
  });

  it('holds no text of the rule files: names, constants and notes that look like code stay data', async () => {
    const ruleSet = withRules(
      base,
      [
        {
          name: `gate ${PAYLOAD}`,
          priority: 90,
          conditions: { all: [{ fact: 'regime', operator: 'notEqual', value: PAYLOAD }, { fact: 'regime', operator: 'in', value: ['TRENDING_UP', PAYLOAD] }] },
          event: { type: 'policy', params: { allow_new_trades: false, risk_profile: 'REDUCED', note: `closed in {{regime}} ${PAYLOAD} {{risk.open_positions}}` } },
        },
      ],
      [{ name: `block ${PAYLOAD}`, priority: 10, conditions: { all: [{ fact: 'symbol', path: '$.trades', operator: 'greaterThan', value: 1 }] }, event: { type: 'block-symbol', params: { note: `{{symbol.name}} ${PAYLOAD}` } } }],
    );
    const policy = compiled(ruleSet);
    expect(policy.source).not.toContain('qtInjected');
    expect(policy.source).not.toContain('\u2028');
    const engine = new PolicyEngine(ruleSet, { evaluator: 'json-rules-engine' });
    const s = state({ symbols: { BTCUSDT: symbolStats() } });
    const reference = await engine.explain(s);
    const actual = policy.evaluate(s, engine.profile());
    expect(actual).toStrictEqual(reference.policy);
    expect(actual.note).toContain(PAYLOAD);
    expect(actual.decided_by.allow_new_trades).toEqual([`gate ${PAYLOAD}`]);
    expect(globals.qtInjected).toBeUndefined();
  });

  it('fails, as json-rules-engine does, on a fact name or a path that looks like code, without running it', async () => {
    for (const leaf of [
      { fact: `regime; globalThis.qtInjected = 1`, operator: 'equal', value: 1 },
      { fact: 'risk', path: "$['x']; globalThis.qtInjected = 1; //", operator: 'equal', value: 1 },
    ]) {
      const ruleSet = withRules(base, [{ name: 'odd', priority: 1, conditions: { all: [leaf] }, event: { type: 'policy', params: { max_risk_pct: 0.01 } } }]);
      const policy = compiled(ruleSet);
      expect(policy.source).not.toContain('qtInjected');
      const engine = new PolicyEngine(ruleSet, { evaluator: 'json-rules-engine' });
      expect((await engine.explain(state())).failure).toBeDefined();
      expect(() => policy.evaluate(state(), engine.profile())).toThrow();
      expect(globals.qtInjected).toBeUndefined();
    }
  });

  it('compiles single conditions (the classifier) the same way', () => {
    const predicate = compilePredicate({ all: [{ fact: 'features', path: '$.symbol', operator: 'equal', value: PAYLOAD }] }, 'classification');
    expect(predicate.test({ features: { symbol: PAYLOAD } })).toBe(true);
    expect(predicate.test({ features: { symbol: 'BTCUSDT' } })).toBe(false);
    expect(globals.qtInjected).toBeUndefined();
  });
});
