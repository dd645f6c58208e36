/** Everything report.html shows, as plain data (times in epoch ms UTC). */
export interface ReportSeriesPoint {
  readonly time: number;
  readonly value: number;
}

export interface ReportRun {
  /** e.g. "orchestrator ON (LIVE)", "baseline OFF". */
  readonly label: string;
  readonly equity: readonly ReportSeriesPoint[];
}

// The known values, spelled out for editors; any string is accepted because the backtest's cycle records
// carry plain strings, and an unknown value still gets a (grey) segment and a legend entry.
export type ReportExitMode = 'TREND_FOLLOW' | 'FAST_TP' | 'DEFENSIVE_TRAIL' | (string & {});
export type ReportStance = 'NO_NEW_TRADES' | 'REDUCED' | 'SAFE' | 'MODERATE' | 'AGGRESSIVE' | 'FALLBACK' | (string & {});

export interface TimelinePoint {
  readonly time: number;
  readonly exit_mode: ReportExitMode;
  readonly gate_open: boolean;
  readonly stance: ReportStance;
}

/** Closes of one symbol, and how many decimals its prices have (for labels and the trade list). */
export interface ReportPriceSeries {
  readonly symbol: string;
  readonly points: readonly ReportSeriesPoint[];
  readonly decimals?: number;
}

/** One closed trade, drawn as entry and exit markers on its symbol's price and listed under it. */
export interface ReportTrade {
  /** Index into `runs`. */
  readonly run: number;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly quantity: number;
  readonly opened_at: number;
  readonly entry_price: number;
  readonly closed_at: number;
  readonly exit_price: number;
  readonly pnl: number;
  readonly r_multiple: number;
  readonly exit_reason: string;
}

/** Already formatted cells; the first column is the row's name. */
export interface ReportTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A titled table below the charts (per-symbol results, monthly returns, shutdowns, decision differences). */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** One line above the table, e.g. what is counted or that the list is cut. */
  readonly intro?: string;
  readonly table: ReportTable;
}

export interface ReportData {
  readonly title: string;
  /** Data, profile, rule-set version and content hash. */
  readonly subtitle: string;
  /** Two or more; the first is the policy run whose timeline is drawn. */
  readonly runs: readonly ReportRun[];
  /** Closes of every symbol; the picker shows one at a time, starting with `reference`. */
  readonly prices: readonly ReportPriceSeries[];
  /** The symbol shown first (the market's reference symbol). */
  readonly reference: string;
  /** Trades of every run. */
  readonly trades?: readonly ReportTrade[];
  /** Controls of the first run at every candle close. */
  readonly timeline: readonly TimelinePoint[];
  /** Metrics, already formatted. */
  readonly table: ReportTable;
  /** One plain-words sentence per comparison of runs. */
  readonly verdicts?: readonly string[];
  readonly notes?: readonly string[];
  readonly sections?: readonly ReportSection[];
}

/** Equity / running peak − 1 at every point (−100% once the peak is not positive: nothing left to lose). */
export function drawdownOf(equity: readonly ReportSeriesPoint[]): ReportSeriesPoint[] {
  let peak = Number.NEGATIVE_INFINITY;
  return equity.map(({ time, value }) => {
    peak = Math.max(peak, value);
    return { time, value: peak > 0 ? value / peak - 1 : -1 };
  });
}

/** Runs of equal values as [start, end) segments: what the timeline bands draw. */
export function segmentsOf<T>(points: readonly { readonly time: number }[], valueOf: (i: number) => T): { start: number; end: number; value: T }[] {
  const segments: { start: number; end: number; value: T }[] = [];
  points.forEach((p, i) => {
    const value = valueOf(i);
    const last = segments.at(-1);
    if (last !== undefined && last.value === value) last.end = points[i + 1]?.time ?? p.time;
    else segments.push({ start: p.time, end: points[i + 1]?.time ?? p.time, value });
  });
  return segments;
}
