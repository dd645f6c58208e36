import type { Classification, Classified, Regime, SymbolClassifier, Volatility } from '../../state/classification.js';
import { chooseClass, classificationRules, CompiledClassifier } from '../compiler/compiled-classifier.js';
import { EnginePool } from '../engine-pool.js';
import { resolvePath } from '../facts.js';
import type { RuleSet } from '../rule-set.js';

/**
 * Runs the rule set's ClassificationRules over a symbol's indicators. As with the policy, the
 * combination is order-independent: the highest priority decides, a tie goes to the more severe class.
 * The rules run compiled (src/policy/compiler/); json-rules-engine decides whenever the compiled rules
 * cannot, so that a failure is always the engine's own.
 */
export class Classifier implements SymbolClassifier {
  private readonly engines: Record<Classified, EnginePool>;
  private readonly defaults: Record<Classified, string>;
  private readonly compiled: CompiledClassifier | undefined;

  constructor(ruleSet: RuleSet, options: { readonly evaluator?: 'compiled' | 'json-rules-engine' } = {}) {
    const build = (what: Classified) => new EnginePool(classificationRules(ruleSet, what).map((r) => r.spec), { allowUndefinedFacts: false, pathResolver: resolvePath });
    this.engines = { volatility: build('volatility'), regime: build('regime') };
    this.defaults = { volatility: ruleSet.classification.volatility.default, regime: ruleSet.classification.regime.default };
    const compiled = options.evaluator === 'json-rules-engine' ? undefined : CompiledClassifier.compile(ruleSet);
    this.compiled = compiled instanceof CompiledClassifier ? compiled : undefined;
  }

  /** Classifies one symbol from its features (the fact `features`). */
  async classify(features: Readonly<Record<string, unknown>>): Promise<Classification> {
    if (this.compiled) {
      try {
        const volatility = this.compiled.decide('volatility', features);
        const regime = this.compiled.decide('regime', features);
        return {
          volatility: (volatility?.value ?? this.defaults.volatility) as Volatility,
          regime: (regime?.value ?? this.defaults.regime) as Regime,
          decided_by: { volatility: volatility?.rule ?? 'default', regime: regime?.rule ?? 'default' },
        };
      } catch {
        // json-rules-engine decides, and fails with its own error if the rules do fail.
      }
    }
    const [volatility, regime] = await Promise.all([this.decide('volatility', features), this.decide('regime', features)]);
    return {
      volatility: volatility.value as Volatility,
      regime: regime.value as Regime,
      decided_by: { volatility: volatility.rule, regime: regime.rule },
    };
  }

  private async decide(what: Classified, features: Readonly<Record<string, unknown>>): Promise<{ value: string; rule: string }> {
    const { results } = await this.engines[what].run({ features });
    const best = chooseClass(
      what,
      results.map((result) => ({
        rule: result.name,
        priority: result.priority ?? 1,
        value: String((result.event?.params as Record<string, unknown> | undefined)?.[what]),
      })),
    );
    return best ? { value: best.value, rule: best.rule } : { value: this.defaults[what], rule: 'default' };
  }
}
