import type { Classification } from '../../state/classification.js';
import { Classifier } from '../classification/classifier.js';
import { EnginePool } from '../engine-pool.js';
import { resolvePath } from '../facts.js';
import type { ConditionTrace, RuleTrace } from '../policy-engine.js';
import type { LocatedRule, RuleSet } from '../rule-set.js';

export interface ProbedClassification extends Classification {
  /** Every enabled classification rule, fired or not, with its conditions as evaluated. */
  readonly trace: readonly RuleTrace[];
}

/**
 * The classification rules as the market-state stream runs them (the real Classifier decides), plus a
 * trace of every rule for test coverage: the Classifier itself keeps only the winners.
 */
export class ClassificationProbe {
  private readonly classifier: Classifier;
  private readonly engine: EnginePool;
  private readonly rules: ReadonlyMap<string, LocatedRule>;

  constructor(ruleSet: RuleSet) {
    this.classifier = new Classifier(ruleSet);
    const enabled = ruleSet.rules.filter((r) => r.scope === 'classification' && r.spec.enabled !== false);
    this.engine = new EnginePool(enabled.map((r) => r.spec), { allowUndefinedFacts: false, pathResolver: resolvePath });
    this.rules = new Map(enabled.map((r) => [r.spec.name, r]));
  }

  async classify(features: Readonly<Record<string, unknown>>): Promise<ProbedClassification> {
    const [classification, run] = await Promise.all([this.classifier.classify(features), this.engine.run({ features })]);
    const trace = [...run.results, ...run.failureResults].map((result): RuleTrace => {
      const located = this.rules.get(result.name)!;
      return {
        rule: result.name,
        priority: result.priority ?? 1,
        file: located.document.source.file,
        line: located.document.source.locate(['rules', located.index]).line,
        fired: Boolean(result.result),
        conditions: result.conditions as unknown as ConditionTrace,
      };
    });
    return { ...classification, trace };
  }
}
