import type { Dimension } from './state-space.js';

/** A box of the state space: per dimension the indices of the values it holds (every value: unconstrained). */
export type Box = readonly (readonly number[])[];

export interface Region {
  readonly box: Box;
  /** Number of states in the box. */
  readonly count: number;
}

/**
 * Describes a set of states (distinct index tuples) exactly, as a union of disjoint boxes: a box when the
 * set is one, else split along a dimension and the parts merged back where they agree. Readers get
 * "volatility ∈ {LOW, NORMAL}" instead of a list of states.
 */
export function regions(points: readonly (readonly number[])[]): Region[] {
  if (points.length === 0) return [];
  return cover(points).map((box) => ({ box, count: box.reduce((n, values) => n * values.length, 1) }));
}

function cover(points: readonly (readonly number[])[]): Box[] {
  const width = points[0]!.length;
  const sets = Array.from({ length: width }, (_, d) => [...new Set(points.map((p) => p[d]!))].sort((a, b) => a - b));
  if (sets.reduce((n, s) => n * s.length, 1) === points.length) return [sets];
  // Split along the dimension with the fewest distinct values, then merge parts that agree elsewhere.
  let split = -1;
  for (let d = 0; d < width; d++) if (sets[d]!.length > 1 && (split < 0 || sets[d]!.length < sets[split]!.length)) split = d;
  const parts = new Map<number, (readonly number[])[]>();
  for (const p of points) {
    const list = parts.get(p[split]!) ?? [];
    list.push(p);
    parts.set(p[split]!, list);
  }
  const merged = new Map<string, number[][]>();
  for (const part of parts.values()) {
    for (const box of cover(part)) {
      const key = box.map((values, d) => (d === split ? '*' : values.join(','))).join('|');
      const existing = merged.get(key);
      if (existing) existing[split] = [...existing[split]!, ...box[split]!].sort((a, b) => a - b);
      else merged.set(key, box.map((values) => [...values]));
    }
  }
  return [...merged.values()];
}

/** "volatility ∈ {LOW, NORMAL} and risk.daily_dd_pct ≤ -0.025"; empty when the box is the whole space. */
export function describeBox(box: Box, dimensions: readonly Dimension[]): string {
  return box
    .map((indices, d) => (indices.length === dimensions[d]!.values.length ? undefined : describeValues(dimensions[d]!, indices)))
    .filter((text): text is string => text !== undefined)
    .join(' and ');
}

function describeValues(dimension: Dimension, indices: readonly number[]): string {
  const { key, values } = dimension;
  if (dimension.kind === 'number') return runs(indices).map((run) => describeStretch(dimension, run)).join(' or ');
  if (indices.length === 1) return `${key} = ${String(values[indices[0]!])}`;
  const excluded = values.filter((_, i) => !indices.includes(i));
  if (excluded.length === 1 && values.length > 2) return `${key} ≠ ${String(excluded[0])}`;
  return `${key} ∈ {${indices.map((i) => String(values[i])).join(', ')}}`;
}

/** Consecutive indices grouped: [0,1,3] → [[0,1],[3]]. */
function runs(indices: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const i of indices) {
    const last = out[out.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

function describeStretch(dimension: Dimension, [from, to]: [number, number]): string {
  const { key } = dimension;
  const first = dimension.stretches![from]!;
  const last = dimension.stretches![to]!;
  let lo = first.lo;
  let loIncluded = first.loIncluded;
  let hi = last.hi;
  let hiIncluded = last.hiIncluded;
  if (dimension.integer) {
    // Whole numbers read better with inclusive bounds: 3 < n < 6 is 4 ≤ n ≤ 5.
    if (lo !== undefined && !loIncluded) [lo, loIncluded] = [Math.floor(lo) + 1, true];
    if (hi !== undefined && !hiIncluded) [hi, hiIncluded] = [Math.ceil(hi) - 1, true];
  }
  if (lo !== undefined && hi !== undefined && lo === hi) return `${key} = ${lo}`;
  if (lo === undefined && hi === undefined) return `${key} any`;
  if (lo === undefined) return `${key} ${hiIncluded ? '≤' : '<'} ${hi}`;
  if (hi === undefined) return `${key} ${loIncluded ? '≥' : '>'} ${lo}`;
  return `${lo} ${loIncluded ? '≤' : '<'} ${key} ${hiIncluded ? '≤' : '<'} ${hi}`;
}
