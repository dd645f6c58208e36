import { MARKET_FIELDS, type Comparison } from './policy-diff.js';
import { describeBox, regions } from './region.js';

/** One policy field changing from one value to another, and the regions of the state space where it does. */
export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
  /** States where the field changes this way. */
  readonly count: number;
  /** Disjoint regions covering exactly those states; `when` is empty for the whole space. */
  readonly regions: readonly { readonly when: string; readonly count: number }[];
}

/** Per field (in the policy's order), per change of value (most states first), where in the space it happens. */
export function summarise(comparison: Comparison): FieldChange[] {
  const groups = new Map<string, { field: string; from: unknown; to: unknown; points: (readonly number[])[] }>();
  for (const state of comparison.differing) {
    for (const [field, { a, b }] of Object.entries(state.fields)) {
      const key = JSON.stringify([field, a, b]);
      const group = groups.get(key) ?? { field, from: a, to: b, points: [] };
      group.points.push(state.indices);
      groups.set(key, group);
    }
  }
  const fieldOrder: readonly string[] = [...MARKET_FIELDS, 'regime', 'volatility'];
  return [...groups.values()]
    .sort((x, y) => fieldOrder.indexOf(x.field) - fieldOrder.indexOf(y.field) || y.points.length - x.points.length)
    .map((g) => ({
      field: g.field,
      from: g.from,
      to: g.to,
      count: g.points.length,
      regions: regions(g.points).map((r) => ({ when: describeBox(r.box, comparison.space.dimensions), count: r.count })),
    }));
}
