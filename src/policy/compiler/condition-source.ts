import { PLAIN_PATH } from '../facts.js';
import type { Scope } from '../rule-set.js';
import { isPrimitive } from './fact-types.js';
import { comparison, mayThrow as operatorMayThrow, type Side } from './operators.js';
import { factLocal, type SourceBuilder } from './source-builder.js';

/** A piece of generated JavaScript: an expression, and what the compiler knows about it. */
export interface Emitted {
  readonly code: string;
  /** False when evaluating it can never throw, whatever the facts hold. */
  readonly mayThrow: boolean;
}

interface EmittedRead extends Emitted {
  /** True when the facts' schema says the value is a number, string or boolean (fact-types.ts). */
  readonly primitive: boolean;
}

type Node = Readonly<Record<string, unknown>>;

/**
 * In symbol scope, `symbol` is the object symbolFacts() builds (`{name, ...stats}`), built only when
 * something needs it whole: `sn` is the symbol's name, `ss` its stats, `sp` true when the stats are a
 * plain record (then `symbol[p]` is `ss[p]` for any p but `name`), `sb` the built object once built.
 */
export const BUILT_SYMBOL = '(sb ??= symbolObject(sn, ss))';

/**
 * What json-rules-engine's almanac does for `{fact, path}`, as an expression: an unknown fact throws
 * ("Undefined fact"), a path is applied only to an object (a text or number fact is the answer itself), and
 * the path resolver walks plain member paths (src/policy/facts.ts resolvePath) and refuses anything else.
 */
export function emitRead(b: SourceBuilder, scope: Scope, fact: unknown, path: unknown): EmittedRead {
  const local = typeof fact === 'string' ? factLocal(scope, fact) : undefined;
  if (local === undefined) return { code: `undefinedFact(${b.constant(fact)})`, mayThrow: true, primitive: false };
  const primitive = isPrimitive(scope, fact as string, path);
  const whole = scope === 'symbol' && fact === 'symbol' ? BUILT_SYMBOL : local;
  if (!path) return { code: whole, mayThrow: false, primitive };
  if (typeof path !== 'string' || !PLAIN_PATH.test(path)) {
    const t = b.temp();
    return { code: `((${t} = ${whole}) !== null && typeof ${t} === 'object' ? resolvePath(${t}, ${b.constant(path)}) : ${t})`, mayThrow: true, primitive };
  }
  const parts = path === '$' ? [] : path.slice(2).split('.');
  if (whole === BUILT_SYMBOL && parts.length > 0) return { code: symbolMember(b, parts), mayThrow: false, primitive };
  if (parts.length === 0) return { code: whole, mayThrow: false, primitive };
  const member = (): string => {
    const t = b.temp();
    return `((${t} = ${whole}) !== null && typeof ${t} === 'object' ? ${walkFrom(b, t, parts)} : ${t})`;
  };
  // A fact other than `symbol` is the same for every symbol: its plain reads are shared (SourceBuilder.hoist).
  return { code: whole === local ? b.hoist(`${local}${path}`, member) : member(), mayThrow: false, primitive };
}

/** `symbol` and a path, read from the stats without building the object when that gives the same value. */
function symbolMember(b: SourceBuilder, parts: readonly string[]): string {
  const [first, ...rest] = parts as [string, ...string[]];
  let head: string;
  if (first === 'name') head = `(sp && !Object.hasOwn(ss, 'name') ? sn : ${BUILT_SYMBOL}.name)`;
  else if (first in Object.prototype) return walk(b, BUILT_SYMBOL, parts);
  else head = `(sp ? ss[${b.constant(first)}] : ${BUILT_SYMBOL}[${b.constant(first)}])`;
  return rest.length === 0 ? head : walk(b, head, rest);
}

/**
 * A plain member path walked from a value as valueAtPath does: a missing step or a value that is not an
 * object gives undefined.
 */
export function walk(b: SourceBuilder, value: string, parts: readonly string[]): string {
  if (parts.length === 0) return value;
  const t = b.temp();
  return `((${t} = ${value}) !== null && typeof ${t} === 'object' ? ${walkFrom(b, t, parts)} : undefined)`;
}

/** The walk from `t`, known to hold an object, through at least one part. */
function walkFrom(b: SourceBuilder, t: string, parts: readonly string[]): string {
  const steps = parts.slice(0, -1).map((part) => `(${t} = ${t}[${b.constant(part)}]) !== null && typeof ${t} === 'object'`);
  const last = `${t}[${b.constant(parts.at(-1))}]`;
  return steps.length === 0 ? last : `(${steps.join(' && ')} ? ${last} : undefined)`;
}

/** A fact reference as the engine recognises one in `value` (or in event params): an object with own `fact`. */
export function isReference(value: unknown): value is { fact: unknown; path?: unknown } {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, 'fact');
}

/** The value side of a comparison or an event param: a constant, or a fact read at evaluation time. */
export function emitValue(b: SourceBuilder, scope: Scope, value: unknown): EmittedRead & { readonly side: Side } {
  if (!isReference(value)) return { code: b.constant(value), mayThrow: false, primitive: false, side: { constant: value } };
  const read = emitRead(b, scope, value.fact, value.path);
  return { ...read, side: { primitive: read.primitive } };
}

/**
 * A json-rules-engine condition (all / any / not / fact comparison) as a boolean expression deciding
 * what the engine decides. Where the engine may throw, the expression throws too: the engine evaluates
 * the conditions of an `all`/`any` in groups of equal priority (highest first), every condition of a group
 * before looking at the results, and stops only between groups; so a condition that may throw is always
 * evaluated when its group is (combined with `&` / `|`, which evaluate both sides), and only conditions
 * that cannot throw are skipped early (`&&` / `||`). Every expression emitted here is a boolean.
 */
export function emitCondition(b: SourceBuilder, condition: unknown, scope: Scope): Emitted {
  const node = condition as Node;
  // Same precedence as json-rules-engine's Condition.booleanOperator.
  if (Object.hasOwn(node, 'any')) return group(b, node.any as unknown[], 'any', scope);
  if (Object.hasOwn(node, 'all')) return group(b, node.all as unknown[], 'all', scope);
  if (Object.hasOwn(node, 'not')) {
    const inner = emitCondition(b, node.not, scope);
    return { code: `!${inner.code}`, mayThrow: inner.mayThrow };
  }
  return emitComparison(b, node, scope);
}

/** The priority the engine groups a condition under: its own, else the fact's (1 for every fact here). */
function priorityOf(condition: Node): number {
  return Number.parseInt(String(condition.priority), 10) || 1;
}

function group(b: SourceBuilder, children: readonly unknown[], kind: 'all' | 'any', scope: Scope): Emitted {
  // The engine: no condition is true (for `any` as well), one condition is evaluated alone.
  if (children.length === 0) return { code: 'true', mayThrow: false };
  if (children.length === 1) return emitCondition(b, children[0], scope);
  const byPriority = new Map<number, Emitted[]>();
  for (const child of children) {
    const priority = priorityOf(child as Node);
    byPriority.set(priority, [...(byPriority.get(priority) ?? []), emitCondition(b, child, scope)]);
  }
  const sets = [...byPriority.entries()].sort(([x], [y]) => y - x).map(([, set]) => prioritySet(set, kind));
  return { code: `(${sets.join(kind === 'all' ? ' && ' : ' || ')})`, mayThrow: [...byPriority.values()].flat().some((e) => e.mayThrow) };
}

/** One priority group: conditions that may throw first and always, then the rest until the outcome is known. */
function prioritySet(set: readonly Emitted[], kind: 'all' | 'any'): string {
  const risky = set.filter((e) => e.mayThrow).map((e) => e.code);
  const safe = set.filter((e) => !e.mayThrow).map((e) => e.code);
  const [always, shortCircuit] = kind === 'all' ? [' & ', ' && '] : [' | ', ' || '];
  const head = risky.length === 0 ? [] : risky.length === 1 ? risky : [`(${risky.join(always)}) !== 0`];
  return `(${[...head, ...safe].join(shortCircuit)})`;
}

/** Unrolled `list.indexOf(x) > -1` (strict equality, as indexOf) for short lists without holes. */
const MAX_UNROLLED = 8;

function emitComparison(b: SourceBuilder, leaf: Node, scope: Scope): Emitted {
  const operator = String(leaf.operator);
  const fact = emitRead(b, scope, leaf.fact, leaf.path);
  const value = emitValue(b, scope, leaf.value);
  const mayThrow = fact.mayThrow || value.mayThrow || operatorMayThrow(operator, { primitive: fact.primitive }, value.side);
  const generic = (): string => `${b.constant(comparison(operator))}(${fact.code}, ${value.code})`;
  if (Object.hasOwn(NUMERIC, operator)) {
    // The engine's number check (isNumberLike) inlined for a number; the value is read whatever it says.
    const [v, w] = [b.temp(), b.temp()];
    return { code: `(${v} = ${fact.code}, ${w} = ${value.code}, (typeof ${v} === 'number' ? ${v} === ${v} : isNumberLike(${v})) && ${v} ${NUMERIC[operator]} ${w})`, mayThrow };
  }
  if (operator === 'equal' || operator === 'notEqual') return { code: `(${fact.code} ${operator === 'equal' ? '===' : '!=='} ${value.code})`, mayThrow };
  if ((operator === 'in' || operator === 'notIn') && 'constant' in value.side && Array.isArray(value.side.constant)) {
    const list: readonly unknown[] = value.side.constant;
    const negate = operator === 'notIn' ? '!' : '';
    if (list.length > MAX_UNROLLED || !Array.from(list.keys()).every((i) => i in list)) {
      return { code: `(${value.code}.indexOf(${fact.code}) ${operator === 'in' ? '> -1' : '=== -1'})`, mayThrow };
    }
    if (list.length === 0) return { code: `(${fact.code}, ${negate ? 'true' : 'false'})`, mayThrow };
    const v = b.temp();
    return { code: `${negate}(${v} = ${fact.code}, ${list.map((item) => `${v} === ${b.constant(item)}`).join(' || ')})`, mayThrow };
  }
  return { code: generic(), mayThrow };
}

const NUMERIC: Readonly<Record<string, string>> = { lessThan: '<', lessThanInclusive: '<=', greaterThan: '>', greaterThanInclusive: '>=' };
