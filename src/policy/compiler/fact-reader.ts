import { factShapes, PLAIN_PATH, resolvePath, SCOPE_FACTS, shapeAtPath, type Facts } from '../facts.js';
import type { Scope } from '../rule-set.js';
import { SymbolFacts } from './symbol-facts.js';

/** Reads one fact (and a path inside it) from the facts of an evaluation. */
export type Read = (facts: Facts) => unknown;

export interface FactReader {
  readonly read: Read;
  /** False when the read can never throw: a fact of the scope and a plain member path (or none). */
  readonly mayThrow: boolean;
  /**
   * True when the facts' schema says the value is a number, string or boolean. Anything else may be an
   * object, and comparing an object as a number or text can throw (one without a prototype has no
   * valueOf or toString).
   */
  readonly primitive: boolean;
}

/**
 * Compiles what json-rules-engine's almanac does for `{fact, path}`: an unknown fact throws ("Undefined
 * fact"), a path is applied only to an object (a string or number fact is returned as it is), and the
 * path resolver walks plain member paths (src/policy/facts.ts resolvePath).
 */
export function compileRead(scope: Scope, fact: unknown, path: unknown): FactReader {
  if (typeof fact !== 'string' || !SCOPE_FACTS[scope].includes(fact)) {
    return { read: () => { throw new Error(`Undefined fact: ${String(fact)}`); }, mayThrow: true, primitive: false };
  }
  const primitive = isPrimitive(scope, fact, path);
  if (!path) return { read: (facts) => facts[fact], mayThrow: false, primitive };
  if (typeof path !== 'string' || !PLAIN_PATH.test(path)) {
    // The engine hands any path to the resolver, which refuses it; only an object value reaches the resolver.
    return {
      read: (facts) => {
        const value = facts[fact];
        return value !== null && typeof value === 'object' ? resolvePath(value, path as string) : value;
      },
      mayThrow: true,
      primitive,
    };
  }
  const parts = path === '$' ? [] : path.slice(2).split('.');
  if (scope === 'symbol' && fact === 'symbol' && parts.length > 0) return { read: symbolMember(parts), mayThrow: false, primitive };
  return { read: member(fact, parts), mayThrow: false, primitive };
}

function isPrimitive(scope: Scope, fact: string, path: unknown): boolean {
  const shape = factShapes(scope)[fact];
  if (!shape || (path && typeof path !== 'string')) return false;
  const at = shapeAtPath(shape, (path as string | undefined) || undefined);
  return !('error' in at) && (at.kind === 'number' || at.kind === 'enum' || at.kind === 'string' || at.kind === 'boolean');
}

/** `symbol` and a path, read from the symbol's stats without building the fact's object when possible. */
function symbolMember(parts: readonly string[]): Read {
  const [first, ...rest] = parts as [string, ...string[]];
  const generic = member('symbol', parts);
  if (first !== 'name' && first in Object.prototype) return generic;
  const walk = pathWalker(rest);
  if (first === 'name') return (facts) => (facts instanceof SymbolFacts ? walk(facts.symbolName()) : generic(facts));
  if (rest.length === 0) return (facts) => (facts instanceof SymbolFacts ? facts.symbolField(first) : generic(facts));
  return (facts) => (facts instanceof SymbolFacts ? walk(facts.symbolField(first)) : generic(facts));
}

/** A plain member path, walked as valueAtPath does: a missing step or a non-object gives undefined. */
export function pathWalker(parts: readonly string[]): (value: unknown) => unknown {
  const [first, second] = parts;
  if (first === undefined) return (value) => value;
  if (second === undefined) {
    return (value) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[first] : undefined);
  }
  if (parts.length === 2) {
    return (value) => {
      if (value === null || typeof value !== 'object') return undefined;
      const inner = (value as Record<string, unknown>)[first];
      return inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)[second] : undefined;
    };
  }
  return (value) => {
    let current = value;
    for (const part of parts) {
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string, unknown>)[part];
    }
    return current;
  };
}

/** The almanac's read: the path applies to an object; any other value is the answer itself. */
function member(fact: string, parts: readonly string[]): Read {
  if (parts.length === 0) return (facts) => facts[fact];
  const walk = pathWalker(parts);
  const [first] = parts;
  if (parts.length === 1) {
    return (facts) => {
      const value = facts[fact] as Record<string, unknown> | null | undefined;
      return value !== null && typeof value === 'object' ? value[first!] : value;
    };
  }
  return (facts) => {
    const value = facts[fact];
    return value !== null && typeof value === 'object' ? walk(value) : value;
  };
}
