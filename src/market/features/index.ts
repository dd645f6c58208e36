/** Streaming market features per symbol (the fact `features` of the classification rules) and rolling correlation between symbols. */
export { DEFAULT_FEATURE_SETTINGS, resolveFeatureSettings } from './settings.js';
export type { FeatureSettings } from './settings.js';
export { INDICATOR_FIELDS } from './market-features.js';
export type { IndicatorField, MarketFeatures } from './market-features.js';
export { SymbolFeatures, MIN_PERCENTILE_SAMPLES, type OmittableFeature } from './symbol-features.js';
export type { FeatureBufferSizes } from './symbol-features.js';
export { CorrelationTracker } from './correlation-tracker.js';
export { DirectionalMovementIndex } from './directional-movement.js';
export type { DirectionalMovement } from './directional-movement.js';
export { percentileRank, percentileRankInWindow } from './percentile-rank.js';
export { pearson } from './pearson.js';
export { RingBuffer } from './ring-buffer.js';
export { SortedWindow } from './sorted-window.js';
