import type { Classified } from '../state/classification.js';
import type { YamlSource } from '../config/yaml-source.js';
import type { BreakoutStrategyDoc, MeanReversionStrategyDoc, RandomEntriesDoc, StrategyDoc } from './signal-source-docs.js';
import type { ExitMode, ExitParams, PolicyParams, Regime, RiskStance, Volatility } from './trading-policy.js';

/** Shapes of the YAML documents, as guaranteed by their schemas once validated. */

/** Which facts a rule sees: market rules, per-symbol rules, or classification rules over indicators. */
export type Scope = 'market' | 'symbol' | 'classification';

export type ConditionValue = unknown;

export interface FactReference {
  readonly fact: string;
  readonly path?: string;
  readonly params?: Record<string, unknown>;
}

export interface LeafCondition {
  readonly fact: string;
  readonly operator: string;
  readonly value: ConditionValue;
  readonly path?: string;
  readonly params?: Record<string, unknown>;
  readonly name?: string;
  readonly priority?: number;
}

export type Condition =
  | LeafCondition
  | { readonly all: readonly Condition[]; readonly name?: string; readonly priority?: number }
  | { readonly any: readonly Condition[]; readonly name?: string; readonly priority?: number }
  | { readonly not: Condition; readonly name?: string; readonly priority?: number };

export type TopLevelCondition = Exclude<Condition, LeafCondition>;

/** Event params as written in YAML: numbers and the stance may still be fact references. */
export type RawPolicyParams = {
  [K in keyof PolicyParams]?: PolicyParams[K] | FactReference;
};

export interface PolicyEvent {
  readonly type: 'policy';
  readonly params: RawPolicyParams;
}

export interface SymbolEvent {
  readonly type: 'block-symbol' | 'allow-symbol';
  readonly params?: { readonly note?: string };
}

export interface ClassifyEvent {
  readonly type: 'classify';
  readonly params: { readonly volatility?: Volatility; readonly regime?: Regime };
}

export interface RuleSpec {
  readonly name: string;
  readonly priority: number;
  readonly description: string;
  readonly enabled?: boolean;
  /** Which orchestrator switch governs the gate this rule closes; default trading_gate. */
  readonly control?: 'trading_gate' | 'position_limits';
  readonly conditions: TopLevelCondition;
  readonly event: PolicyEvent | SymbolEvent | ClassifyEvent;
}

export interface PolicyRulesDoc {
  readonly apiVersion: string;
  readonly kind: 'PolicyRules';
  readonly version: string;
  readonly description?: string;
  readonly scope: Scope;
  readonly rules: readonly RuleSpec[];
}

export type { Classified } from '../state/classification.js';

export interface ClassificationRulesDoc {
  readonly apiVersion: string;
  readonly kind: 'ClassificationRules';
  readonly version: string;
  readonly description?: string;
  readonly classifies: Classified;
  readonly default: string;
  readonly rules: readonly RuleSpec[];
}

export interface FeatureSettingsDoc {
  readonly atr_period?: number;
  readonly adx_period?: number;
  readonly ema_fast?: number;
  readonly ema_slow?: number;
  readonly ema_slope_bars?: number;
  readonly chop_period?: number;
  readonly realized_vol_window?: number;
  readonly atr_percentile_lookback?: number;
  readonly correlation_window?: number;
}

export interface RiskProfileDoc {
  readonly apiVersion: string;
  readonly kind: 'RiskProfile';
  readonly version: string;
  readonly name: string;
  readonly description: string;
  readonly limits: {
    readonly max_open_positions: number;
    readonly max_correlated_positions: number;
    readonly max_symbol_exposure_pct: number;
    readonly max_total_exposure_pct: number;
    readonly correlation_threshold: number;
    /** Default notional: exposure = notional / equity. */
    readonly exposure_basis?: 'notional' | 'margin';
    /** Default off: an entry that does not fit is refused. */
    readonly resize_to_fit?: { readonly enabled: boolean; readonly min_risk_fraction?: number };
  };
  readonly circuit_breakers: {
    readonly daily_dd_limit_pct: number;
    readonly losing_streak_threshold: number;
    /** Default 'rest_of_day'; a number is hours from the trip. */
    readonly daily_dd_latch?: 'rest_of_day' | number;
  };
  readonly sizing: {
    readonly atr_stop_multiplier: number;
    readonly leverage: number;
    readonly stance_risk_factors: Partial<Record<RiskStance, number>>;
  };
  readonly stance: { readonly favourable: RiskStance; readonly favourable_risk_pct: number };
  readonly symbol_judgement: {
    readonly min_trades: number;
    readonly max_spread_pct: number;
    readonly max_slippage_pct: number;
    /** Default: every trade since the start. */
    readonly window?: { readonly trades: number } | { readonly days: number };
  };
  readonly static_policy: {
    readonly allow_new_trades: boolean;
    readonly min_confidence: number;
    readonly max_risk_pct: number;
    readonly exit_mode: ExitMode;
    readonly risk_profile: RiskStance;
  };
}

export interface ExitModesDoc {
  readonly apiVersion: string;
  readonly kind: 'ExitModes';
  readonly version: string;
  readonly description?: string;
  readonly modes: Readonly<Record<ExitMode, ExitParams & { readonly description?: string }>>;
}

export interface RuleSetDoc {
  readonly apiVersion: string;
  readonly kind: 'RuleSet';
  readonly version: string;
  readonly description?: string;
  readonly default_profile: string;
  readonly market?: {
    readonly reference_symbol?: string;
    readonly volatility_aggregate?: 'reference' | 'max';
    readonly classification_hold_bars?: number;
    readonly trading_day_start_hour_utc?: number;
    readonly features?: FeatureSettingsDoc;
    /** Checks of candle CSV files (schemas/rule-set.schema.json, market.data_checks). */
    readonly data_checks?: {
      readonly gap_warning_bars?: number;
      readonly spike_multiple?: number;
      readonly spikes?: 'report' | 'drop';
      readonly max_rejected_share?: number;
    };
  };
  readonly fallback: {
    readonly allow_new_trades: boolean;
    readonly min_confidence: number;
    readonly max_risk_pct: number;
    readonly allowed_symbols: readonly string[];
    readonly disallowed_symbols: readonly string[];
    readonly exit_mode: ExitMode;
    readonly note: string;
  };
}

export interface ActiveProfileDoc {
  readonly apiVersion: string;
  readonly kind: 'ActiveProfile';
  readonly version: string;
  readonly profile: string;
  readonly reason?: string;
}

export interface OrchestratorConfigDoc {
  readonly apiVersion: string;
  readonly kind: 'OrchestratorConfig';
  readonly version: string;
  readonly description?: string;
  readonly enable_orchestrator: boolean;
  readonly mode: 'LIVE' | 'OBSERVE';
  readonly use_for_signal_filter: boolean;
  readonly use_for_confidence_threshold: boolean;
  readonly use_for_risk_sizing: boolean;
  readonly use_for_exit_mode: boolean;
  readonly use_for_trading_gate: boolean;
  readonly use_for_position_limits: boolean;
  readonly log_all_signals: boolean;
}

export interface ReferenceStrategyDoc {
  readonly apiVersion: string;
  readonly kind: 'ReferenceStrategy';
  readonly version: string;
  readonly description?: string;
  readonly name: string;
  readonly indicators: { readonly ema_fast: number; readonly ema_slow: number; readonly adx_period: number };
  readonly confidence: {
    readonly base: number;
    readonly trend_strength: { readonly weight: number; readonly from: number; readonly to: number };
    readonly slope: { readonly weight: number; readonly to: number };
    readonly volatility_penalty: { readonly weight: number; readonly from: number; readonly to: number };
    readonly min: number;
    readonly max: number;
  };
  readonly cooldown_bars: number;
  readonly exit_on_slow_ema_cross: boolean;
}

export interface MarketRulesDoc {
  readonly step_size?: number;
  readonly tick_size?: number;
  readonly min_quantity?: number;
  readonly min_notional?: number;
}

export interface BacktestConfigDoc {
  readonly apiVersion: string;
  readonly kind: 'BacktestConfig';
  readonly version: string;
  readonly description?: string;
  readonly initial_balance: number;
  readonly taker_fee_rate: number;
  readonly slippage_pct: number;
  readonly spread_pct?: { readonly default?: number; readonly symbols?: Readonly<Record<string, number>> };
  readonly funding?: { readonly rate_per_8h?: number; readonly symbols?: Readonly<Record<string, number>> };
  readonly market_rules: { readonly default: Required<MarketRulesDoc>; readonly symbols?: Readonly<Record<string, MarketRulesDoc>> };
}

/** rules/execution.yaml: signal freshness, start-up reconciliation, exchange call timing. */
export interface ExecutionConfigDoc {
  readonly apiVersion: string;
  readonly kind: 'ExecutionConfig';
  readonly version: string;
  readonly description?: string;
  readonly signals: { readonly max_age_bars: number };
  readonly reconciliation: { readonly adopt_unknown_positions: boolean };
  readonly exchange: {
    readonly timeout_ms: number;
    readonly recv_window_ms: number;
    readonly retry: { readonly attempts: number; readonly base_delay_ms: number; readonly max_delay_ms: number };
    readonly circuit_failures: number;
    readonly startup_retry: { readonly base_delay_ms: number; readonly max_delay_ms: number };
  };
  /** Webhooks `run` alerts (src/monitor reads them). */
  readonly alerts?: AlertsDoc;
}

export type AlertEventKind = 'gate' | 'fill' | 'repair' | 'fallback' | 'exchange' | 'control' | 'daemon';

export interface AlertsDoc {
  readonly webhooks: readonly {
    readonly name?: string;
    readonly url: string;
    readonly format?: 'json' | 'telegram';
    readonly chat_id?: string | number;
    readonly events?: readonly AlertEventKind[];
  }[];
  readonly max_per_minute?: number;
  readonly timeout_ms?: number;
  readonly retry?: { readonly attempts?: number; readonly base_delay_ms?: number; readonly max_delay_ms?: number };
}

export interface DocumentKinds {
  PolicyRules: PolicyRulesDoc;
  ClassificationRules: ClassificationRulesDoc;
  RiskProfile: RiskProfileDoc;
  ExitModes: ExitModesDoc;
  RuleSet: RuleSetDoc;
  ActiveProfile: ActiveProfileDoc;
  OrchestratorConfig: OrchestratorConfigDoc;
  ReferenceStrategy: ReferenceStrategyDoc;
  BacktestConfig: BacktestConfigDoc;
  ExecutionConfig: ExecutionConfigDoc;
  BreakoutStrategy: BreakoutStrategyDoc;
  MeanReversionStrategy: MeanReversionStrategyDoc;
  RandomEntries: RandomEntriesDoc;
}

export type DocumentKind = keyof DocumentKinds;

/** A schema-valid document with the source it came from (for line numbers). */
export interface PolicyDocument<K extends DocumentKind = DocumentKind> {
  readonly kind: K;
  readonly source: YamlSource;
  readonly data: DocumentKinds[K];
}

export type RuleDocument = PolicyDocument<'PolicyRules'> | PolicyDocument<'ClassificationRules'>;

/** A rule with where it was written. */
export interface LocatedRule {
  readonly spec: RuleSpec;
  readonly scope: Scope;
  readonly document: RuleDocument;
  /** Index in the document's `rules` list. */
  readonly index: number;
}

/** A complete, validated rule set: what the engine compiles and hot reload swaps as one unit. */
export interface RuleSet {
  readonly manifest: RuleSetDoc;
  readonly exitModes: ExitModesDoc;
  /** Policy and classification rules alike; `scope` tells them apart. */
  readonly rules: readonly LocatedRule[];
  /** Which executor controls obey the policy (rules/orchestrator.yaml). */
  readonly orchestrator: OrchestratorConfigDoc;
  /** The reference strategy's parameters (rules/strategy.yaml). */
  readonly strategy: ReferenceStrategyDoc;
  /** The other signal sources a backtest or study can choose by name (rules/strategies/*.yaml), by file. */
  readonly signalSources: readonly StrategyDoc[];
  /** The simulated account and venue of backtests and paper trading (rules/backtest.yaml). */
  readonly backtest: BacktestConfigDoc;
  /** Signal freshness, start-up reconciliation and exchange timing (rules/execution.yaml). */
  readonly execution: ExecutionConfigDoc;
  /** The classification files, one per classified quantity. */
  readonly classification: Readonly<Record<Classified, ClassificationRulesDoc>>;
  /** Keyed by upper-case profile name. */
  readonly profiles: ReadonlyMap<string, RiskProfileDoc>;
  /** The profile in force when none is asked for: profiles/active.yaml, else the manifest's default_profile. */
  readonly activeProfile: string;
  /** `<manifest version>+<12 hex of the content hash>` */
  readonly version: string;
  /** SHA-256 of every file's path and content, hex. */
  readonly contentHash: string;
  /** `file@version` of every file, for logs. */
  readonly files: readonly { readonly file: string; readonly kind: DocumentKind; readonly version: string }[];
}

export function isPolicyEvent(event: RuleSpec['event']): event is PolicyEvent {
  return event.type === 'policy';
}

export function isClassifyEvent(event: RuleSpec['event']): event is ClassifyEvent {
  return event.type === 'classify';
}

export function isFactReference(value: unknown): value is FactReference {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as FactReference).fact === 'string';
}
