export { parseMarketState } from './market-state.js';
export type { MarketState, RiskState, StateOrigin, SymbolStats } from './market-state.js';
export { MarketStateBuilder } from './market-state-builder.js';
export type { MarketStateBuilderOptions } from './market-state-builder.js';
export { marketInstants, isCandle, inputTime } from './market-state-stream.js';
export type { MarketInput, MarketInstant } from './market-state-stream.js';
export { MarketClassifier, referenceSymbol } from './market-view.js';
export type { MarketView, SymbolView } from './market-view.js';
