import type { LeafCondition, RiskProfileDoc } from '../rule-set.js';
import { isFactReference } from '../rule-set.js';
import { valueAtPath, type Shape } from '../facts.js';

/**
 * The set of values a fact may take for a rule's conjunction to hold, per compared fact: a set of
 * names for enumerations, an interval for numbers. Used to prove that a rule can never fire or that
 * another rule fires whenever it does.
 */
export type Domain =
  | { readonly kind: 'set'; readonly values: ReadonlySet<string> }
  | { readonly kind: 'range'; readonly lo: number; readonly loOpen: boolean; readonly hi: number; readonly hiOpen: boolean; readonly integer: boolean };

export function fullDomain(shape: Shape): Domain | undefined {
  if (shape.kind === 'enum') return { kind: 'set', values: new Set(shape.values) };
  // Booleans as the set of their names: the comparisons write them as literals, narrow() compares String(literal).
  if (shape.kind === 'boolean') return { kind: 'set', values: new Set(['true', 'false']) };
  if (shape.kind === 'number') {
    return { kind: 'range', lo: shape.min ?? -Infinity, loOpen: false, hi: shape.max ?? Infinity, hiOpen: false, integer: shape.integer };
  }
  return undefined;
}

/** The literal a comparison uses under a profile; undefined when it depends on something else. */
export function literalOf(leaf: LeafCondition, profile: RiskProfileDoc): unknown {
  if (!isFactReference(leaf.value)) return leaf.value;
  return leaf.value.fact === 'profile' ? valueAtPath(profile, leaf.value.path) : undefined;
}

/** Narrows a domain by one comparison; returns the domain unchanged for comparisons it cannot model. */
export function narrow(domain: Domain, operator: string, literal: unknown): Domain {
  if (domain.kind === 'set') {
    const values = [...domain.values];
    const list = Array.isArray(literal) ? literal.map(String) : [String(literal)];
    switch (operator) {
      case 'equal':
      case 'in':
        return { kind: 'set', values: new Set(values.filter((v) => list.includes(v))) };
      case 'notEqual':
      case 'notIn':
        return { kind: 'set', values: new Set(values.filter((v) => !list.includes(v))) };
      default:
        return domain;
    }
  }
  if (typeof literal !== 'number') return domain;
  const d = domain;
  switch (operator) {
    case 'equal':
      return literal < d.lo || literal > d.hi ? empty(d) : { ...d, lo: literal, hi: literal, loOpen: false, hiOpen: false };
    case 'lessThan':
      return literal <= d.hi ? { ...d, hi: literal, hiOpen: true } : d;
    case 'lessThanInclusive':
      return literal < d.hi ? { ...d, hi: literal, hiOpen: false } : d;
    case 'greaterThan':
      return literal >= d.lo ? { ...d, lo: literal, loOpen: true } : d;
    case 'greaterThanInclusive':
      return literal > d.lo ? { ...d, lo: literal, loOpen: false } : d;
    default:
      return domain;
  }
}

/** Whether `narrow` models the comparison exactly (not by leaving the domain unchanged). */
export function modelled(shape: Shape, operator: string, literal: unknown): boolean {
  if (shape.kind === 'enum') {
    if (operator === 'equal' || operator === 'notEqual') return typeof literal === 'string';
    if (operator === 'in' || operator === 'notIn') return Array.isArray(literal) && literal.every((v) => typeof v === 'string');
    return false;
  }
  if (shape.kind === 'number') {
    return ['equal', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'].includes(operator) && typeof literal === 'number';
  }
  return false;
}

export function isEmpty(domain: Domain): boolean {
  if (domain.kind === 'set') return domain.values.size === 0;
  const { lo, hi, loOpen, hiOpen, integer } = domain;
  if (lo > hi || (lo === hi && (loOpen || hiOpen))) return true;
  if (integer) {
    const first = loOpen && Number.isInteger(lo) ? lo + 1 : Math.ceil(lo);
    const last = hiOpen && Number.isInteger(hi) ? hi - 1 : Math.floor(hi);
    return first > last;
  }
  return false;
}

/** True when every value of `inner` is in `outer`. */
export function isSubset(inner: Domain, outer: Domain): boolean {
  if (isEmpty(inner)) return true;
  if (inner.kind === 'set' && outer.kind === 'set') return [...inner.values].every((v) => outer.values.has(v));
  if (inner.kind === 'range' && outer.kind === 'range') {
    const loOk = inner.lo > outer.lo || (inner.lo === outer.lo && (!outer.loOpen || inner.loOpen));
    const hiOk = inner.hi < outer.hi || (inner.hi === outer.hi && (!outer.hiOpen || inner.hiOpen));
    return loOk && hiOk;
  }
  return false;
}

export function describeDomain(domain: Domain): string {
  if (domain.kind === 'set') return `{${[...domain.values].join(', ')}}`;
  return `${domain.loOpen ? '(' : '['}${domain.lo}, ${domain.hi}${domain.hiOpen ? ')' : ']'}`;
}

function empty(d: Domain & { kind: 'range' }): Domain {
  return { ...d, lo: 1, hi: 0 };
}
