import { InputError, type Problem } from '../config/problem.js';
import { validateAgainst } from '../config/schemas.js';
import type { Regime, Volatility } from './classification.js';

/** Input of the policy engine; the contract is schemas/market-state.schema.json. Fractions, not percents. */
export interface MarketState {
  readonly timestamp?: number | string;
  readonly regime: Regime;
  readonly volatility: Volatility;
  readonly risk: RiskState;
  readonly symbols?: Readonly<Record<string, SymbolStats>>;
}

export interface RiskState {
  readonly daily_dd_pct: number;
  readonly open_positions: number;
  readonly exposure_pct: number;
  readonly losing_streak: number;
  /** True while the daily-drawdown circuit is tripped (see RiskTracker.latchDrawdown); absent means false. */
  readonly daily_dd_latched?: boolean;
}

export interface SymbolStats {
  readonly win_rate: number;
  readonly avg_r: number;
  readonly pnl?: number;
  readonly trades: number;
  readonly spread_pct?: number;
  readonly slippage_pct?: number;
  /** The symbol's own classes, present when the state was derived from candles. */
  readonly regime?: Regime;
  readonly volatility?: Volatility;
}

/** Where a state came from, for messages: a file name, and optionally a way to find a field's line. */
export interface StateOrigin {
  readonly file: string;
  readonly locate?: (path: readonly (string | number)[], options: { key?: boolean }) => { line: number; column: number };
}

/**
 * Checks untrusted input against the market-state schema. Throws an InputError whose problems name the
 * source, the offending field, and its line when the origin can locate it.
 */
export function parseMarketState(data: unknown, origin: StateOrigin = { file: 'state' }): MarketState {
  const violations = validateAgainst('market-state', data);
  if (violations.length > 0) {
    throw new InputError(
      violations.map((v): Problem => {
        const at = origin.locate?.(v.path, { key: v.atKey }) ?? { line: 0, column: 0 };
        return { file: origin.file, line: at.line, column: at.column, rule: '-', severity: 'error', check: 'state', message: `invalid state: ${v.message}` };
      }),
    );
  }
  return data as MarketState;
}
