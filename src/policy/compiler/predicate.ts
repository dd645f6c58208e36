import type { Facts } from '../facts.js';
import type { Scope } from '../rule-set.js';
import { compileRead, type Read } from './fact-reader.js';
import { comparison, isNumberLike, mayThrow, type Side } from './operators.js';

export type Test = (facts: Facts) => boolean;

export interface Predicate {
  readonly test: Test;
  /** False when evaluating can never throw, whatever the facts hold. */
  readonly mayThrow: boolean;
}

type Node = Readonly<Record<string, unknown>>;

/**
 * Compiles a json-rules-engine condition (all / any / not / fact comparison) into a closure that returns
 * what the engine would decide. Where the engine may throw, the closure throws too: the engine evaluates
 * the conditions of an `all`/`any` in groups of equal priority (highest first), every condition of a group
 * before looking at the results, and stops only between groups; so a condition that may throw is always
 * evaluated when its group is, and only conditions that cannot throw are skipped early.
 */
export function compilePredicate(condition: unknown, scope: Scope): Predicate {
  const node = condition as Node;
  // Same precedence as json-rules-engine's Condition.booleanOperator.
  if (Object.hasOwn(node, 'any')) return group(node.any as unknown[], 'any', scope);
  if (Object.hasOwn(node, 'all')) return group(node.all as unknown[], 'all', scope);
  if (Object.hasOwn(node, 'not')) {
    const inner = compilePredicate(node.not, scope);
    const test = inner.test;
    return { test: (facts) => !test(facts), mayThrow: inner.mayThrow };
  }
  return comparisonOf(node, scope);
}

/** The priority the engine groups a condition under: its own, else the fact's (1 for every fact here). */
function priorityOf(condition: Node): number {
  return Number.parseInt(String(condition.priority), 10) || 1;
}

function group(children: readonly unknown[], kind: 'all' | 'any', scope: Scope): Predicate {
  // The engine: no condition is true (for `any` as well), one condition is evaluated alone.
  if (children.length === 0) return { test: () => true, mayThrow: false };
  if (children.length === 1) return compilePredicate(children[0], scope);
  const byPriority = new Map<number, Predicate[]>();
  for (const child of children) {
    const priority = priorityOf(child as Node);
    byPriority.set(priority, [...(byPriority.get(priority) ?? []), compilePredicate(child, scope)]);
  }
  const sets = [...byPriority.entries()].sort(([a], [b]) => b - a).map(([, set]) => set);
  const tests = sets.map((set) => (kind === 'all' ? every(set) : some(set)));
  const mayThrowAny = sets.some((set) => set.some((p) => p.mayThrow));
  const [first, second] = tests;
  if (tests.length === 1) return { test: first!, mayThrow: mayThrowAny };
  if (tests.length === 2) {
    const [a, b] = [first!, second!];
    return { test: kind === 'all' ? (f) => a(f) && b(f) : (f) => a(f) || b(f), mayThrow: mayThrowAny };
  }
  return {
    test: kind === 'all' ? (f) => tests.every((t) => t(f)) : (f) => tests.some((t) => t(f)),
    mayThrow: mayThrowAny,
  };
}

/** One priority group of an `all`: conditions that may throw first and always, then the rest until one fails. */
function every(set: readonly Predicate[]): Test {
  const risky = set.filter((p) => p.mayThrow).map((p) => p.test);
  const safe = set.filter((p) => !p.mayThrow).map((p) => p.test);
  const safeTest = conjunction(safe);
  if (risky.length === 0) return safeTest;
  return (facts) => {
    let result = true;
    for (const test of risky) if (!test(facts)) result = false;
    return result && safeTest(facts);
  };
}

function some(set: readonly Predicate[]): Test {
  const risky = set.filter((p) => p.mayThrow).map((p) => p.test);
  const safe = set.filter((p) => !p.mayThrow).map((p) => p.test);
  const safeTest = disjunction(safe);
  if (risky.length === 0) return safeTest;
  return (facts) => {
    let result = false;
    for (const test of risky) if (test(facts)) result = true;
    return result || safeTest(facts);
  };
}

function conjunction(tests: readonly Test[]): Test {
  const [a, b, c] = tests;
  switch (tests.length) {
    case 0: return () => true;
    case 1: return a!;
    case 2: return (f) => a!(f) && b!(f);
    case 3: return (f) => a!(f) && b!(f) && c!(f);
    default: return (f) => tests.every((t) => t(f));
  }
}

function disjunction(tests: readonly Test[]): Test {
  const [a, b, c] = tests;
  switch (tests.length) {
    case 0: return () => false;
    case 1: return a!;
    case 2: return (f) => a!(f) || b!(f);
    case 3: return (f) => a!(f) || b!(f) || c!(f);
    default: return (f) => tests.some((t) => t(f));
  }
}

/** A fact reference as the engine recognises one in `value` (or in event params): an object with own `fact`. */
export function isReference(value: unknown): value is { fact: unknown; path?: unknown } {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, 'fact');
}

/** The value side of a comparison or an event param: a constant, or a fact read at evaluation time. */
export function compileValue(value: unknown, scope: Scope): { read: Read; side: Side; mayThrow: boolean } {
  if (!isReference(value)) return { read: () => value, side: { constant: value }, mayThrow: false };
  const reader = compileRead(scope, value.fact, value.path);
  return { read: reader.read, side: { primitive: reader.primitive }, mayThrow: reader.mayThrow };
}

function comparisonOf(leaf: Node, scope: Scope): Predicate {
  const operator = String(leaf.operator);
  const fact = compileRead(scope, leaf.fact, leaf.path);
  const value = compileValue(leaf.value, scope);
  const risky = fact.mayThrow || value.mayThrow || mayThrow(operator, { primitive: fact.primitive }, value.side);
  return { test: specialised(operator, fact.read, value), mayThrow: risky };
}

/** The common shapes (a fact against a constant with a plain operator) without the generic call chain. */
function specialised(operator: string, read: Read, value: { read: Read; side: Side }): Test {
  const compare = comparison(operator);
  if (!('constant' in value.side)) {
    const readValue = value.read;
    if (Object.hasOwn(NUMERIC_TESTS, operator)) return NUMERIC_TESTS[operator]!(read, readValue);
    return (facts) => compare(read(facts), readValue(facts));
  }
  const constant = value.side.constant;
  switch (operator) {
    case 'equal':
      return (facts) => read(facts) === constant;
    case 'notEqual':
      return (facts) => read(facts) !== constant;
    case 'in':
    case 'notIn':
      if (Array.isArray(constant)) {
        const list: readonly unknown[] = constant;
        return operator === 'in' ? (facts) => list.indexOf(read(facts)) > -1 : (facts) => list.indexOf(read(facts)) === -1;
      }
      return (facts) => compare(read(facts), constant);
    case 'lessThan':
    case 'lessThanInclusive':
    case 'greaterThan':
    case 'greaterThanInclusive':
      return numeric(operator, read, constant);
    default:
      return (facts) => compare(read(facts), constant);
  }
}

/** A number comparison with a constant, the engine's number check (isNumberLike) inlined for a number fact. */
function numeric(operator: string, read: Read, constant: unknown): Test {
  const c = constant as number;
  switch (operator) {
    case 'lessThan':
      return (facts) => {
        const v = read(facts) as number;
        return (typeof v === 'number' ? v === v : isNumberLike(v)) && v < c;
      };
    case 'lessThanInclusive':
      return (facts) => {
        const v = read(facts) as number;
        return (typeof v === 'number' ? v === v : isNumberLike(v)) && v <= c;
      };
    case 'greaterThan':
      return (facts) => {
        const v = read(facts) as number;
        return (typeof v === 'number' ? v === v : isNumberLike(v)) && v > c;
      };
    default:
      return (facts) => {
        const v = read(facts) as number;
        return (typeof v === 'number' ? v === v : isNumberLike(v)) && v >= c;
      };
  }
}

/** The same with a value read at evaluation time (a fact reference): one closure, not the operator chain. */
const NUMERIC_TESTS: Readonly<Record<string, (read: Read, readValue: Read) => Test>> = {
  lessThan: (read, readValue) => (facts) => {
    const v = read(facts) as number;
    const w = readValue(facts) as number;
    return (typeof v === 'number' ? v === v : isNumberLike(v)) && v < w;
  },
  lessThanInclusive: (read, readValue) => (facts) => {
    const v = read(facts) as number;
    const w = readValue(facts) as number;
    return (typeof v === 'number' ? v === v : isNumberLike(v)) && v <= w;
  },
  greaterThan: (read, readValue) => (facts) => {
    const v = read(facts) as number;
    const w = readValue(facts) as number;
    return (typeof v === 'number' ? v === v : isNumberLike(v)) && v > w;
  },
  greaterThanInclusive: (read, readValue) => (facts) => {
    const v = read(facts) as number;
    const w = readValue(facts) as number;
    return (typeof v === 'number' ? v === v : isNumberLike(v)) && v >= w;
  },
};
