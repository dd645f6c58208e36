export type { BreakoutStrategyDoc, MeanReversionStrategyDoc, RandomEntriesDoc, StrategyDoc } from '../policy/signal-source-docs.js';

/** Linear 0 → 1 between `from` and `to`, clamped. */
export function ramp(x: number, from: number, to: number): number {
  if (!(to > from)) return x >= to ? 1 : 0;
  return Math.min(1, Math.max(0, (x - from) / (to - from)));
}

/** Clamped to [min, max] and rounded to a thousandth, as the reference strategy does. */
export function clampConfidence(raw: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, raw)) * 1000) / 1000;
}
