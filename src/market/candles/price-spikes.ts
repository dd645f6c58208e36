import type { RawRow } from './csv-rows.js';

/**
 * Bars whose price is implausible for their own series: a bad tick (a price ×1000, a stray zero dropped)
 * that a backtest would otherwise trade on, stop out on, and feed to every indicator. "Implausible" is
 * relative to the series itself, so the same setting works for a stablecoin, a daily stock and 1-minute
 * crypto: a move larger than `multiple` times the series' typical bar move (the median over its bars of
 * the high/low range, or of the close-to-close move where bars are flat).
 *
 * Two shapes are told apart:
 * - a **spike**: the price leaves its level and comes back within a few bars (or only a wick reaches out):
 *   the excursion is the error, the level is right;
 * - a **jump**: the price moves to a new level and stays there (a data source switching units, a split,
 *   two different instruments joined): nothing can be dropped to repair it, so it is only reported.
 */
export interface SpikeFinding {
  readonly row: RawRow;
  readonly kind: 'spike' | 'jump';
  /** The price the move is measured from (the last plausible close), and the farthest price of the bar. */
  readonly reference: number;
  readonly extreme: number;
  /** How many typical bar moves the bar is away from the reference. */
  readonly multiple: number;
}

// Bars a spike may last and still be a spike: a longer excursion that does not come back is a jump.
const SPIKE_MAX_BARS = 3;
// With fewer bars the median move says too little about the series to call anything implausible.
const MIN_BARS = 20;
// The first reference is the median close of the first bars, so a spike in the very first row is caught too.
const FIRST_REFERENCE_BARS = 21;

/** Rows (in time order) whose move exceeds `multiple` typical moves, in row order. */
export function findPriceSpikes(rows: readonly RawRow[], multiple: number): SpikeFinding[] {
  if (rows.length < MIN_BARS) return [];
  const typical = typicalMove(rows);
  if (!(typical > 0)) return [];
  const limit = multiple * typical;
  const findings: SpikeFinding[] = [];
  let reference = median(rows.slice(0, FIRST_REFERENCE_BARS).map((r) => r.close));
  const far = (price: number) => Math.abs(Math.log(price / reference)) > limit;
  const finding = (row: RawRow, kind: SpikeFinding['kind']): SpikeFinding => {
    const extreme = Math.abs(Math.log(row.high / reference)) >= Math.abs(Math.log(row.low / reference)) ? row.high : row.low;
    return { row, kind, reference, extreme, multiple: Math.abs(Math.log(extreme / reference)) / typical };
  };

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!far(row.high) && !far(row.low)) {
      reference = row.close;
      continue;
    }
    if (!far(row.open) && !far(row.close)) {
      findings.push(finding(row, 'spike')); // only a wick reached out
      reference = row.close;
      continue;
    }
    // The body moved away: a spike if the price is back within a few bars, else a new level.
    const after = rows.slice(i + 1, i + 1 + SPIKE_MAX_BARS);
    const back = after.findIndex((r) => !far(r.open) && !far(r.close));
    if (back >= 0 || after.length === 0) {
      const bars = back >= 0 ? back + 1 : 1;
      for (const spiked of rows.slice(i, i + bars)) findings.push(finding(spiked, 'spike'));
      i += bars - 1;
    } else {
      findings.push(finding(row, 'jump'));
      reference = row.close;
    }
  }
  return findings;
}

/** The series' typical one-bar move (natural-log units): median over bars of max(range, close-to-close move). */
export function typicalMove(rows: readonly RawRow[]): number {
  const moves: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const previous = rows[i - 1];
    const move = Math.max(Math.log(row.high / row.low), previous === undefined ? 0 : Math.abs(Math.log(row.close / previous.close)));
    if (move > 0) moves.push(move);
  }
  return moves.length === 0 ? 0 : median(moves);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
