export { parseMarketState } from './market-state.js';
export type { MarketState, RiskState, StateOrigin, SymbolStats } from './market-state.js';
