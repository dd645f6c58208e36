import { getCorrelation, getStandardDeviation } from 'trading-signals';

// A series whose spread is this small next to its level is constant up to rounding; its "correlation"
// with anything would be noise from the last bits, so it gets none.
const RELATIVE_SPREAD_FLOOR = 1e-10;

/**
 * Pearson correlation of two equally long series, clamped to [-1, 1] against rounding; null when it is
 * undefined (fewer than 2 pairs, or a series without variance, e.g. a symbol whose price did not move).
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new RangeError(`pearson: series of unequal length ${xs.length} and ${ys.length}`);
  if (xs.length < 2 || !hasSpread(xs) || !hasSpread(ys)) return null;
  const r = getCorrelation([...xs], [...ys]);
  return Number.isFinite(r) ? Math.min(1, Math.max(-1, r)) : null;
}

function hasSpread(values: readonly number[]): boolean {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  const spread = getStandardDeviation([...values], mean);
  return spread > 0 && spread > RELATIVE_SPREAD_FLOOR * Math.abs(mean);
}
