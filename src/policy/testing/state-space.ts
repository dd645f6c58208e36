import { InputError } from '../../config/problem.js';
import { factLabel, forEachLeaf } from '../conditions.js';
import { factShapes, shapeAtPath, valueAtPath, type Facts, type Shape } from '../facts.js';
import { isFactReference, type LocatedRule, type RiskProfileDoc, type Scope } from '../rule-set.js';
import { describeLeaf } from './coverage.js';
import { numberCandidates, type Stretch } from './number-line.js';

/** One fact (or field of a fact) the rules compare, with the values worth trying. */
export interface Dimension {
  /** e.g. `volatility`, `risk.daily_dd_pct`, `symbol.win_rate` */
  readonly key: string;
  readonly fact: string;
  readonly path?: string;
  readonly kind: 'enum' | 'number' | 'boolean' | 'string';
  readonly values: readonly unknown[];
  /** For numbers: the stretch of the number line each value stands for. */
  readonly stretches?: readonly Stretch[];
  /** For numbers: whole numbers only (a count). */
  readonly integer?: boolean;
}

export interface StateSpace {
  readonly dimensions: readonly Dimension[];
  /** Number of states: the product of the dimensions' sizes. */
  readonly size: number;
  /** Comparisons whose fact cannot be enumerated; it stays at its neutral value. */
  readonly unsupported: readonly string[];
}

export interface SpaceInput {
  /** The rules whose comparisons shape the space (of both rule sets being compared). */
  readonly rules: readonly LocatedRule[];
  /** Which facts the rules see. */
  readonly scope: Scope;
  /** Facts enumerated even when no rule compares them (`regime`, `volatility`). */
  readonly always?: readonly string[];
  /** The profiles in play: thresholds taken from `profile` are read from each. */
  readonly profiles: readonly RiskProfileDoc[];
  /** Neutral facts, for a fact compared only with another fact. */
  readonly neutral: Facts;
}

/** Beyond this many evaluations `diff` would take minutes: the user narrows it down instead. */
export const MAX_STATES = 200_000;

const PLAIN_PATH = /^\$(\.[A-Za-z0-9_]+)*$/;

interface Collected {
  fact: string;
  path?: string;
  constants: unknown[];
  related: Set<string>;
}

/**
 * Every combination that matters of the facts the rules compare: each enumeration (regime, volatility …)
 * in full, and each number at its thresholds and just either side of them (see number-line.ts).
 */
export function stateSpace(input: SpaceInput): StateSpace {
  const shapes = factShapes(input.scope);
  const collected = new Map<string, Collected>();
  const unsupported: string[] = [];
  const dimension = (fact: string, path: string | undefined): Collected => {
    const key = factLabel(fact, path);
    let entry = collected.get(key);
    if (!entry) collected.set(key, (entry = { fact, ...(path !== undefined ? { path } : {}), constants: [], related: new Set() }));
    return entry;
  };
  for (const fact of input.always ?? []) dimension(fact, undefined);

  for (const rule of input.rules) {
    forEachLeaf(rule.spec.conditions, [], (leaf) => {
      const left = { fact: leaf.fact, path: leaf.path };
      const right = isFactReference(leaf.value) ? { fact: leaf.value.fact, path: leaf.value.path } : undefined;
      const sides = [left, ...(right ? [right] : [])].filter((s) => s.fact !== 'profile');
      const enumerable = sides.filter((s) => (s.path === undefined || PLAIN_PATH.test(s.path)) && isEnumerable(shapes, s.fact, s.path));
      if (enumerable.length < sides.length) {
        unsupported.push(`${rule.spec.name}: ${describeLeaf(leaf)}`);
        return;
      }
      const constants = (side: { fact: string; path?: string | undefined } | undefined): unknown[] => {
        if (side === undefined) return Array.isArray(leaf.value) ? leaf.value : [leaf.value];
        return side.fact === 'profile' ? input.profiles.map((p) => valueAtPath(p, side.path)) : [];
      };
      if (sides.length === 2) {
        const [a, b] = sides.map((s) => dimension(s.fact, s.path));
        a!.related.add(factLabel(b!.fact, b!.path));
        b!.related.add(factLabel(a!.fact, a!.path));
      } else if (sides.length === 1) {
        const other = sides[0] === left ? right : left;
        dimension(sides[0]!.fact, sides[0]!.path).constants.push(...constants(other));
      }
    });
  }
  // A fact compared with another fact is tried at the other's thresholds too (below, equal and above it),
  // or around both neutral values when neither has a threshold.
  const numbers = (entry: Collected) => entry.constants.filter((c): c is number => typeof c === 'number');
  const shared = new Map<Collected, number[]>();
  for (const entry of collected.values()) {
    if (entry.related.size === 0) continue;
    const group = [entry, ...[...entry.related].map((key) => collected.get(key)!)];
    const thresholds = group.flatMap(numbers);
    const neutrals = group.map((e) => valueAtPath(input.neutral[e.fact], e.path)).filter((v): v is number => typeof v === 'number');
    shared.set(entry, thresholds.length > 0 ? thresholds : neutrals);
  }
  for (const [entry, thresholds] of shared) entry.constants.push(...thresholds);
  const dimensions = [...collected.entries()].map(([key, entry]) => toDimension(key, entry, shapes, input.neutral));
  const size = dimensions.reduce((n, d) => n * d.values.length, 1);
  return { dimensions, size, unsupported: [...new Set(unsupported)] };
}

function isEnumerable(shapes: Readonly<Record<string, Shape>>, fact: string, path: string | undefined): boolean {
  const root = shapes[fact];
  if (!root) return false;
  const shape = shapeAtPath(root, path);
  return 'kind' in shape && ['enum', 'number', 'boolean', 'string'].includes(shape.kind);
}

function toDimension(key: string, entry: Collected, shapes: Readonly<Record<string, Shape>>, neutral: Facts): Dimension {
  const shape = shapeAtPath(shapes[entry.fact]!, entry.path);
  const base = { key, fact: entry.fact, ...(entry.path !== undefined ? { path: entry.path } : {}) };
  if (!('kind' in shape)) throw new Error(`no shape for ${key}`);
  if (shape.kind === 'enum') return { ...base, kind: 'enum', values: shape.values };
  if (shape.kind === 'boolean') return { ...base, kind: 'boolean', values: [false, true] };
  if (shape.kind === 'string') {
    const named = [...new Set(entry.constants.filter((c): c is string => typeof c === 'string'))];
    let other = 'OTHER';
    while (named.includes(other)) other += '_';
    return { ...base, kind: 'string', values: [...named, other] };
  }
  if (shape.kind !== 'number') throw new Error(`${key} cannot be enumerated`);
  const neutralValue = valueAtPath(neutral[entry.fact], entry.path);
  const candidates = numberCandidates(
    entry.constants.filter((c): c is number => typeof c === 'number'),
    { ...(shape.min !== undefined ? { min: shape.min } : {}), ...(shape.max !== undefined ? { max: shape.max } : {}), integer: shape.integer },
    typeof neutralValue === 'number' ? neutralValue : 0,
  );
  return { ...base, kind: 'number', values: candidates.map((c) => c.value), stretches: candidates.map((c) => c.stretch), integer: shape.integer };
}

/** Every state of the space as the index of each dimension's value, in a fixed order. */
export function* assignments(space: StateSpace): Generator<number[]> {
  const sizes = space.dimensions.map((d) => d.values.length);
  if (sizes.some((n) => n === 0)) return;
  const current = sizes.map(() => 0);
  for (;;) {
    yield [...current];
    let i = sizes.length - 1;
    while (i >= 0 && ++current[i]! === sizes[i]) current[i--] = 0;
    if (i < 0) return;
  }
}

export function checkSize(total: number, what: string): void {
  if (total > MAX_STATES) {
    throw new InputError(`${what} has ${total.toLocaleString('en-US')} states to evaluate (more than ${MAX_STATES.toLocaleString('en-US')}); compare one profile at a time with --profile`);
  }
}
