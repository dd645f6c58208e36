import type { ClosedTrade } from '../broker/model.js';

const DAY = 86_400_000;

export interface EquitySample {
  readonly time: number;
  readonly equity: number;
}

/** What the policy said (or the static controls were) at one candle close, for time-in-state figures. */
export interface ControlSample {
  readonly time: number;
  readonly gate_open: boolean;
  readonly exit_mode: string;
  readonly stance: string;
  /**
   * Before the first market state (indicators warming up): the gate is closed for want of a policy, not
   * by one, so these closes count in no time share and no shutdown.
   */
  readonly warming_up?: boolean;
  /** Symbols the policy kept from new trades at this close (disallowed, or outside a non-empty allowed list). */
  readonly blocked_symbols?: readonly string[];
}

export interface RunMetrics {
  readonly initial_equity: number;
  readonly final_equity: number;
  /** Fractions: 0.05 = +5%. */
  readonly total_return: number;
  /** Deepest fall from a running peak, ≤ 0. */
  readonly max_drawdown: number;
  /** Deepest fall within one trading day from that day's starting equity, ≤ 0. */
  readonly worst_daily_drawdown: number;
  /** Annualised from daily returns by √trading_days_per_year; null with fewer than two days or no variance. */
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly trades: number;
  readonly win_rate: number | null;
  readonly avg_r: number | null;
  /** Longest run of losing trades in a row (the design expects the policy to shorten them). */
  readonly longest_losing_streak: number;
  readonly net_pnl: number;
  readonly fees: number;
  /** The data's own calendar: trading days per year inferred from the days that have data (365 crypto, ~252 weekday-only). */
  readonly trading_days_per_year: number;
  /** Candle closes before the first market state; excluded from every share and count below. */
  readonly warm_up_bars: number;
  /** Times the gate went from open to closed. */
  readonly shutdown_events: number;
  /** Share of candle closes with the gate closed, and the same in hours. */
  readonly gate_closed_share: number;
  readonly gate_closed_hours: number;
  readonly exit_mode_share: Readonly<Record<string, number>>;
  readonly stance_share: Readonly<Record<string, number>>;
  /** Per symbol ever blocked, the share of candle closes it was blocked. */
  readonly symbol_blocked_share: Readonly<Record<string, number>>;
}

/**
 * Performance and policy-behaviour figures of one run. `dayStartHourUtc` cuts trading days as the risk
 * tracker does, so the worst daily drawdown here is the one the daily-drawdown gate watched.
 */
export function runMetrics(
  equity: readonly EquitySample[],
  trades: readonly ClosedTrade[],
  controls: readonly ControlSample[],
  options: { readonly initialEquity: number; readonly dayStartHourUtc?: number },
): RunMetrics {
  const initial = options.initialEquity;
  const final = equity.at(-1)?.equity ?? initial;
  const dayOf = (time: number) => Math.floor((time - (options.dayStartHourUtc ?? 0) * 3_600_000) / DAY);

  let peak = initial;
  let maxDrawdown = 0;
  let worstDaily = 0;
  let day: number | undefined;
  let dayStart = initial;
  let previous = initial;
  const dailyCloses: number[] = [];
  for (const { time, equity: value } of equity) {
    const d = dayOf(time);
    if (d !== day) {
      if (day !== undefined) dailyCloses.push(previous);
      day = d;
      dayStart = previous;
    }
    peak = Math.max(peak, value);
    maxDrawdown = Math.min(maxDrawdown, value / peak - 1);
    worstDaily = Math.min(worstDaily, value / dayStart - 1);
    previous = value;
  }
  dailyCloses.push(previous);
  const dailyReturns = dailyCloses.map((close, i) => close / (i === 0 ? initial : dailyCloses[i - 1]!) - 1);

  const wins = trades.filter((t) => t.pnl > 0).length;
  let streak = 0;
  let longestStreak = 0;
  for (const t of [...trades].sort((a, b) => a.closed_at - b.closed_at)) {
    // As the risk tracker counts: a loss extends the streak, a win ends it, breakeven changes nothing.
    if (t.pnl < 0) longestStreak = Math.max(longestStreak, ++streak);
    else if (t.pnl > 0) streak = 0;
  }
  const traded = controls.filter((c) => c.warming_up !== true);
  let shutdowns = 0;
  let closedBars = 0;
  let closedMs = 0;
  const modes: Record<string, number> = {};
  const stances: Record<string, number> = {};
  const blocked: Record<string, number> = {};
  traded.forEach((c, i) => {
    const before = traded[i - 1];
    if (!c.gate_open) {
      closedBars++;
      if (before === undefined || before.gate_open) shutdowns++;
      const next = traded[i + 1];
      if (next !== undefined) closedMs += next.time - c.time;
    }
    modes[c.exit_mode] = (modes[c.exit_mode] ?? 0) + 1;
    stances[c.stance] = (stances[c.stance] ?? 0) + 1;
    for (const symbol of c.blocked_symbols ?? []) blocked[symbol] = (blocked[symbol] ?? 0) + 1;
  });
  const share = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => [k, n / traded.length]));
  const perYear = tradingDaysPerYear(equity.map((p) => p.time), options.dayStartHourUtc ?? 0);

  return {
    initial_equity: initial,
    final_equity: final,
    total_return: final / initial - 1,
    max_drawdown: maxDrawdown,
    worst_daily_drawdown: worstDaily,
    sharpe: annualised(dailyReturns, standardDeviation(dailyReturns), perYear),
    sortino: annualised(dailyReturns, downsideDeviation(dailyReturns), perYear),
    trades: trades.length,
    win_rate: trades.length === 0 ? null : wins / trades.length,
    avg_r: trades.length === 0 ? null : trades.reduce((sum, t) => sum + t.r_multiple, 0) / trades.length,
    longest_losing_streak: longestStreak,
    net_pnl: trades.reduce((sum, t) => sum + t.pnl, 0),
    fees: trades.reduce((sum, t) => sum + t.fees, 0),
    trading_days_per_year: perYear,
    warm_up_bars: controls.length - traded.length,
    shutdown_events: shutdowns,
    gate_closed_share: traded.length === 0 ? 0 : closedBars / traded.length,
    gate_closed_hours: closedMs / 3_600_000,
    exit_mode_share: share(modes),
    stance_share: share(stances),
    symbol_blocked_share: share(blocked),
  };
}

/**
 * The design's headline figures: how much smaller the policy run's drawdowns are than the baseline's,
 * as a fraction of the baseline's (0.2 = 20% smaller; negative = deeper). Null when the baseline had none.
 */
export function drawdownReduction(policy: RunMetrics, baseline: RunMetrics): { readonly daily_dd: number | null; readonly max_dd: number | null } {
  const reduction = (on: number, off: number) => (off < 0 ? 1 - on / off : null);
  return { daily_dd: reduction(policy.worst_daily_drawdown, baseline.worst_daily_drawdown), max_dd: reduction(policy.max_drawdown, baseline.max_drawdown) };
}

/**
 * Trading days per year of the data's own calendar: the share of calendar days that have data, scaled to a
 * year. Data on (nearly) every day is a 365-day market (crypto; a few missing days do not make it another
 * calendar); weekday-only data gives 5/7 of the year, about 252 once holidays are missing too. Under two
 * days of data says nothing, and the default 365 stays.
 */
export function tradingDaysPerYear(times: readonly number[], dayStartHourUtc = 0): number {
  const days = new Set(times.map((t) => Math.floor((t - dayStartHourUtc * 3_600_000) / DAY)));
  if (days.size < 2) return 365;
  const span = Math.max(...days) - Math.min(...days) + 1;
  const share = days.size / span;
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
