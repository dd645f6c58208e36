/**
 * Periods and windows of the market features, in bars. Deliberately no trading thresholds: those live in
 * the YAML classification rules, which read the numbers computed with these settings. Field names match
 * `market.features` in rules/ruleset.yaml (schemas/rule-set.schema.json).
 */
export interface FeatureSettings {
  readonly atr_period: number;
  readonly adx_period: number;
  readonly ema_fast: number;
  readonly ema_slow: number;
  /** Bars over which the slow EMA's change is measured for ema_slope_pct. */
  readonly ema_slope_bars: number;
  readonly chop_period: number;
  /** One-bar log returns in the realised volatility. */
  readonly realized_vol_window: number;
  /** atr_pct values that atr_pct_percentile ranks the current one against. */
  readonly atr_percentile_lookback: number;
  /** Aligned one-bar returns in the rolling correlation between two symbols. */
  readonly correlation_window: number;
}

export const DEFAULT_FEATURE_SETTINGS: Readonly<FeatureSettings> = Object.freeze({
  atr_period: 14,
  adx_period: 14,
  ema_fast: 20,
  ema_slow: 50,
  ema_slope_bars: 10,
  chop_period: 14,
  realized_vol_window: 24,
  atr_percentile_lookback: 200,
  correlation_window: 48,
});

// Windows whose statistic is degenerate over a single bar: the Choppiness Index divides by log10(period)
// (trading-signals' CHOP rejects 1), a standard deviation or a correlation of one value carries no information.
const MINIMUM: Readonly<Partial<Record<keyof FeatureSettings, number>>> = {
  chop_period: 2,
  realized_vol_window: 2,
  correlation_window: 2,
};

const FIELDS = Object.keys(DEFAULT_FEATURE_SETTINGS) as (keyof FeatureSettings)[];

/**
 * Merges a partial settings object (e.g. the `market.features` block of the rule set, which may come from
 * hand-edited YAML) over the defaults. Fails on the first bad field with an Error naming it, because a
 * silently defaulted typo would change every classification without anyone noticing.
 */
export function resolveFeatureSettings(partial: Readonly<Partial<FeatureSettings>> | undefined = {}): FeatureSettings {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new Error(`feature settings must be an object, got ${describe(partial)}`);
  }
  for (const key of Object.keys(partial)) {
    if (!(FIELDS as string[]).includes(key)) {
      throw new Error(`feature settings: unknown field "${key}" (known: ${FIELDS.join(', ')})`);
    }
  }
  const resolved: { -readonly [K in keyof FeatureSettings]: number } = { ...DEFAULT_FEATURE_SETTINGS };
  for (const field of FIELDS) {
    const value: unknown = partial[field];
    if (value === undefined) continue;
    const minimum = MINIMUM[field] ?? 1;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
      const wanted = minimum === 1 ? 'a positive integer' : `an integer of at least ${minimum}`;
      throw new Error(`feature settings: ${field} must be ${wanted}, got ${describe(value)}`);
    }
    resolved[field] = value;
  }
  return resolved;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
