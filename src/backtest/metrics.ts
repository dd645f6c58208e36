import type { ClosedTrade } from '../broker/model.js';
import { ControlTally, daysPerYear, EquityTally, tradeFigures } from './running-metrics.js';

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
 * tracker does, so the worst daily drawdown here is the one the daily-drawdown gate watched. (A backtest
 * folds the same figures as its run goes: running-metrics.ts.)
 */
export function runMetrics(
  equity: readonly EquitySample[],
  trades: readonly ClosedTrade[],
  controls: readonly ControlSample[],
  options: { readonly initialEquity: number; readonly dayStartHourUtc?: number },
): RunMetrics {
  const equityTally = new EquityTally(options.initialEquity, options.dayStartHourUtc ?? 0);
  for (const point of equity) equityTally.add(point.time, point.equity);
  const controlTally = new ControlTally();
  for (const sample of controls) controlTally.add(sample);
  return assembleMetrics(options.initialEquity, equityTally.figures(), tradeFigures(trades), controlTally.figures());
}

/** The figures of a run in RunMetrics' order, from its three tallies. */
export function assembleMetrics(
  initialEquity: number,
  equity: ReturnType<EquityTally['figures']>,
  trades: ReturnType<typeof tradeFigures>,
  controls: ReturnType<ControlTally['figures']>,
): RunMetrics {
  return {
    initial_equity: initialEquity,
    final_equity: equity.final_equity,
    total_return: equity.total_return,
    max_drawdown: equity.max_drawdown,
    worst_daily_drawdown: equity.worst_daily_drawdown,
    sharpe: equity.sharpe,
    sortino: equity.sortino,
    ...trades,
    trading_days_per_year: equity.trading_days_per_year,
    ...controls,
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

/** Trading days per year of the data's own calendar (see daysPerYear), from the times that have data. */
export function tradingDaysPerYear(times: readonly number[], dayStartHourUtc = 0): number {
  return daysPerYear(new Set(times.map((t) => Math.floor((t - dayStartHourUtc * 3_600_000) / DAY))));
}
