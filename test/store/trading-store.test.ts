import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClosedTrade, Order, Position } from '../../src/broker/model.js';
import { RiskTracker } from '../../src/state/risk/index.js';
import { MIGRATIONS, TradingStore } from '../../src/store/index.js';

const T = Date.parse('2024-03-01T00:00:00Z');
const order = (over: Partial<Order> = {}): Order => ({
  client_id: 'BTCUSDT-1-e', symbol: 'BTCUSDT', side: 'buy', type: 'market', purpose: 'entry', quantity: 0.5, reduce_only: false,
  position_id: 'BTCUSDT-1', status: 'new', created_at: T, updated_at: T, ...over,
});
const position = (over: Partial<Position> = {}): Position => ({
  id: 'BTCUSDT-1', symbol: 'BTCUSDT', side: 'long', quantity: 0.5, initial_quantity: 0.5, entry_price: 42_000, opened_at: T, risk_per_unit: 800,
  stop_price: 41_200, take_profit_price: 45_000, best_price: 42_000, exit_mode: 'TREND_FOLLOW', trail_pct: 0.02, partial_tp_fraction: 0.5,
  partial_tp_price: 43_600, partial_taken: false, realized_pnl: 0, fees: 8.4, entry_notional: 21_000, ...over,
});
const trade = (over: Partial<ClosedTrade> = {}): ClosedTrade => ({
  position_id: 'BTCUSDT-1', symbol: 'BTCUSDT', side: 'long', quantity: 0.5, entry_price: 42_000, exit_price: 41_200, opened_at: T, closed_at: T + 3_600_000,
  pnl: -416.8, fees: 16.8, r_multiple: -1.04, exit_reason: 'stop-loss', exit_mode: 'TREND_FOLLOW', ...over,
});

describe('trading store', () => {
  const dirs: string[] = [];
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'qt-store-'));
    dirs.push(dir);
    return join(dir, 'nested', 'trader.sqlite');
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps orders, positions, trades, equity, decisions and state exactly as written, across a reopen', () => {
    const path = file();
    const store = TradingStore.open(path);
    const filled = order({ status: 'filled', fill_price: 42_010, filled_quantity: 0.5, fee: 8.4, reason: 'market order' });
    store.saveOrder(order());
    store.saveOrder(filled);
    store.savePosition(position());
    store.recordEquity({ time: T, equity: 10_000, balance: 10_000 });
    store.recordDecision({ id: 'd1', time: T, symbol: 'BTCUSDT', action: 'opened', reason: 'OPENED', mode: 'LIVE', policy_version: '1.0.0+abc', detail: { risk_pct: 0.01 } });
    store.recordDecision({ id: 'd2', time: T, symbol: 'ETHUSDT', action: 'blocked', reason: 'BLOCKED_BY_CONFIDENCE', mode: 'LIVE' });
    store.saveState('cursor', { time: T });
    store.close();

    const again = TradingStore.open(path);
    expect(again.order(filled.client_id)).toEqual(filled);
    expect(again.openOrders()).toEqual([]);
    expect(again.openPositions()).toEqual([position()]);
    expect(again.equityCurve()).toEqual([{ time: T, equity: 10_000, balance: 10_000 }]);
    expect(again.decisions()).toEqual([
      { id: 'd1', time: T, symbol: 'BTCUSDT', action: 'opened', reason: 'OPENED', mode: 'LIVE', policy_version: '1.0.0+abc', detail: { risk_pct: 0.01 } },
      { id: 'd2', time: T, symbol: 'ETHUSDT', action: 'blocked', reason: 'BLOCKED_BY_CONFIDENCE', mode: 'LIVE' },
    ]);
    expect(again.decisions({ symbol: 'ETHUSDT' })).toHaveLength(1);
    expect(again.loadState('cursor')).toEqual({ time: T });
    expect(again.loadState('missing')).toBeUndefined();
    again.close();
  });

  it('never duplicates: the same order, equity point, decision or trade written twice is one row', () => {
    const store = TradingStore.open(':memory:');
    store.saveOrder(order());
    store.saveOrder(order({ status: 'cancelled' }));
    store.recordEquity({ time: T, equity: 1, balance: 1 });
    store.recordEquity({ time: T, equity: 2, balance: 2 });
    store.recordDecision({ id: 'd', time: T, symbol: 'X', action: 'a', reason: 'r', mode: 'LIVE' });
    store.recordDecision({ id: 'd', time: T, symbol: 'X', action: 'a', reason: 'r', mode: 'LIVE' });
    store.savePosition(position());
    expect(store.closePosition(trade())).toBe(true);
    expect(store.closePosition(trade())).toBe(false);
    expect(store.orders()).toEqual([order({ status: 'cancelled' })]);
    expect(store.equityCurve()).toEqual([{ time: T, equity: 2, balance: 2 }]);
    expect(store.decisionCount()).toBe(1);
    expect(store.trades()).toEqual([trade()]);
    expect(store.openPositions()).toEqual([]);
  });

  it('commits a transaction as a whole or not at all', () => {
    const store = TradingStore.open(':memory:');
    expect(() =>
      store.transaction(() => {
        store.savePosition(position());
        store.saveOrder(order());
        throw new Error('crash in the middle of a cycle');
      }),
    ).toThrow('crash in the middle of a cycle');
    expect(store.openPositions()).toEqual([]);
    expect(store.orders()).toEqual([]);
  });

  it('keeps the risk checkpoint with the drawdown baseline and losing streak queryable', () => {
    const path = file();
    const store = TradingStore.open(path);
    const tracker = new RiskTracker();
    tracker.apply({ type: 'equity', time: T, equity: 10_000 });
    tracker.apply({ type: 'trade-closed', time: T + 1, symbol: 'BTCUSDT', pnl: -50, r_multiple: -1 });
    store.saveRiskState(tracker.toJSON());
    store.close();
    const row = new Database(path, { readonly: true }).prepare('SELECT day_start, day_start_equity, losing_streak FROM risk_state').get();
    expect(row).toEqual({ day_start: T, day_start_equity: 10_000, losing_streak: 1 });
    const restored = RiskTracker.restore(TradingStore.open(path).loadRiskState());
    expect(restored.snapshot().risk).toEqual(tracker.snapshot().risk);
  });

  it('runs in WAL mode and records its schema version', () => {
    const store = TradingStore.open(file());
    expect(store.journalMode).toBe('wal');
    expect(store.version).toBe(MIGRATIONS.length);
  });

  it('refuses a file written by a newer version, and a file that is not a database, naming the file', () => {
    const path = file();
    TradingStore.open(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => TradingStore.open(path)).toThrow(`store ${path}: written by a newer Quantum Trader (schema ${MIGRATIONS.length + 1}`);
    const text = join(dirs[0]!, 'notes.sqlite');
    writeFileSync(text, 'this is not a database, just text that someone saved with the wrong name\n'.repeat(20));
    expect(() => TradingStore.open(text)).toThrow(new RegExp(`^store ${text}: cannot open as a SQLite database`));
  });
});
