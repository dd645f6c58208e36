/**
 * The signal sources of rules/strategies/*.yaml, as the rule set holds them: schema-valid, with every
 * default of their schema filled in (documents.ts), so the strategies read no field twice.
 */

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

export type SignalSourceKind = StrategyDoc['kind'];

export const SIGNAL_SOURCE_KINDS: readonly string[] = ['BreakoutStrategy', 'MeanReversionStrategy', 'RandomEntries'] satisfies SignalSourceKind[];
