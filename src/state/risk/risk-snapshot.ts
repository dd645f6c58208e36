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
