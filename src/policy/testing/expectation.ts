import type { DataPath } from '../../config/yaml-source.js';

/** One expectation that did not hold. */
export interface Mismatch {
  /** e.g. `min_confidence`, `exit_params.tp_pct`, `decided_by.exit_mode` */
  readonly field: string;
  /** Where the expectation is written inside its case, e.g. `['expect', 'min_confidence']`. */
  readonly path: DataPath;
  /** The expectation as the test file says it: `0.6`, `lte 0.01`, `contains "XRPUSDT"`. */
  readonly expected: string;
  readonly actual: unknown;
}

type Operator = (actual: unknown, operand: unknown) => boolean;

/** Numbers are equal when they differ by less than a billionth of their size: YAML values pass through unchanged. */
const RELATIVE_TOLERANCE = 1e-9;

const numeric = (test: (a: number, b: number) => boolean): Operator => (a, b) => typeof a === 'number' && typeof b === 'number' && test(a, b);

const OPERATORS: Readonly<Record<string, Operator>> = {
  eq: (a, b) => same(a, b),
  ne: (a, b) => !same(a, b),
  lt: numeric((a, b) => a < b && !close(a, b)),
  lte: numeric((a, b) => a <= b || close(a, b)),
  gt: numeric((a, b) => a > b && !close(a, b)),
  gte: numeric((a, b) => a >= b || close(a, b)),
  in: (a, b) => Array.isArray(b) && b.some((v) => same(a, v)),
  not_in: (a, b) => Array.isArray(b) && !b.some((v) => same(a, v)),
  contains: (a, b) => contains(a, b, 'every'),
  not_contains: (a, b) => (Array.isArray(a) || typeof a === 'string') && !contains(a, b, 'some'),
  matches: (a, b) => typeof a === 'string' && new RegExp(String(b)).test(a),
  empty: (a, b) => (Array.isArray(a) || typeof a === 'string') && (a.length === 0) === b,
};

/**
 * Checks the expected fields against the actual ones. A field whose actual value is a mapping (exit_params)
 * is checked field by field; any other field takes an exact value or a comparison mapping.
 */
export function matchExpectations(
  expect: Readonly<Record<string, unknown>>,
  actual: Readonly<Record<string, unknown>>,
  path: DataPath = ['expect'],
  prefix = '',
): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [field, expected] of Object.entries(expect)) {
    const value = actual[field];
    const name = `${prefix}${field}`;
    if (isMapping(value) && isMapping(expected)) {
      out.push(...matchExpectations(expected, value, [...path, field], `${name}.`));
    } else if (!holds(expected, value)) {
      out.push({ field: name, path: [...path, field], expected: describeExpectation(expected), actual: value });
    }
  }
  return out;
}

/** Whether a value meets an exact expectation or every operator of a comparison. */
export function holds(expected: unknown, actual: unknown): boolean {
  if (!isMapping(expected)) return same(actual, expected);
  return Object.entries(expected).every(([op, operand]) => OPERATORS[op]?.(actual, operand) ?? false);
}

export function describeExpectation(expected: unknown): string {
  if (!isMapping(expected)) return show(expected);
  return Object.entries(expected)
    .map(([op, operand]) => `${op} ${show(operand)}`)
    .join(' and ');
}

/** Values as the test output shows them: numbers bare, everything else as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** Equality of policy values: numbers within tolerance, lists as sets of elements, mappings field by field. */
export function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return close(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const key = (v: unknown) => JSON.stringify(v);
    const sortedB = [...b].sort((x, y) => key(x).localeCompare(key(y)));
    return [...a].sort((x, y) => key(x).localeCompare(key(y))).every((v, i) => same(v, sortedB[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && same(a[k], b[k]));
  }
  return a === b;
}

function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

function contains(actual: unknown, operand: unknown, mode: 'every' | 'some'): boolean {
  const wanted = Array.isArray(operand) ? operand : [operand];
  if (Array.isArray(actual)) return wanted[mode]((w) => actual.some((v) => same(v, w)));
  if (typeof actual === 'string') return wanted[mode]((w) => actual.includes(String(w)));
  return false;
}

function isMapping(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
