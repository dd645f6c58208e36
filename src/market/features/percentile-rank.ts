import type { SortedWindow } from './sorted-window.js';

/**
 * Values closer than this (relative) count as equal. Wilder-smoothed ATR% of a perfectly regular series
 * settles to one value up to the last bits; without a tolerance, rounding noise would scatter its rank.
 */
const TIE_TOLERANCE = 1e-9;

/**
 * Where `value` ranks among `history`, 0..1, where `history` holds `value` itself as one of its entries:
 * the share of entries at or below it, except that other entries equal to it count half.
 *
 * Without ties that is exactly the share of entries <= value (the highest scores 1, the lowest 1/n). The
 * half weight only matters for ties: counted in full, a run of identical values ranks at 1, so a dead
 * market with a constant (often zero) ATR% would look as volatile as it has ever been and the volatility
 * rules would call it EXTREME. Counted half, it sits near the middle, where nothing is unusual.
 */
export function percentileRank(history: Iterable<number>, value: number): number {
  const tolerance = TIE_TOLERANCE * Math.abs(value);
  let below = 0;
  let equal = 0;
  let count = 0;
  for (const x of history) {
    count++;
    if (Math.abs(x - value) <= tolerance) equal++;
    else if (x < value) below++;
  }
  return rank(below, equal, count);
}

/** percentileRank over a sorted window: two binary searches instead of a pass over the history. */
export function percentileRankInWindow(window: SortedWindow, value: number): number {
  const tolerance = TIE_TOLERANCE * Math.abs(value);
  // The same two tests as percentileRank's, each true for a prefix of the sorted values; binary searches
  // written out rather than window.countWhile with two closures per call (it runs per symbol per candle).
  const sorted = window.sorted();
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const x = sorted[mid]!;
    if (x < value && !(Math.abs(x - value) <= tolerance)) low = mid + 1;
    else high = mid;
  }
  const below = low;
  high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const x = sorted[mid]!;
    if (x < value || Math.abs(x - value) <= tolerance) low = mid + 1;
    else high = mid;
  }
  return rank(below, low - below, window.size);
}

function rank(below: number, equal: number, count: number): number {
  if (equal === 0) throw new RangeError('percentile rank: the history must contain the value itself');
  return Math.min(1, (below + (equal + 1) / 2) / count);
}
