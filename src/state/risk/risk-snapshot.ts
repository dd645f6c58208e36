import type { RiskState, SymbolStats } from '../market-state.js';

/** What the tracker knows now. Deeply frozen: a snapshot handed out is never changed afterwards. */
export interface RiskSnapshot {
  /** Latest accepted event time (epoch ms); null before the first event. */
  readonly time: number | null;
  readonly risk: RiskState;
  /** Symbols with at least one closed trade, quote or fill. */
  readonly symbols: Readonly<Record<string, SymbolStats>>;
  /** Start of the current trading day (epoch ms); null before the first event. */
  readonly dayStart: number | null;
  /** Drawdown baseline; null until an equity mark is known. */
  readonly dayStartEquity: number | null;
  readonly equity: number | null;
  /** The tripped daily-drawdown circuit, or null. */
  readonly drawdownLatch: DrawdownLatch | null;
}

/** A tripped daily-drawdown circuit: since when, until when, and the drawdown that tripped it. */
export interface DrawdownLatch {
  readonly since: number;
  readonly until: number;
  readonly daily_dd_pct: number;
}

/** Whether two risk states hold the same values (the policy gate would decide the same on both). */
export function sameRisk(a: RiskState, b: RiskState): boolean {
  return (
    a.daily_dd_pct === b.daily_dd_pct &&
    a.open_positions === b.open_positions &&
    a.exposure_pct === b.exposure_pct &&
    a.losing_streak === b.losing_streak &&
    (a.daily_dd_latched ?? false) === (b.daily_dd_latched ?? false)
  );
}
