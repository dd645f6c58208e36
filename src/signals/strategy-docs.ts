/** The signal sources of strategies/*.yaml, as read (every default filled in from the schema). */

interface Header {
  readonly apiVersion: string;
  readonly version: string;
  readonly description: string;
  readonly name: string;
}

/** schemas/breakout-strategy.schema.json */
export interface BreakoutStrategyDoc extends Header {
  readonly kind: 'BreakoutStrategy';
  readonly channel_bars: number;
  readonly exit_bars: number;
  readonly atr_period: number;
  readonly confidence: { readonly base: number; readonly strength: { readonly weight: number; readonly to_atr: number }; readonly min: number; readonly max: number };
  readonly cooldown_bars: number;
}

/** schemas/mean-reversion-strategy.schema.json */
export interface MeanReversionStrategyDoc extends Header {
  readonly kind: 'MeanReversionStrategy';
  readonly bands: { readonly bars: number; readonly deviations: number };
  readonly exit_deviations: number;
  readonly confidence: { readonly base: number; readonly stretch: { readonly weight: number; readonly to_deviations: number }; readonly min: number; readonly max: number };
  readonly cooldown_bars: number;
}

/** schemas/random-entries.schema.json */
export interface RandomEntriesDoc extends Header {
  readonly kind: 'RandomEntries';
  readonly like: string;
  readonly seed: number;
}

export type StrategyDoc = BreakoutStrategyDoc | MeanReversionStrategyDoc | RandomEntriesDoc;

export const STRATEGY_SCHEMAS = {
  BreakoutStrategy: 'breakout-strategy',
  MeanReversionStrategy: 'mean-reversion-strategy',
  RandomEntries: 'random-entries',
} as const;

/** Linear 0 → 1 between `from` and `to`, clamped. */
export function ramp(x: number, from: number, to: number): number {
  if (!(to > from)) return x >= to ? 1 : 0;
  return Math.min(1, Math.max(0, (x - from) / (to - from)));
}

/** Clamped to [min, max] and rounded to a thousandth, as the reference strategy does. */
export function clampConfidence(raw: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, raw)) * 1000) / 1000;
}
