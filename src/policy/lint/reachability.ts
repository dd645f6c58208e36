import type { Problem } from '../../config/problem.js';
import type { DataPath } from '../../config/yaml-source.js';
import { conjunction, factLabel, forEachLeaf } from '../conditions.js';
import { factShapes, shapeAtPath, valueAtPath } from '../facts.js';
import { isClassifyEvent, isFactReference, isPolicyEvent, type ClassifyEvent, type Condition, type LocatedRule, type PolicyEvent, type RiskProfileDoc } from '../rule-set.js';
import { CLASSIFIED_REGIMES, EXIT_MODES, RISK_STANCES, VOLATILITIES, type RiskStance } from '../trading-policy.js';
import { ruleProblem, where, type Check } from './context.js';
import { fullDomain, isEmpty, isSubset, literalOf, modelled, narrow, type Domain } from './domains.js';

type Domains = Map<string, Domain>;

/**
 * The domain of every compared fact for which the rule's conjunction holds, under one profile.
 * undefined when the rule is not a plain conjunction (then nothing is claimed about it).
 */
function domainsOf(rule: LocatedRule, profile: RiskProfileDoc): Domains | undefined {
  const leaves = conjunction(rule.spec.conditions, ['conditions']);
  if (!leaves) return undefined;
  const shapes = factShapes(rule.scope);
  const domains: Domains = new Map();
  for (const { leaf } of leaves) {
    const shape = shapes[leaf.fact] ? shapeAtPath(shapes[leaf.fact]!, leaf.path) : undefined;
    if (!shape || 'error' in shape) continue;
    const key = factLabel(leaf.fact, leaf.path);
    const start = domains.get(key) ?? fullDomain(shape);
    const literal = literalOf(leaf, profile);
    if (!start || literal === undefined) continue;
    domains.set(key, narrow(start, leaf.operator, literal));
  }
  return domains;
}

/** Comparisons of an enumerated fact with a value it can never take are typos: report each. */
function impossibleValues(rule: LocatedRule): Problem[] {
  const problems: Problem[] = [];
  const shapes = factShapes(rule.scope);
  forEachLeaf(rule.spec.conditions, ['conditions'], (leaf, path) => {
    const shape = shapes[leaf.fact] ? shapeAtPath(shapes[leaf.fact]!, leaf.path) : undefined;
    if (!shape || 'error' in shape || shape.kind !== 'enum' || isFactReference(leaf.value)) return;
    const operator = leaf.operator.split(':').pop()!;
    if (!['equal', 'notEqual', 'in', 'notIn'].includes(operator)) return;
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    values.forEach((value, i) => {
      if (!shape.values.includes(String(value))) {
        const at: DataPath = Array.isArray(leaf.value) ? [...path, 'value', i] : [...path, 'value'];
        problems.push(ruleProblem(rule, at, 'impossible-value', `${factLabel(leaf.fact, leaf.path)} is never ${JSON.stringify(value)} (possible: ${shape.values.join(', ')})`));
      }
    });
  });
  return problems;
}

function emptyAnyGroups(condition: Condition, path: DataPath, found: DataPath[]): DataPath[] {
  if ('any' in condition) {
    if (condition.any.length === 0) found.push(path);
    condition.any.forEach((c, i) => emptyAnyGroups(c, [...path, 'any', i], found));
  } else if ('all' in condition) {
    condition.all.forEach((c, i) => emptyAnyGroups(c, [...path, 'all', i], found));
  } else if ('not' in condition) {
    emptyAnyGroups(condition.not, [...path, 'not'], found);
  }
  return found;
}

/** A rule whose conditions contradict each other (under every profile) can never fire. */
export const neverFires: Check = ({ rules, profiles }) => {
  const problems: Problem[] = [];
  for (const rule of rules) {
    if (rule.spec.enabled === false) continue;
    const typos = impossibleValues(rule);
    problems.push(...typos);
    if (typos.length > 0) continue; // the typo is the explanation; "can never fire" would repeat it
    for (const path of emptyAnyGroups(rule.spec.conditions, ['conditions'], [])) {
      problems.push(ruleProblem(rule, path, 'never-fires', 'rule can never fire: an empty `any` group is never true'));
    }
    const perProfile = (profiles.length > 0 ? profiles : [undefined]).map((p) => (p ? domainsOf(rule, p) : undefined));
    if (perProfile.some((d) => d === undefined)) continue;
    const contradictions = perProfile.map((domains) => [...domains!.entries()].find(([, d]) => isEmpty(d)));
    if (contradictions.every((c) => c !== undefined)) {
      const [fact] = contradictions[0]!;
      problems.push(ruleProblem(rule, ['conditions'], 'never-fires', `rule can never fire: no value of ${fact} satisfies all its conditions`));
    }
  }
  return problems;
};

/** Whenever `rule` fires, `other` fires too (proved per profile on plain conjunctions). */
function implies(rule: LocatedRule, other: LocatedRule, profiles: readonly RiskProfileDoc[]): boolean {
  if (rule.scope !== other.scope || profiles.length === 0) return false;
  return profiles.every((profile) => {
    const mine = domainsOf(rule, profile);
    const theirs = domainsOf(other, profile);
    if (!mine || !theirs) return false;
    // A rule that can never fire is reported as such, not as shadowed.
    if ([...mine.values()].some(isEmpty)) return false;
    if (!fullyModelled(other, profile)) return false;
    const shapes = factShapes(rule.scope);
    return [...theirs.entries()].every(([key, required]) => {
      const [fact, ...rest] = key.split('.');
      const shape = shapeAtPath(shapes[fact!]!, rest.length ? `$.${rest.join('.')}` : undefined);
      const have = mine.get(key) ?? (!('error' in shape) ? fullDomain(shape) : undefined);
      return have !== undefined && isSubset(have, required);
    });
  });
}

/**
 * True when every comparison of the rule is exactly a domain (under this profile): a plain operator on an
 * enumerated or numeric fact with a literal of the right type. Only then may another rule be said to
 * fire whenever it does; a comparison that cannot be modelled (a decorated operator, a value of the
 * wrong type, notEqual on a number) would otherwise be taken as always true and misdescribe the rule.
 */
function fullyModelled(rule: LocatedRule, profile: RiskProfileDoc): boolean {
  const leaves = conjunction(rule.spec.conditions, ['conditions']);
  if (!leaves) return false;
  const shapes = factShapes(rule.scope);
  return leaves.every(({ leaf }) => {
    if (isFactReference(leaf.value) && leaf.value.fact !== 'profile') return false;
    const shape = shapes[leaf.fact] ? shapeAtPath(shapes[leaf.fact]!, leaf.path) : undefined;
    return shape !== undefined && !('error' in shape) && modelled(shape, leaf.operator, literalOf(leaf, profile));
  });
}

type Winner = (mine: unknown, theirs: unknown, rule: LocatedRule, other: LocatedRule) => boolean;

/** Fields decided by the highest priority, ties going to the later (more defensive or severe) value. */
const byPriority =
  (order: readonly string[]): Winner =>
  (mine, theirs, rule, other) =>
    other.spec.priority > rule.spec.priority ||
    (other.spec.priority === rule.spec.priority && order.indexOf(theirs as string) > order.indexOf(mine as string));

const BEATS: Record<string, Winner> = {
  exit_mode: byPriority(EXIT_MODES),
  volatility: byPriority(VOLATILITIES),
  regime: byPriority(CLASSIFIED_REGIMES),
  min_confidence: (mine, theirs) => typeof mine === 'number' && typeof theirs === 'number' && theirs > mine,
  max_risk_pct: (mine, theirs) => typeof mine === 'number' && typeof theirs === 'number' && theirs < mine,
  risk_profile: (mine, theirs) => RISK_STANCES.indexOf(theirs as RiskStance) < RISK_STANCES.indexOf(mine as RiskStance),
  allow_new_trades: (mine, theirs) => mine === true && theirs === false,
};

/**
 * A rule's field is shadowed when another rule fires whenever it does and always wins that field: the
 * field's value in this rule can never reach the policy. Reported as a warning per field.
 */
export const shadowed: Check = ({ rules, allRules, profiles }) => {
  const problems: Problem[] = [];
  const enabled = allRules.filter((r) => r.spec.enabled !== false);
  for (const rule of rules) {
    const event = rule.spec.event;
    if (rule.spec.enabled === false || !hasParams(event)) continue;
    for (const [field, mine] of Object.entries(event.params)) {
      const beats = BEATS[field];
      if (!beats) continue;
      const winner = enabled.find((other) => {
        if ((other.document === rule.document && other.index === rule.index) || !hasParams(other.spec.event)) return false;
        const theirs = (other.spec.event.params as Record<string, unknown>)[field];
        if (theirs === undefined) return false;
        const wins = profiles.every((p) => beats(resolved(mine, p), resolved(theirs, p), rule, other));
        return wins && implies(rule, other, profiles);
      });
      if (winner) {
        problems.push(
          ruleProblem(rule, ['event', 'params', field], 'shadowed', `${field} never decides: rule '${winner.spec.name}' (${where(winner)}) fires whenever this rule does and always wins ${field}`, 'warning', { key: true }),
        );
      }
    }
  }
  return problems;
};

function hasParams(event: LocatedRule['spec']['event']): event is PolicyEvent | ClassifyEvent {
  return isPolicyEvent(event) || isClassifyEvent(event);
}

function resolved(value: unknown, profile: RiskProfileDoc): unknown {
  return isFactReference(value) && value.fact === 'profile' ? valueAtPath(profile, value.path) : value;
}

