import type { ClosedTrade } from '../broker/model.js';
import type { ControlSample, RunMetrics } from './metrics.js';

const DAY = 86_400_000;

/** What a cycle's policy says about symbols: the lists the blocked share is counted from. */
export interface SymbolLists {
  readonly allowed_symbols?: readonly string[];
  readonly disallowed_symbols?: readonly string[];
}

type EquityFigures = Pick<RunMetrics, 'final_equity' | 'total_return' | 'max_drawdown' | 'worst_daily_drawdown' | 'sharpe' | 'sortino' | 'trading_days_per_year'>;
type ControlFigures = Pick<RunMetrics, 'warm_up_bars' | 'shutdown_events' | 'gate_closed_share' | 'gate_closed_hours' | 'exit_mode_share' | 'stance_share' | 'symbol_blocked_share'>;
type TradeFigures = Pick<RunMetrics, 'trades' | 'win_rate' | 'avg_r' | 'longest_losing_streak' | 'net_pnl' | 'fees'>;

/**
 * The equity figures of a run, folded one point at a time (in time order, each time once), so a run of
 * any length keeps a running peak and one close per trading day instead of its whole curve.
 */
export class EquityTally {
  private peak: number;
  private maxDrawdown = 0;
  private worstDaily = 0;
  private day: number | undefined;
  private dayStart: number;
  private previous: number;
  private final: number;
  private readonly dailyCloses: number[] = [];
  private readonly days = new Set<number>();

  constructor(
    private readonly initial: number,
    private readonly dayStartHourUtc = 0,
  ) {
    this.peak = this.dayStart = this.previous = this.final = initial;
  }

  add(time: number, value: number): void {
    const d = Math.floor((time - this.dayStartHourUtc * 3_600_000) / DAY);
    if (d !== this.day) {
      if (this.day !== undefined) this.dailyCloses.push(this.previous);
      this.day = d;
      this.dayStart = this.previous;
    }
    this.days.add(d);
    this.peak = Math.max(this.peak, value);
    this.maxDrawdown = Math.min(this.maxDrawdown, value / this.peak - 1);
    this.worstDaily = Math.min(this.worstDaily, value / this.dayStart - 1);
    this.previous = this.final = value;
  }

  figures(): EquityFigures {
    const initial = this.initial;
    const dailyCloses = [...this.dailyCloses, this.previous];
    const dailyReturns = dailyCloses.map((close, i) => close / (i === 0 ? initial : dailyCloses[i - 1]!) - 1);
    const perYear = daysPerYear(this.days);
    return {
      final_equity: this.final,
      total_return: this.final / initial - 1,
      max_drawdown: this.maxDrawdown,
      worst_daily_drawdown: this.worstDaily,
      sharpe: annualised(dailyReturns, standardDeviation(dailyReturns), perYear),
      sortino: annualised(dailyReturns, downsideDeviation(dailyReturns), perYear),
      trading_days_per_year: perYear,
    };
  }
}

/**
 * The policy-behaviour figures of a run, folded one candle close at a time (in time order). The symbols
 * a policy blocked are counted from its allowed/disallowed lists, so the symbols of the whole data need
 * to be known only at the end.
 */
export class ControlTally {
  private traded = 0;
  private warmingUp = 0;
  private shutdowns = 0;
  private closedBars = 0;
  private closedMs = 0;
  private before: ControlSample | undefined;
  private readonly modes: Record<string, number> = {};
  private readonly stances: Record<string, number> = {};
  private readonly blocked: Record<string, number> = {};
  // Closes whose policy had a non-empty allowed list; per symbol, those that listed it; and those that disallowed it without the allowed list already blocking it.
  private allowedLists = 0;
  private readonly allowedIn = new Map<string, number>();
  private readonly disallowedOnly = new Map<string, number>();

  add(sample: ControlSample, lists?: SymbolLists): void {
    if (sample.warming_up === true) {
      this.warmingUp++;
      return;
    }
    this.traded++;
    const before = this.before;
    if (before !== undefined && !before.gate_open) this.closedMs += sample.time - before.time;
    if (!sample.gate_open) {
      this.closedBars++;
      if (before === undefined || before.gate_open) this.shutdowns++;
    }
    this.modes[sample.exit_mode] = (this.modes[sample.exit_mode] ?? 0) + 1;
    this.stances[sample.stance] = (this.stances[sample.stance] ?? 0) + 1;
    for (const symbol of sample.blocked_symbols ?? []) this.blocked[symbol] = (this.blocked[symbol] ?? 0) + 1;
    if (lists !== undefined) this.countLists(lists);
    this.before = sample;
  }

  /** `symbols`: every symbol of the data, for the blocked shares counted from policy lists. */
  figures(symbols: readonly string[] = []): ControlFigures {
    const blocked = { ...this.blocked };
    for (const symbol of symbols) {
      const count = this.allowedLists - (this.allowedIn.get(symbol) ?? 0) + (this.disallowedOnly.get(symbol) ?? 0);
      if (count > 0) blocked[symbol] = (blocked[symbol] ?? 0) + count;
    }
    const traded = this.traded;
    const share = (counts: Record<string, number>) =>
      Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => [k, n / traded]));
    return {
      warm_up_bars: this.warmingUp,
      shutdown_events: this.shutdowns,
      gate_closed_share: traded === 0 ? 0 : this.closedBars / traded,
      gate_closed_hours: this.closedMs / 3_600_000,
      exit_mode_share: share(this.modes),
      stance_share: share(this.stances),
      symbol_blocked_share: share(blocked),
    };
  }

  private countLists(lists: SymbolLists): void {
    const allowed = new Set(lists.allowed_symbols ?? []);
    if (allowed.size > 0) {
      this.allowedLists++;
      for (const symbol of allowed) this.allowedIn.set(symbol, (this.allowedIn.get(symbol) ?? 0) + 1);
    }
    for (const symbol of new Set(lists.disallowed_symbols ?? [])) {
      if (allowed.size === 0 || allowed.has(symbol)) this.disallowedOnly.set(symbol, (this.disallowedOnly.get(symbol) ?? 0) + 1);
    }
  }
}

/** The trade figures: trades are few (one per signal at most), so they are kept and counted at the end. */
export function tradeFigures(trades: readonly ClosedTrade[]): TradeFigures {
  const wins = trades.filter((t) => t.pnl > 0).length;
  let streak = 0;
  let longestStreak = 0;
  for (const t of [...trades].sort((a, b) => a.closed_at - b.closed_at)) {
    // As the risk tracker counts: a loss extends the streak, a win ends it, breakeven changes nothing.
    if (t.pnl < 0) longestStreak = Math.max(longestStreak, ++streak);
    else if (t.pnl > 0) streak = 0;
  }
  return {
    trades: trades.length,
    win_rate: trades.length === 0 ? null : wins / trades.length,
    avg_r: trades.length === 0 ? null : trades.reduce((sum, t) => sum + t.r_multiple, 0) / trades.length,
    longest_losing_streak: longestStreak,
    net_pnl: trades.reduce((sum, t) => sum + t.pnl, 0),
    fees: trades.reduce((sum, t) => sum + t.fees, 0),
  };
}

/**
 * Trading days per year of the data's own calendar: the share of calendar days that have data, scaled to a
 * year. Data on (nearly) every day is a 365-day market (crypto; a few missing days do not make it another
 * calendar); weekday-only data gives 5/7 of the year, about 252 once holidays are missing too. Under two
 * days of data says nothing, and the default 365 stays.
 */
export function daysPerYear(days: ReadonlySet<number>): number {
  if (days.size < 2) return 365;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const d of days) {
    first = Math.min(first, d);
    last = Math.max(last, d);
  }
  const share = days.size / (last - first + 1);
  return share >= 0.9 ? 365 : Math.round(share * 365.25);
}

function annualised(returns: readonly number[], deviation: number, periodsPerYear: number): number | null {
  if (returns.length < 2 || !(deviation > 0)) return null;
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  return (mean / deviation) * Math.sqrt(periodsPerYear);
}

function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
}

// Sortino's denominator: only returns below zero count as risk, averaged over all periods.
function downsideDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  return Math.sqrt(values.reduce((s, v) => s + Math.min(0, v) ** 2, 0) / values.length);
}
