/**
 * The vocabulary of the policy: what the rules decide and the executor obeys. The enumerations mirror
 * schemas/common.schema.json (a test keeps them in step); the schema is where a trader reads them.
 */
import type { Regime, Volatility } from '../state/classification.js';

// The market's classes are the state's vocabulary; the policy decides on them.
export { REGIMES, VOLATILITIES, type Regime, type Volatility } from '../state/classification.js';

/** Regimes from least to most hazardous, to break classification ties toward caution. */
export const CLASSIFIED_REGIMES: readonly Regime[] = ['TRENDING_UP', 'TRENDING_DOWN', 'SIDEWAYS', 'CHOPPY'];

/** Ordered from least to most defensive: a priority tie is broken toward the later one. */
export const EXIT_MODES = ['TREND_FOLLOW', 'FAST_TP', 'DEFENSIVE_TRAIL'] as const;
export type ExitMode = (typeof EXIT_MODES)[number];

/** Ordered from most to least restrictive: when rules disagree, the earlier one wins. */
export const RISK_STANCES = ['NO_NEW_TRADES', 'REDUCED', 'SAFE', 'MODERATE', 'AGGRESSIVE'] as const;
export type RiskStance = (typeof RISK_STANCES)[number];

/** FALLBACK marks a policy produced because evaluation failed. */
export type ReportedStance = RiskStance | 'FALLBACK';

export interface ExitParams {
  readonly tp_pct: number;
  readonly sl_pct: number;
  readonly trail_pct: number;
  readonly partial_tp_fraction: number;
  readonly partial_tp_at_r: number;
}

/** The fields a market-scope rule may set (after fact references are resolved). */
export interface PolicyParams {
  allow_new_trades?: boolean;
  min_confidence?: number;
  max_risk_pct?: number;
  allowed_symbols?: string[];
  disallowed_symbols?: string[];
  exit_mode?: ExitMode;
  risk_profile?: RiskStance;
  note?: string;
}

export type PolicyField = Exclude<keyof PolicyParams, 'note'> | 'note';

export interface TradingPolicy {
  readonly allow_new_trades: boolean;
  readonly min_confidence: number;
  readonly max_risk_pct: number;
  readonly allowed_symbols: readonly string[];
  readonly disallowed_symbols: readonly string[];
  readonly exit_mode: ExitMode;
  readonly exit_params: ExitParams;
  readonly risk_profile: ReportedStance;
  readonly note: string;
  /** Name of the risk profile whose limits applied. */
  readonly profile: string;
  readonly rule_set_version: string;
  /** Per field, the rules that decided it; empty when the profile's static default applied. */
  readonly decided_by: Readonly<Record<PolicyField, readonly string[]>>;
}
