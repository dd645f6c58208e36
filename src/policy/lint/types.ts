import type { Problem } from '../../config/problem.js';
import { factLabel, forEachLeaf } from '../conditions.js';
import { factShapes, shapeAtPath, type Shape } from '../facts.js';
import { isFactReference, type LeafCondition, type LocatedRule } from '../rule-set.js';
import { ruleProblem, type Check } from './context.js';

/** What one side of a comparison holds: a fact's shape, or what a literal is. */
type Type = Shape | { readonly kind: 'null' } | { readonly kind: 'values'; readonly items: readonly Type[] };

const NUMERIC = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

/**
 * Every comparison is checked against the types of what it compares, so that a rule set lint accepts
 * can never fail at evaluation (json-rules-engine throws on `in` with a number, for instance) nor hold a
 * comparison that is silently always false (a number fact equal to a word). Decorators are followed:
 * `swap:` exchanges the sides, `someFact:`/`everyFact:` need a list fact, `someValue:`/`everyValue:` a
 * list value.
 */
export const conditionTypes: Check = ({ rules }) => rules.flatMap(checkRule);

function checkRule(rule: LocatedRule): Problem[] {
  const problems: Problem[] = [];
  const shapes = factShapes(rule.scope);
  const typeOfFact = (fact: string, path: string | undefined): Type | undefined => {
    const shape = shapes[fact];
    if (!shape) return undefined; // reported as unknown-fact
    const inner = shapeAtPath(shape, path);
    return 'error' in inner ? undefined : inner; // reported as unknown-path
  };
  forEachLeaf(rule.spec.conditions, ['conditions'], (leaf, at) => {
    const report = (where: 'operator' | 'value', message: string) => problems.push(ruleProblem(rule, [...at, where], where === 'value' ? 'value-type' : 'operator-type', message));
    const factSide = typeOfFact(leaf.fact, leaf.path);
    const valueSide = isFactReference(leaf.value) ? typeOfFact(leaf.value.fact, leaf.value.path) : literalType(leaf.value);
    if (factSide === undefined || valueSide === undefined) return;
    let fact: Type = factSide;
    let value: Type = valueSide;
    let factName = factLabel(leaf.fact, leaf.path);
    let valueName = valueLabel(leaf);
    const parts = leaf.operator.split(':');
    const base = parts.pop()!;
    for (const decorator of parts) {
      if (decorator === 'swap') {
        [fact, value] = [value, fact];
        [factName, valueName] = [valueName, factName];
      } else if (decorator === 'someFact' || decorator === 'everyFact') {
        if (!isList(fact)) return report('operator', `decorator ${decorator}: needs a list, but ${factName} is ${describe(fact)}`);
        fact = elementOf(fact);
      } else if (decorator === 'someValue' || decorator === 'everyValue') {
        if (!isList(value)) return report('operator', `decorator ${decorator}: needs a list, but ${valueName} is ${describe(value)}`);
        value = elementOf(value);
      }
    }
    if (NUMERIC.has(base)) {
      if (!isNumber(fact)) return report('operator', `operator ${leaf.operator} compares numbers, but ${factName} is ${describe(fact)}`);
      if (!isNumber(value)) return report('value', `operator ${leaf.operator} compares numbers, but ${valueName} is ${describe(value)}`);
    } else if (base === 'equal' || base === 'notEqual') {
      if (!comparable(fact, value)) return report('value', `${factName} is ${describe(fact)}, so it is never equal to ${valueName} (${describe(value)})`);
    } else if (base === 'in' || base === 'notIn') {
      if (!isList(value)) return report('value', `operator ${leaf.operator} needs a list of values, but ${valueName} is ${describe(value)}`);
      const item = elementOf(value);
      if (value.kind === 'values') {
        const wrong = value.items.find((v) => !comparable(fact, v));
        if (wrong) return report('value', `${factName} is ${describe(fact)}, so it is never equal to a list item that is ${describe(wrong)}`);
      } else if (!comparable(fact, item)) {
        return report('value', `${factName} is ${describe(fact)}, so it is never in ${valueName}`);
      }
    } else if (base === 'contains' || base === 'doesNotContain') {
      if (!isList(fact)) return report('operator', `operator ${leaf.operator} needs a list fact, but ${factName} is ${describe(fact)}`);
    }
    return undefined;
  });
  return problems;
}

function literalType(value: unknown): Type {
  if (value === null || value === undefined) return { kind: 'null' };
  if (typeof value === 'number') return { kind: 'number', integer: Number.isInteger(value) };
  if (typeof value === 'string') return { kind: 'string' };
  if (typeof value === 'boolean') return { kind: 'boolean' };
  if (Array.isArray(value)) return { kind: 'values', items: value.map(literalType) };
  return { kind: 'object', properties: {} };
}

function valueLabel(leaf: LeafCondition): string {
  if (isFactReference(leaf.value)) return factLabel(leaf.value.fact, leaf.value.path);
  return `the value ${JSON.stringify(leaf.value)}`;
}

const isList = (t: Type): boolean => t.kind === 'list' || t.kind === 'values' || t.kind === 'any';
const isNumber = (t: Type): boolean => t.kind === 'number' || t.kind === 'any';
const elementOf = (t: Type): Type => (t.kind === 'values' && t.items.length > 0 && t.items.every((i) => i.kind === t.items[0]!.kind) ? t.items[0]! : { kind: 'any' });

/** Whether a value of one type can ever equal a value of the other (json-rules-engine compares with ===). */
function comparable(a: Type, b: Type): boolean {
  if (a.kind === 'any' || b.kind === 'any') return true;
  const text = (t: Type) => t.kind === 'string' || t.kind === 'enum';
  if (text(a) && text(b)) return true;
  if (a.kind === 'null' || b.kind === 'null') {
    const other = a.kind === 'null' ? b : a;
    return other.kind === 'null' || (other.kind === 'number' && other.nullable === true);
  }
  if (a.kind === 'number' || a.kind === 'boolean') return a.kind === b.kind;
  return false;
}

function describe(t: Type): string {
  switch (t.kind) {
    case 'enum':
      return `one of ${t.values.join(', ')}`;
    case 'number':
      return t.integer ? 'a whole number' : 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'list':
    case 'values':
      return 'a list';
    case 'object':
      return 'a mapping';
    default:
      return 'anything';
  }
}
