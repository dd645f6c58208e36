/**
 * json-rules-engine's operators and decorators (v7, engine-default-operators.js and
 * engine-default-operator-decorators.js) as plain functions, with the same semantics: an operator first
 * runs its fact-value validator, then compares; a decorator wraps the operator after it. The differential
 * property test holds the two implementations to the same answers.
 */
export type Comparison = (factValue: unknown, jsonValue: unknown) => boolean;

interface Definition {
  readonly compare: Comparison;
  readonly validate?: (factValue: unknown) => boolean;
}

/** The engine's number check: `Number.parseFloat(v).toString() !== 'NaN'` (so '12abc' passes, null does not). */
export function isNumberLike(value: unknown): boolean {
  // For a number, parseFloat(String(n)) is NaN exactly when n is: skip the string round trip.
  if (typeof value === 'number') return value === value;
  return Number.parseFloat(value as string).toString() !== 'NaN';
}

const indexIn = (list: unknown, item: unknown): number => (list as unknown[]).indexOf(item);

const BASE: Readonly<Record<string, Definition>> = {
  equal: { compare: (a, b) => a === b },
  notEqual: { compare: (a, b) => a !== b },
  in: { compare: (a, b) => indexIn(b, a) > -1 },
  notIn: { compare: (a, b) => indexIn(b, a) === -1 },
  contains: { compare: (a, b) => indexIn(a, b) > -1, validate: Array.isArray },
  doesNotContain: { compare: (a, b) => indexIn(a, b) === -1, validate: Array.isArray },
  lessThan: { compare: (a, b) => (a as number) < (b as number), validate: isNumberLike },
  lessThanInclusive: { compare: (a, b) => (a as number) <= (b as number), validate: isNumberLike },
  greaterThan: { compare: (a, b) => (a as number) > (b as number), validate: isNumberLike },
  greaterThanInclusive: { compare: (a, b) => (a as number) >= (b as number), validate: isNumberLike },
};

type Decorate = (next: Comparison) => Definition;

const DECORATORS: Readonly<Record<string, Decorate>> = {
  someFact: (next) => ({ compare: (f, v) => (f as unknown[]).some((item) => next(item, v)), validate: Array.isArray }),
  someValue: (next) => ({ compare: (f, v) => (v as unknown[]).some((item) => next(f, item)) }),
  everyFact: (next) => ({ compare: (f, v) => (f as unknown[]).every((item) => next(item, v)), validate: Array.isArray }),
  everyValue: (next) => ({ compare: (f, v) => (v as unknown[]).every((item) => next(f, item)) }),
  swap: (next) => ({ compare: (f, v) => next(v, f) }),
  not: (next) => ({ compare: (f, v) => !next(f, v) }),
};

export const BASE_OPERATORS: readonly string[] = Object.keys(BASE);
export const OPERATOR_DECORATORS: readonly string[] = Object.keys(DECORATORS);

/** `not:someFact:in` → decorators ['not', 'someFact'] (outermost first) and base 'in'; undefined if unknown. */
export function parseOperator(name: string): { readonly decorators: readonly string[]; readonly base: string } | undefined {
  const parts = name.split(':');
  const base = parts.pop()!;
  if (!Object.hasOwn(BASE, base) || parts.some((d) => !Object.hasOwn(DECORATORS, d))) return undefined;
  return { decorators: parts, base };
}

/** The comparison an operator name stands for, decorators applied (innermost first, like the engine). */
export function comparison(name: string): Comparison {
  const parsed = parseOperator(name);
  if (!parsed) throw new Error(`Unknown operator: ${name}`);
  let evaluate = evaluator(BASE[parsed.base]!);
  for (const decorator of [...parsed.decorators].reverse()) evaluate = evaluator(DECORATORS[decorator]!(evaluate));
  return evaluate;
}

function evaluator({ compare, validate }: Definition): Comparison {
  return validate ? (f, v) => validate(f) && compare(f, v) : compare;
}

/**
 * Whether applying the operator can throw. Only `in`/`notIn` read `indexOf` from the compared value (safe
 * on a constant list or text), only `someValue`/`everyValue` iterate it (safe on a constant list), and
 * only comparisons of numbers (and `in` a text) turn a value into a primitive, which fails for an object
 * without valueOf and toString: safe when that value is a constant or a primitive by the facts' schema.
 */
export function mayThrow(name: string, fact: Side, value: Side): boolean {
  const parsed = parseOperator(name);
  if (!parsed) return true;
  return throws(parsed.decorators, parsed.base, fact, value);
}

/** A side of a comparison: a constant known when compiling, or a value read at run time. */
export type Side = { readonly constant: unknown } | { readonly primitive: boolean };

const NUMERIC = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);
const coercible = (side: Side): boolean => ('constant' in side ? coercesToPrimitive(side.constant) : side.primitive);

/**
 * Whether a constant turns into a primitive for a comparison. YAML data nearly always does; a mapping with
 * its own non-function `toString` or `valueOf` key (e.g. `{ toString: {} }`) does not, and comparing it throws.
 */
function coercesToPrimitive(constant: unknown): boolean {
  try {
    void ((constant as number) < 0);
    return true;
  } catch {
    return false;
  }
}
const ANYTHING: Side = { primitive: false };

function throws(decorators: readonly string[], base: string, fact: Side, value: Side): boolean {
  const [outer, ...inner] = decorators;
  if (outer === undefined) {
    if (NUMERIC.has(base)) return !coercible(fact) || !coercible(value);
    if (base !== 'in' && base !== 'notIn') return false;
    if (!('constant' in value)) return true;
    if (Array.isArray(value.constant)) return false;
    return typeof value.constant !== 'string' || !coercible(fact);
  }
  switch (outer) {
    case 'swap':
      return throws(inner, base, value, fact);
    case 'someFact':
    case 'everyFact':
      // Guarded by Array.isArray; the elements are whatever the fact holds.
      return throws(inner, base, ANYTHING, value);
    case 'someValue':
    case 'everyValue':
      if (!('constant' in value) || !Array.isArray(value.constant)) return true;
      return (value.constant as unknown[]).some((item) => throws(inner, base, fact, { constant: item }));
    default:
      return throws(inner, base, fact, value);
  }
}
