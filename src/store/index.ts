export { TradingStore } from './trading-store.js';
export { MIGRATIONS } from './migrations.js';
