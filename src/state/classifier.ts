import { Engine, Rule } from 'json-rules-engine';
import { resolvePath } from '../policy/facts.js';
import { CLASSIFIED_REGIMES, VOLATILITIES, type Regime, type Volatility } from '../policy/trading-policy.js';
import type { Classified, LocatedRule, RuleSet } from '../policy/rule-set.js';

/** One symbol's classes at one candle close, and the rule that decided each ('default' when none fired). */
export interface Classification {
  readonly regime: Regime;
  readonly volatility: Volatility;
  readonly decided_by: { readonly regime: string; readonly volatility: string };
}

const SEVERITY: Record<Classified, readonly string[]> = { volatility: VOLATILITIES, regime: CLASSIFIED_REGIMES };

/**
 * Runs the rule set's ClassificationRules over a symbol's indicators. As with the policy, the
 * combination is order-independent: the highest priority decides, a tie goes to the more severe class.
 */
export class Classifier {
  private readonly engines: Record<Classified, Engine>;
  private readonly defaults: Record<Classified, string>;

  constructor(ruleSet: RuleSet) {
    const build = (what: Classified) => {
      const engine = new Engine([], { allowUndefinedFacts: false, pathResolver: resolvePath });
      ruleSet.rules
        .filter((r: LocatedRule) => r.scope === 'classification' && r.spec.enabled !== false)
        .filter((r) => r.document.kind === 'ClassificationRules' && (r.document.data as { classifies: string }).classifies === what)
        .forEach(({ spec }) => engine.addRule(new Rule({ name: spec.name, priority: spec.priority, conditions: structuredClone(spec.conditions) as never, event: structuredClone(spec.event) })));
      return engine;
    };
    this.engines = { volatility: build('volatility'), regime: build('regime') };
    this.defaults = { volatility: ruleSet.classification.volatility.default, regime: ruleSet.classification.regime.default };
  }

  /** Classifies one symbol from its features (the fact `features`). */
  async classify(features: Readonly<Record<string, unknown>>): Promise<Classification> {
    const [volatility, regime] = await Promise.all([this.decide('volatility', features), this.decide('regime', features)]);
    return {
      volatility: volatility.value as Volatility,
      regime: regime.value as Regime,
      decided_by: { volatility: volatility.rule, regime: regime.rule },
    };
  }

  private async decide(what: Classified, features: Readonly<Record<string, unknown>>): Promise<{ value: string; rule: string }> {
    const { results } = await this.engines[what].run({ features });
    let best: { value: string; rule: string; priority: number } | undefined;
    for (const result of results) {
      const value = String((result.event?.params as Record<string, unknown> | undefined)?.[what]);
      const priority = result.priority ?? 1;
      const wins =
        !best ||
        priority > best.priority ||
        (priority === best.priority &&
          (SEVERITY[what].indexOf(value) > SEVERITY[what].indexOf(best.value) ||
            (value === best.value && result.name < best.rule)));
      if (wins) best = { value, rule: result.name, priority };
    }
    return best ? { value: best.value, rule: best.rule } : { value: this.defaults[what], rule: 'default' };
  }
}

/** The more severe of two volatility levels (for the `max` market aggregate). */
export function moreVolatile(a: Volatility, b: Volatility): Volatility {
  return VOLATILITIES.indexOf(a) >= VOLATILITIES.indexOf(b) ? a : b;
}
