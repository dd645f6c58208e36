export { TradingStore } from './trading-store.js';
export { MemoryJournal } from './memory-journal.js';
export type { DecisionFilter, OrderFilter, TimeRange } from './trading-store.js';
export { StoreError } from './store-error.js';
export type { ControlAction, ControlActionKind, ControlRequest, ControlStatus } from './control-log.js';
export { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export type { Migration } from './migrations.js';
// The records the store keeps are the executor's journal types; re-exported so store users need one import.
export type { CycleRecord, DecisionRecord, EquityPoint } from '../execution/journal.js';
