/**
 * The indicators of one symbol at one candle close: the fact `features` that the volatility and regime
 * classification rules read (documented field by field in schemas/market-features.schema.json, which
 * allows no other fields). Ratios are fractions, not percents, except the 0-100 oscillators (ADX, DI, CHOP).
 * A field is null while its indicator warms up; every number is finite.
 */
export interface MarketFeatures {
  readonly symbol: string;
  /** Close time of the candle, epoch ms UTC: the instant these values became known. */
  readonly time: number;
  readonly close: number;
  /** True once every field below is a number. */
  readonly ready: boolean;
  /** Candles seen for the symbol, this one included. */
  readonly bars: number;
  /** Average True Range over atr_period (Wilder), in price units. */
  readonly atr: number | null;
  /** atr / close. */
  readonly atr_pct: number | null;
  /** Rank of atr_pct among its last atr_percentile_lookback values, 0..1 (see percentileRank). */
  readonly atr_pct_percentile: number | null;
  /**
   * atr_pct divided by the median atr_pct of the same lookback: how many times the usual volatility the
   * market moves now. Unlike the percentile it keeps growing in a spike instead of saturating at 1.
   */
  readonly atr_pct_ratio: number | null;
  readonly adx: number | null;
  readonly plus_di: number | null;
  readonly minus_di: number | null;
  readonly ema_fast: number | null;
  readonly ema_slow: number | null;
  /** (ema_slow now / ema_slow ema_slope_bars ago - 1) / ema_slope_bars: fractional change per bar. */
  readonly ema_slope_pct: number | null;
  /** Choppiness Index over chop_period, 0..100. */
  readonly choppiness: number | null;
  /** Population standard deviation of the last realized_vol_window one-bar log returns, per bar. */
  readonly realized_vol: number | null;
  /** ln(close / previous close). */
  readonly return_1: number | null;
}

/** The indicator fields, i.e. those that are null while warming up. */
export const INDICATOR_FIELDS = [
  'atr', 'atr_pct', 'atr_pct_percentile', 'atr_pct_ratio', 'adx', 'plus_di', 'minus_di', 'ema_fast', 'ema_slow',
  'ema_slope_pct', 'choppiness', 'realized_vol', 'return_1',
] as const satisfies readonly (keyof MarketFeatures)[];

export type IndicatorField = (typeof INDICATOR_FIELDS)[number];
