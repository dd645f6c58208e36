import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyEngine } from '../../../src/policy/index.js';
import { handWrittenPolicy } from '../../bench/hand-written-policy.js';
import { fiftySymbolStates, scenarioStates } from '../../bench/policy-evaluation.bench.js';
import { thresholdStateArb } from '../../support/rule-arbitraries.js';
import { bundledRuleSet } from '../../support/rule-sets.js';

// `npm run bench` measures the compiled rules against a hand-written TypeScript function: a fair yardstick
// only if that function makes the same decisions, decided_by and notes included.
describe("the benchmark's hand-written policy function", () => {
  const ruleSet = bundledRuleSet();
  const engine = new PolicyEngine(ruleSet);

  it("returns the shipped rules' policy for the benchmark's states and for random ones, under every profile", async () => {
    for (const s of [...scenarioStates(), ...fiftySymbolStates(16)]) {
      for (const profile of ['SAFE', 'MODERATE', 'AGGRESSIVE']) {
        expect(handWrittenPolicy(s, engine.profile(profile), ruleSet)).toStrictEqual((await engine.evaluate(s, profile)).policy);
      }
    }
    await fc.assert(
      fc.asyncProperty(thresholdStateArb, fc.constantFrom('SAFE', 'MODERATE', 'AGGRESSIVE'), async (s, profile) => {
        expect(JSON.stringify(handWrittenPolicy(s, engine.profile(profile), ruleSet))).toBe(JSON.stringify((await engine.evaluate(s, profile)).policy));
      }),
      { numRuns: 2000 },
    );
  });
});
