import type { Candle, TimeframeMs } from '../candle.js';
import { CandleFileError, type DataIssue } from './data-issue.js';
import type { RawRow } from './csv-rows.js';
import { findPriceSpikes } from './price-spikes.js';
import { formatTimeframe, inferTimeframe, parseTimeframe } from './timeframe.js';

export interface SeriesOptions {
  /** Bar length (`1h`, `15m`, or ms). Inferred from the data when absent. */
  readonly timeframe?: string | number;
  /** Sort rows by time instead of rejecting out-of-order ones; each moved row is reported as repaired. */
  readonly sort?: boolean;
  /** `ignore` drops the info-level reports of unfilled gaps (filled gaps are always reported). */
  readonly gaps?: 'report' | 'ignore';
  /** Insert flat bars (open = high = low = close = previous close, volume 0) into gaps, reported as repaired. */
  readonly fillGaps?: 'previous-close';
  /** A gap of more than this many missing bars is a warning; shorter ones (weekends, holidays) are info. Default 10. */
  readonly gapWarningBars?: number;
  /** A move of more than this many typical bar moves is implausible (see price-spikes.ts). Default 50. */
  readonly spikeMultiple?: number;
  /** `report` (default) keeps implausible bars and warns; `drop` rejects spike bars (a jump is only reported). */
  readonly spikes?: 'report' | 'drop';
  /** A symbol whose data rows are rejected in a larger share than this is refused as a whole. Default 0.5. */
  readonly maxRejectedShare?: number;
}

export const DEFAULT_DATA_CHECKS = Object.freeze({ gapWarningBars: 10, spikeMultiple: 50, spikes: 'report', maxRejectedShare: 0.5 } as const);

/** The validated bars of one symbol, ascending by open time, and what was done to get them. */
export interface CandleSeries {
  readonly symbol: string;
  readonly timeframe: TimeframeMs;
  readonly candles: readonly Candle[];
  readonly issues: readonly DataIssue[];
}

export interface SeriesContext {
  /** Files in reading order, for sorting issues; defaults to the order rows appear in. */
  readonly files?: readonly string[];
  /** Issues found before (single-row checks), merged into the result. */
  readonly issues?: readonly DataIssue[];
  /** Timeframe used only when the data cannot tell (a single bar), e.g. the interval in a Binance dump name. */
  readonly timeframeHint?: TimeframeMs;
}

/**
 * Applies the checks that need the whole sequence: order, duplicates, grid alignment and gaps. `rows` are
 * in file order, several files of one symbol concatenated, so duplicates and gaps across monthly dumps are
 * caught too. Throws CandleFileError when no row survives or the timeframe cannot be known.
 */
export function buildSeries(
  symbol: string,
  rows: readonly RawRow[],
  options: SeriesOptions = {},
  context: SeriesContext = {},
): CandleSeries {
  const issues: DataIssue[] = [...(context.issues ?? [])];
  const report: Reporter = (row, issue) => {
    issues.push({ symbol, file: row.file, line: row.line, time: row.openTime, level: 'warning', ...issue });
  };

  const ordered = options.sort === true ? sortRows(rows, report) : rows;
  // Timeframe and grid come first, so a stray off-grid row cannot get later good rows rejected as out of order.
  const timeframe = options.timeframe !== undefined
    ? parseTimeframe(options.timeframe)
    : inferTimeframe(sortedTimes(ordered)) ?? context.timeframeHint;
  const aligned = timeframe === undefined ? ordered : alignedRows(ordered, timeframe, report);

  const accepted: RawRow[] = [];
  const firstAt = new Map<number, RawRow>();
  for (const row of aligned) {
    const earlier = firstAt.get(row.openTime);
    const last = accepted.at(-1);
    if (earlier !== undefined) {
      const reason = `same open time as ${earlier.file}:${earlier.line}, which is kept`;
      report(row, { kind: 'duplicate-time', action: 'rejected', reason });
    } else if (last !== undefined && row.openTime < last.openTime) {
      const reason = `open time is before that of ${last.file}:${last.line} (the sort option, --sort, sorts instead)`;
      report(row, { kind: 'out-of-order', action: 'rejected', reason });
    } else {
      firstAt.set(row.openTime, row);
      accepted.push(row);
    }
  }

  const file = rows[0]?.file ?? issues[0]?.file ?? context.files?.[0] ?? '(no file)';
  if (accepted.length === 0) {
    const rejected = issues.filter((i) => i.action === 'rejected');
    const first = rejected[0];
    const detail = first === undefined ? '' : `; first: line ${first.line ?? '?'} ${first.kind}: ${first.reason}`;
    throw new CandleFileError(first?.file ?? file, 0, `no valid candle rows for ${symbol} (${rejected.length} rejected${detail})`);
  }
  refuseMostlyUnusable(symbol, rows.length + (context.issues ?? []).filter((i) => i.action === 'rejected').length, accepted.length, issues, options);
  if (timeframe === undefined) {
    throw new CandleFileError(file, 0, `cannot infer the timeframe of ${symbol} from a single bar; pass a timeframe`);
  }

  const plausible = checkPlausibility(accepted, options, report);
  const candles = toCandles(symbol, plausible, timeframe, options, issues);
  issues.sort(byPosition(context.files ?? rows.map((r) => r.file)));
  return { symbol, timeframe, candles, issues };
}

/** Records an issue of a row; a warning unless the issue says otherwise. */
type Reporter = (row: RawRow, issue: Omit<DataIssue, 'symbol' | 'file' | 'line' | 'time' | 'level'> & { readonly level?: DataIssue['level'] }) => void;

/**
 * A file whose rows are mostly rejected is not a data set with a few bad rows but a wrong file (another
 * layout, shuffled rows, the wrong column order): backtesting the few rows that survive would report
 * results on data nobody meant. Refused, with the count of each kind of rejection.
 */
function refuseMostlyUnusable(symbol: string, total: number, kept: number, issues: readonly DataIssue[], options: SeriesOptions): void {
  const rejectedCount = total - kept;
  if (total === 0 || rejectedCount / total <= (options.maxRejectedShare ?? DEFAULT_DATA_CHECKS.maxRejectedShare)) return;
  const rejected = issues.filter((i) => i.action === 'rejected');
  const byKind = new Map<string, number>();
  for (const issue of rejected) byKind.set(issue.kind, (byKind.get(issue.kind) ?? 0) + 1);
  const kinds = [...byKind].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`).join(', ');
  const first = rejected[0];
  const where = first === undefined ? '' : `; first: ${first.file ?? ''}:${first.line ?? '?'} ${first.kind}: ${first.reason}`;
  const hint = (byKind.get('out-of-order') ?? 0) > rejectedCount / 2 ? '; the rows are not in time order: the sort option (--sort) sorts them' : '';
  throw new CandleFileError(first?.file ?? '(no file)', 0, `${symbol}: ${rejectedCount} of ${total} data rows rejected (${kinds})${where}${hint}`);
}

/** Flags (or, with `spikes: drop`, rejects) bars whose move is implausible for the series; jumps are only reported. */
function checkPlausibility(rows: readonly RawRow[], options: SeriesOptions, report: Reporter): readonly RawRow[] {
  const drop = options.spikes === 'drop';
  const dropped = new Set<RawRow>();
  for (const { row, kind, reference, extreme, multiple } of findPriceSpikes(rows, options.spikeMultiple ?? DEFAULT_DATA_CHECKS.spikeMultiple)) {
    const move = `price ${extreme} is ×${(extreme / reference).toPrecision(3)} the previous close ${reference} (${Math.round(multiple)} typical bar moves)`;
    if (kind === 'jump') {
      report(row, { kind: 'price-jump', action: 'reported', reason: `${move} and stays there: a different unit, a split or another instrument?` });
    } else if (drop) {
      dropped.add(row);
      report(row, { kind: 'implausible-move', action: 'rejected', reason: `${move} and comes back: dropped (spikes: drop)` });
    } else {
      report(row, { kind: 'implausible-move', action: 'reported', reason: `${move} and comes back: a bad tick? kept (spikes: drop would drop it)` });
    }
  }
  return dropped.size === 0 ? rows : rows.filter((r) => !dropped.has(r));
}

function sortRows(rows: readonly RawRow[], report: Reporter): RawRow[] {
  let latest = -Infinity;
  for (const row of rows) {
    if (row.openTime < latest) {
      // Asked for, so information rather than a warning: a newest-first file would otherwise warn on every row.
      report(row, { kind: 'out-of-order', action: 'repaired', level: 'info', reason: 'moved to its place in time order (sort)' });
    }
    latest = Math.max(latest, row.openTime);
  }
  // Array.prototype.sort is stable, so among equal times the first in the file still comes first.
  return [...rows].sort((a, b) => a.openTime - b.openTime);
}

/**
 * Keeps the rows on the series' grid. The grid phase is the most common open time modulo the timeframe,
 * so one stray row cannot shift the grid and get every good row rejected.
 */
function alignedRows(rows: readonly RawRow[], timeframe: TimeframeMs, report: Reporter): RawRow[] {
  const votes = new Map<number, number>();
  for (const row of rows) votes.set(mod(row.openTime, timeframe), (votes.get(mod(row.openTime, timeframe)) ?? 0) + 1);
  let phase = 0;
  let best = 0;
  for (const [value, count] of votes) if (count > best) [phase, best] = [value, count];
  return rows.filter((row) => {
    if (mod(row.openTime, timeframe) === phase) return true;
    const reason = `open time is off the ${formatTimeframe(timeframe)} grid of this series`;
    report(row, { kind: 'misaligned', action: 'rejected', reason });
    return false;
  });
}

function toCandles(
  symbol: string,
  rows: readonly RawRow[],
  timeframe: TimeframeMs,
  options: SeriesOptions,
  issues: DataIssue[],
): Candle[] {
  const candles: Candle[] = [];
  const name = formatTimeframe(timeframe);
  let before: RawRow | undefined;
  for (const row of rows) {
    if (before !== undefined && row.openTime - before.openTime > timeframe) {
      const missingBars = (row.openTime - before.openTime) / timeframe - 1;
      const gap = { symbol, file: row.file, line: row.line, time: before.openTime + timeframe, kind: 'gap', missingBars } as const;
      const between = `${missingBars} missing ${name} bar(s) between ${before.file}:${before.line} and ${row.file}:${row.line}`;
      if (options.fillGaps === 'previous-close') {
        const p = before.close;
        const volume = before.volume === null ? null : 0;
        for (let t = gap.time; t < row.openTime; t += timeframe) {
          candles.push({ symbol, openTime: t, closeTime: t + timeframe, open: p, high: p, low: p, close: p, volume });
        }
        issues.push({ ...gap, action: 'repaired', level: 'warning', reason: `${between} filled with flat bars at the previous close ${p}` });
      } else if (missingBars > (options.gapWarningBars ?? DEFAULT_DATA_CHECKS.gapWarningBars)) {
        issues.push({ ...gap, action: 'reported', level: 'warning', reason: `${between}, not filled: a long gap (indicators and positions jump across it)` });
      } else if (options.gaps !== 'ignore') {
        issues.push({ ...gap, action: 'reported', level: 'info', reason: `${between}, not filled` });
      }
    }
    const { openTime, open, high, low, close, volume, bid, ask } = row;
    candles.push({ symbol, openTime, closeTime: openTime + timeframe, open, high, low, close, volume, ...(bid === undefined || ask === undefined ? {} : { bid, ask }) });
    before = row;
  }
  return candles;
}

/** Issues in the order of the files and their lines, so reports read top to bottom. */
function byPosition(files: readonly string[]): (a: DataIssue, b: DataIssue) => number {
  const fileRank = new Map<string, number>();
  for (const file of files) if (!fileRank.has(file)) fileRank.set(file, fileRank.size);
  const rank = (i: DataIssue): number => (i.file === undefined ? Infinity : fileRank.get(i.file) ?? fileRank.size);
  return (a, b) => rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0);
}

/**
 * Inference looks at the times in sorted order, so a file in the wrong order (newest first, as some
 * exporters write) still gets its true timeframe and a clear out-of-order report per row.
 */
function sortedTimes(rows: readonly RawRow[]): number[] {
  return rows.map((r) => r.openTime).sort((a, b) => a - b);
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
