/**
 * The classes a market state is told in: the vocabulary the state assigns and the policy's rules decide
 * on. It lives here, at the start of the data flow, so that policy/ imports it and state/ imports nothing
 * of policy/. The enumerations mirror schemas/common.schema.json (a test keeps them in step).
 */
export const REGIMES = ['TRENDING_UP', 'TRENDING_DOWN', 'SIDEWAYS', 'CHOPPY'] as const;
export type Regime = (typeof REGIMES)[number];

/** Ordered from calm to chaotic: a classification tie is broken toward the later one. */
export const VOLATILITIES = ['LOW', 'NORMAL', 'HIGH', 'EXTREME'] as const;
export type Volatility = (typeof VOLATILITIES)[number];

/** What a classification rule decides. */
export type Classified = 'volatility' | 'regime';

/** One symbol's classes at one candle close, and the rule that decided each ('default' when none fired). */
export interface Classification {
  readonly regime: Regime;
  readonly volatility: Volatility;
  readonly decided_by: { readonly regime: string; readonly volatility: string };
}

/** Classifies one symbol from its indicators; the rule set's classification rules do it (policy/classification/). */
export interface SymbolClassifier {
  classify(features: Readonly<Record<string, unknown>>): Promise<Classification>;
}

/** The more severe of two volatility levels (for the `max` market aggregate). */
export function moreVolatile(a: Volatility, b: Volatility): Volatility {
  return VOLATILITIES.indexOf(a) >= VOLATILITIES.indexOf(b) ? a : b;
}
