import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompiledClassifier, CompiledPolicy } from '../../../src/policy/compiler/index.js';
import { PolicyEngine, type RuleSet, type TradingPolicy } from '../../../src/policy/index.js';
import type { MarketState } from '../../../src/state/index.js';
import { Classifier } from '../../../src/policy/classification/index.js';
import { classificationRulesArb, policyRulesArb, thresholdStateArb, withClassificationRules, withPolicyRules } from '../../support/rule-arbitraries.js';
import { bundledRuleSet } from '../../support/rule-sets.js';
import { featuresArb, marketStateArb } from '../../support/state-arbitraries.js';

/**
 * Market states (and feature sets) per property; QT_PROPERTY_RUNS raises them for a long soak (e.g.
 * QT_PROPERTY_RUNS=200000). Random rule sets get one fiftieth as many sets, each over 20 states.
 */
const RUNS = Number(process.env.QT_PROPERTY_RUNS ?? 10_000);
const RULE_SETS = Math.max(20, Math.round(RUNS / 50));
const TIMEOUT = 60_000 + RUNS * 10;

const profileName = fc.constantFrom('SAFE', 'MODERATE', 'AGGRESSIVE');
const anyState = fc.oneof(thresholdStateArb, marketStateArb);

/**
 * The compiled evaluator against json-rules-engine (the reference, which `explain` runs): the same
 * policy, key order and all, or both fail. An evaluation the compiled rules cannot finish must be one the
 * engine fails too, and then PolicyEngine.evaluate reports the engine's failure.
 */
async function expectSamePolicy(engine: PolicyEngine, compiled: CompiledPolicy, state: MarketState, profile: string): Promise<void> {
  const reference = await engine.explain(state, profile);
  let policy: TradingPolicy | undefined;
  let error: unknown;
  try {
    policy = compiled.evaluate(state, engine.profile(profile));
  } catch (e) {
    error = e;
  }
  const context = `${JSON.stringify(state)} under ${profile}`;
  if (policy === undefined) {
    expect(reference.failure, `compiled evaluation threw ${String(error)}, json-rules-engine did not, on ${context}`).toBeDefined();
    expect(await engine.evaluate(state, profile)).toEqual({ policy: reference.policy, profile: reference.profile, failure: reference.failure });
    return;
  }
  expect(reference.failure, `json-rules-engine failed (${reference.failure}), the compiled rules did not, on ${context}`).toBeUndefined();
  expect(JSON.stringify(policy), context).toBe(JSON.stringify(reference.policy));
  expect(policy).toStrictEqual(reference.policy);
}

function compile(ruleSet: RuleSet): CompiledPolicy {
  const compiled = CompiledPolicy.compile(ruleSet);
  if (!(compiled instanceof CompiledPolicy)) throw new Error(`not compiled: ${compiled.unsupported.join('; ')}`);
  return compiled;
}

describe('compiled rules against json-rules-engine (differential, property-based)', () => {
  const shipped = bundledRuleSet();

  it(`give the same TradingPolicy for the shipped rules over ${RUNS} random market states`, { timeout: TIMEOUT }, async () => {
    const engine = new PolicyEngine(shipped);
    const compiled = compile(shipped);
    await fc.assert(
      fc.asyncProperty(anyState, profileName, (state, profile) => expectSamePolicy(engine, compiled, state, profile)),
      { numRuns: RUNS },
    );
  });

  it(`classify ${RUNS} random feature sets as json-rules-engine does with the shipped classification rules`, { timeout: TIMEOUT }, async () => {
    const compiled = new Classifier(shipped);
    const reference = new Classifier(shipped, { evaluator: 'json-rules-engine' });
    await fc.assert(
      fc.asyncProperty(featuresArb, async (features) => {
        expect(await compiled.classify(features)).toStrictEqual(await reference.classify(features));
      }),
      { numRuns: RUNS },
    );
  });

  it(`give the same TradingPolicy for ${RULE_SETS} random rule sets, 20 states each`, { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(policyRulesArb, fc.array(fc.tuple(anyState, profileName), { minLength: 20, maxLength: 20 }), async (drafts, cases) => {
        const ruleSet = withPolicyRules(shipped, drafts);
        const engine = new PolicyEngine(ruleSet, { evaluator: 'json-rules-engine' });
        const compiled = compile(ruleSet);
        for (const [state, profile] of cases) await expectSamePolicy(engine, compiled, state, profile);
      }),
      { numRuns: RULE_SETS },
    );
  });

  it(`classify as json-rules-engine does with ${RULE_SETS} random classification rule sets, 20 feature sets each`, { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(classificationRulesArb, fc.array(featuresArb, { minLength: 20, maxLength: 20 }), async (drafts, featureSets) => {
        const ruleSet = withClassificationRules(shipped, drafts);
        expect(CompiledClassifier.compile(ruleSet)).toBeInstanceOf(CompiledClassifier);
        const compiled = new Classifier(ruleSet);
        const reference = new Classifier(ruleSet, { evaluator: 'json-rules-engine' });
        for (const features of featureSets) {
          const expected = await reference.classify(features).then((c) => ({ c }), (e: unknown) => ({ e: String(e) }));
          const actual = await compiled.classify(features).then((c) => ({ c }), (e: unknown) => ({ e: String(e) }));
          expect(actual, JSON.stringify(features)).toStrictEqual(expected);
        }
      }),
      { numRuns: RULE_SETS },
    );
  });
});
