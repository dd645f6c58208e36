// Prints everything a reader of a run's store sees, as JSON: for comparing two backtests' stores.
import { TradingStore } from '../../src/store/index.js';

const store = TradingStore.open(process.argv[2]!, { readOnly: true });
const keys = ['venue', 'symbol-blocks', 'cursor', 'orders.client_prefix', 'orders.sequence'];
console.log(JSON.stringify({
  orders: store.orders(), trades: store.trades(), positions: store.openPositions(), equity: store.equityCurve(), decisions: store.decisions(),
  cycles: store.cycles(), risk: store.loadRiskState(), state: Object.fromEntries(keys.map((key) => [key, store.loadState(key)])),
}, null, 1));
store.close();
