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

export interface ReportData {
  readonly title: string;
  /** Data, profile, rule-set version and content hash. */
  readonly subtitle: string;
  /** Two or more; the first is the policy run whose timeline is drawn. */
  readonly runs: readonly ReportRun[];
  /** Close of the market's reference symbol. */
  readonly price: { readonly symbol: string; readonly points: readonly ReportSeriesPoint[] };
  /** Controls of the first run at every candle close. */
  readonly timeline: readonly TimelinePoint[];
  /** Metrics, already formatted. */
  readonly table: { readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] };
  readonly notes?: readonly string[];
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
