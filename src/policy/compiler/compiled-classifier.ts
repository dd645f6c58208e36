import type { Classified, LocatedRule, RuleSet } from '../rule-set.js';
import { CLASSIFIED_REGIMES, VOLATILITIES } from '../trading-policy.js';
import { compilePredicate, type Test } from './predicate.js';
import { unsupportedConstructs } from './support.js';

/** A fired classification rule: its name, priority and the class it names. */
export interface ClassCandidate {
  readonly rule: string;
  readonly priority: number;
  readonly value: string;
}

const SEVERITY: Record<Classified, readonly string[]> = { volatility: VOLATILITIES, regime: CLASSIFIED_REGIMES };

/**
 * Which fired rule decides a class: the highest priority; a tie goes to the more severe class, then to
 * the first name. Undefined when no rule fired (the file's default applies). Shared by the Classifier's
 * json-rules-engine path and the compiled one.
 */
export function chooseClass(what: Classified, candidates: Iterable<ClassCandidate>): ClassCandidate | undefined {
  let best: ClassCandidate | undefined;
  for (const c of candidates) {
    const wins =
      !best ||
      c.priority > best.priority ||
      (c.priority === best.priority &&
        (SEVERITY[what].indexOf(c.value) > SEVERITY[what].indexOf(best.value) || (c.value === best.value && c.rule < best.rule)));
    if (wins) best = c;
  }
  return best;
}

/** The enabled classification rules of the file that classifies `what`. */
export function classificationRules(ruleSet: RuleSet, what: Classified): LocatedRule[] {
  return ruleSet.rules
    .filter((r) => r.scope === 'classification' && r.spec.enabled !== false)
    .filter((r) => r.document.kind === 'ClassificationRules' && (r.document.data as { classifies: string }).classifies === what);
}

interface CompiledClassRule extends ClassCandidate {
  readonly test: Test;
}

/**
 * The ClassificationRules of a rule set compiled (one generated function per rule): `decide` returns the class and deciding
 * rule json-rules-engine and chooseClass give for the same features, or throws where the engine might
 * fail (the Classifier then asks json-rules-engine).
 */
export class CompiledClassifier {
  private constructor(private readonly rules: Readonly<Record<Classified, readonly CompiledClassRule[]>>) {}

  static compile(ruleSet: RuleSet): CompiledClassifier | { readonly unsupported: readonly string[] } {
    const unsupported = (['volatility', 'regime'] as const).flatMap((what) => unsupportedConstructs(classificationRules(ruleSet, what), { names: false }));
    if (unsupported.length > 0) return { unsupported };
    const compile = (what: Classified): CompiledClassRule[] =>
      classificationRules(ruleSet, what)
        .map(({ spec }) => ({
          rule: spec.name,
          priority: Number.parseInt(String(spec.priority), 10) || 1,
          value: String((spec.event.params as Record<string, unknown> | undefined)?.[what]),
          test: compilePredicate(spec.conditions, 'classification').test,
        }))
        // The engine's order: by priority, highest first (the choice does not depend on it).
        .sort((a, b) => b.priority - a.priority);
    return new CompiledClassifier({ volatility: compile('volatility'), regime: compile('regime') });
  }

  /** The deciding rule for one quantity, undefined when none fired. */
  decide(what: Classified, features: Readonly<Record<string, unknown>>): ClassCandidate | undefined {
    const facts = { features };
    let best: ClassCandidate | undefined;
    for (const rule of this.rules[what]) {
      if (rule.test(facts)) best = best === undefined ? rule : chooseClass(what, [best, rule]);
    }
    return best;
  }
}
