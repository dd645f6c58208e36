import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/cli/lint-command.js';
import { PolicyEngine } from '../../src/policy/index.js';
import { Classifier } from '../../src/policy/classification/index.js';
import { conditionMutationArb, MUTATED_FILES as FILES, mutate, mutateCondition, mutationArb, textAccident, textAccidentArb } from '../support/rule-mutations.js';
import { RuleSetCopy } from '../support/rule-sets.js';
import { featuresArb, marketStateArb } from '../support/state-arbitraries.js';
import { scenario, SCENARIO_FILES } from '../support/states.js';

/** Runs per property; QT_FUZZ_RUNS raises them for a long soak (e.g. QT_FUZZ_RUNS=5000). */
const RUNS = Number(process.env.QT_FUZZ_RUNS ?? 60);
/** A long soak needs a matching time limit: about 0.1 s a run, ten times over. */
const TIMEOUT = 30_000 + RUNS * 1000;

// Whatever a rule file is turned into, lint answers with problems (never an exception), and a set it
// accepts evaluates every state without falling back.
describe('mutated rule sets (property-based)', () => {
  const copy = new RuleSetCopy();
  afterAll(() => copy.remove());
  const originals = new Map(FILES.map((f) => [f, copy.read(f)]));
  const seeds = Object.keys(SCENARIO_FILES).map((name) => scenario(name as keyof typeof SCENARIO_FILES));
  let clean = 0;

  const check = async (file: string, text: string, states: readonly Parameters<PolicyEngine['evaluate']>[0][], features: readonly Record<string, unknown>[]) => {
    copy.write(file, text);
    try {
      const report = lint({ paths: [copy.path(file)], format: 'pretty', rules: copy.rulesDir, profiles: copy.profilesDir }, copy.root);
      for (const p of report.problems) expect(p.line >= 0 && typeof p.message === 'string').toBe(true);
      const loaded = copy.load();
      if (!loaded.ruleSet) return;
      clean += 1;
      const engine = new PolicyEngine(loaded.ruleSet);
      // "never decides: rule W fires whenever this rule does" must be true of every evaluation.
      const claims = loaded.problems.filter((p) => p.check === 'shadowed').map((p) => ({ rule: p.rule, by: /rule '([^']+)'/.exec(p.message)![1]!, message: p.message }));
      for (const profile of loaded.ruleSet.profiles.keys()) {
        for (const state of [...seeds, ...states]) {
          const evaluation = await engine.explain(state, profile);
          expect((await engine.evaluate(state, profile)).policy).toEqual(evaluation.policy);
          expect(evaluation.failure, `${file} as\n${text}\nfails on ${JSON.stringify(state)}`).toBeUndefined();
          const fired = new Set(evaluation.trace.filter((t) => t.fired).map((t) => `${t.rule}@${t.symbol ?? ''}`));
          for (const claim of claims) {
            for (const entry of evaluation.trace.filter((t) => t.fired && t.rule === claim.rule)) {
              expect(fired.has(`${claim.by}@${entry.symbol ?? ''}`), `${claim.rule}: ${claim.message}, yet not on ${JSON.stringify(state)} (${profile})`).toBe(true);
            }
          }
        }
      }
      const classifier = new Classifier(loaded.ruleSet);
      for (const f of features) await classifier.classify(f);
    } finally {
      copy.write(file, originals.get(file)!);
    }
  };

  it('lint never throws on a mutated file, and whatever lints clean evaluates seed and random states without fallback', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FILES),
        fc.array(fc.oneof(mutationArb.map((m) => ({ structural: m })), conditionMutationArb.map((m) => ({ condition: m }))), { minLength: 1, maxLength: 2 }),
        fc.array(marketStateArb, { maxLength: 3 }),
        fc.array(featuresArb, { maxLength: 3 }),
        async (file, mutations, states, features) => {
          const data = mutations.reduce((d, m) => ('structural' in m ? mutate(d, m.structural) : mutateCondition(d, m.condition)), parse(originals.get(file)!) as unknown);
          await check(file, stringify(data), states, features);
        },
      ),
      { numRuns: RUNS },
    );
    // The mutations must keep exercising evaluation, not only lint.
    expect(clean).toBeGreaterThan(RUNS / 20);
  }, TIMEOUT);

  it('lint never throws on a file damaged as text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FILES), textAccidentArb, async (file, accident) => {
        await check(file, textAccident(originals.get(file)!, accident), [], []);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  }, TIMEOUT);
});
