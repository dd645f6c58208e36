import type { FeatureSettings } from '../market/features/index.js';
import type { SymbolClassifier } from './classification.js';

/** The rule set's `market` section as far as the state reads it (schemas/rule-set.schema.json, market). */
export interface MarketSettings {
  readonly reference_symbol?: string;
  readonly volatility_aggregate?: 'reference' | 'max';
  readonly classification_hold_bars?: number;
  readonly trading_day_start_hour_utc?: number;
  readonly features?: Readonly<Partial<FeatureSettings>>;
}

/**
 * What the state takes from the rule set in force: its market settings, a classifier running its
 * classification rules, and the profile's performance window. policy/classification/ derives it from a
 * RuleSet, so the state knows nothing of rules.
 */
export interface StateSettings {
  readonly market: MarketSettings;
  readonly classifier: SymbolClassifier;
  /** How much history a symbol is judged on (the traded profile's symbol_judgement.window); default: every trade. */
  readonly symbolWindow?: { readonly trades: number } | { readonly days: number };
}
