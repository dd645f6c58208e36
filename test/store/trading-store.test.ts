import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClosedTrade, Order, Position } from '../../src/broker/model.js';
import { RiskTracker } from '../../src/state/risk/index.js';
import { StoreError, TradingStore, type DecisionRecord } from '../../src/store/index.js';

const T = Date.parse('2024-03-01T00:00:00Z');
const H = 3_600_000;

const order = (over: Partial<Order> = {}): Order => ({
  client_id: 'BTCUSDT-1-e', symbol: 'BTCUSDT', side: 'buy', type: 'market', purpose: 'entry', quantity: 0.5, reduce_only: false,
  position_id: 'BTCUSDT-1', status: 'new', created_at: T, updated_at: T, ...over,
});
const position = (over: Partial<Position> = {}): Position => ({
  id: 'BTCUSDT-1', symbol: 'BTCUSDT', side: 'long', quantity: 0.5, initial_quantity: 0.5, entry_price: 42_000.1, opened_at: T, risk_per_unit: 800,
  stop_price: 41_200, take_profit_price: 45_000, best_price: 42_000.1, exit_mode: 'TREND_FOLLOW', trail_pct: 0.02, partial_tp_fraction: 0.5,
  partial_tp_price: 43_600, partial_taken: false, realized_pnl: 0, fees: 8.4, entry_notional: 21_000.05, ...over,
});
const trade = (over: Partial<ClosedTrade> = {}): ClosedTrade => ({
  position_id: 'BTCUSDT-1', symbol: 'BTCUSDT', side: 'long', quantity: 0.5, entry_price: 42_000.1, exit_price: 41_200, opened_at: T, closed_at: T + H,
  pnl: -416.85, fees: 16.8, r_multiple: -1.0421, exit_reason: 'stop-loss', exit_mode: 'TREND_FOLLOW', ...over,
});
const decision = (over: Partial<DecisionRecord> = {}): DecisionRecord => ({
  id: `${T}:BTCUSDT:opened:0`, time: T, symbol: 'BTCUSDT', action: 'opened', reason: 'OPENED', mode: 'LIVE', ...over,
});

describe('the trading store', () => {
  const dirs: string[] = [];
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'qt-store-'));
    dirs.push(dir);
    return join(dir, 'nested', 'folder', 'trader.sqlite');
  };
  const memory = () => TradingStore.open(':memory:');
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  describe('gives back exactly what was written, across a reopen', () => {
    it('orders, with every optional field present or absent (absent, never null)', () => {
      const path = file();
      const store = TradingStore.open(path);
      const bare = order();
      const full = order({
        client_id: 'BTCUSDT-1-s0', type: 'stop-market', purpose: 'stop-loss', side: 'sell', trigger_price: 41_200, reduce_only: true,
        status: 'filled', updated_at: T + H, fill_price: 41_195.5, filled_quantity: 0.5, fee: 8.2391, reason: 'stop hit',
      });
      store.saveOrder(bare);
      store.saveOrder(full);
      store.close();

      const again = TradingStore.open(path);
      expect(again.order(bare.client_id)).toStrictEqual(bare);
      expect(again.order(full.client_id)).toStrictEqual(full);
      expect(again.order('unknown')).toBeUndefined();
      again.close();
    });

    it('orders filtered by symbol, position and status, oldest first; open orders are those still new', () => {
      const store = memory();
      const eth = order({ client_id: 'ETHUSDT-2-e', symbol: 'ETHUSDT', position_id: 'ETHUSDT-2', created_at: T + 2 * H, updated_at: T + 2 * H });
      const stop = order({ client_id: 'BTCUSDT-1-s0', purpose: 'stop-loss', type: 'stop-market', created_at: T + H, updated_at: T + H });
      const entry = order({ status: 'filled' });
      for (const o of [eth, stop, entry]) store.saveOrder(o);
      expect(store.orders()).toEqual([entry, stop, eth]);
      expect(store.orders({ symbol: 'BTCUSDT' })).toEqual([entry, stop]);
      expect(store.orders({ position_id: 'ETHUSDT-2' })).toEqual([eth]);
      expect(store.orders({ symbol: 'BTCUSDT', status: 'new' })).toEqual([stop]);
      expect(store.openOrders()).toEqual([stop, eth]);
    });

    it('positions, booleans included, in the order they were opened', () => {
      const path = file();
      const store = TradingStore.open(path);
      const later = position({ id: 'ADAUSDT-2', symbol: 'ADAUSDT', side: 'short', opened_at: T + H, partial_taken: true, exit_mode: 'FAST_TP' });
      store.savePosition(later);
      store.savePosition(position());
      store.close();

      const again = TradingStore.open(path);
      expect(again.openPositions()).toStrictEqual([position(), later]);
      expect(again.position('ADAUSDT-2')).toStrictEqual(later);
      expect(again.position('unknown')).toBeUndefined();
      again.close();
    });

    it('a moved stop replaces the position, it does not add one', () => {
      const store = memory();
      store.savePosition(position());
      store.savePosition(position({ stop_price: 42_100, best_price: 43_900, exit_mode: 'DEFENSIVE_TRAIL', partial_taken: true }));
      expect(store.openPositions()).toEqual([position({ stop_price: 42_100, best_price: 43_900, exit_mode: 'DEFENSIVE_TRAIL', partial_taken: true })]);
    });

    it('closed trades, by close time then position id', () => {
      const store = memory();
      const b = trade({ position_id: 'B', closed_at: T + 2 * H });
      const a2 = trade({ position_id: 'A2', closed_at: T + H, pnl: 120, r_multiple: 0.3, exit_reason: 'take-profit' });
      const a1 = trade({ position_id: 'A1', closed_at: T + H });
      for (const t of [b, a2, a1]) store.closePosition(t);
      expect(store.trades()).toStrictEqual([a1, a2, b]);
    });

    it('the equity curve, within an inclusive time range, and its last point', () => {
      const store = memory();
      for (let i = 0; i < 4; i++) store.recordEquity({ time: T + i * H, equity: 10_000 + i * 0.1, balance: 10_000 });
      expect(store.equityCurve()).toHaveLength(4);
      expect(store.equityCurve({ from: T + H, to: T + 2 * H })).toEqual([
        { time: T + H, equity: 10_000.1, balance: 10_000 },
        { time: T + 2 * H, equity: 10_000.2, balance: 10_000 },
      ]);
      expect(store.lastEquity()).toEqual({ time: T + 3 * H, equity: 10_000 + 3 * 0.1, balance: 10_000 });
      expect(memory().lastEquity()).toBeUndefined();
    });

    it('decisions with their JSON detail, optional fields absent when not given, filtered by time and symbol', () => {
      const path = file();
      const store = TradingStore.open(path);
      const opened = decision({ policy_version: '1.0.0+abc', detail: { risk_pct: 0.01, signal: { confidence: 0.71 }, tags: ['a'], note: null } });
      const blocked = decision({ id: `${T + H}:ETHUSDT:blocked:0`, time: T + H, symbol: 'ETHUSDT', action: 'blocked', reason: 'BLOCKED_BY_CONFIDENCE', mode: 'OBSERVE' });
      const nullDetail = decision({ id: 'null-detail', time: T + 2 * H, action: 'skipped', reason: 'NO_SIGNAL', mode: 'OFF', detail: null });
      for (const d of [opened, blocked, nullDetail]) store.recordDecision(d);
      store.close();

      const again = TradingStore.open(path);
      expect(again.decisions()).toStrictEqual([opened, blocked, nullDetail]);
      expect(again.decisions({ symbol: 'ETHUSDT' })).toEqual([blocked]);
      expect(again.decisions({ from: T + H })).toEqual([blocked, nullDetail]);
      expect(again.decisions({ to: T + H, symbol: 'BTCUSDT' })).toEqual([opened]);
      expect(again.decisionCount()).toBe(3);
      again.close();
    });

    it('decisions of one instant in the order they were recorded, whatever their ids', () => {
      const store = memory();
      const ids = ['t:X:a:2', 't:X:a:10', 't:X:a:1'];
      for (const id of ids) store.recordDecision(decision({ id }));
      expect(store.decisions().map((d) => d.id)).toEqual(ids);
    });

    it('opaque component state as JSON, per key; saving undefined removes it', () => {
      const store = memory();
      const venue = { balance: 9_876.5, resting: [{ id: 'x', price: 1.25 }], halted: false, note: null };
      store.saveState('venue', venue);
      store.saveState('cursor', { time: T });
      store.saveState('cursor', { time: T + H });
      expect(store.loadState('venue')).toStrictEqual(venue);
      expect(store.loadState<{ time: number }>('cursor')).toEqual({ time: T + H });
      expect(store.loadState('missing')).toBeUndefined();
      store.saveState('cursor', undefined);
      expect(store.loadState('cursor')).toBeUndefined();
    });

    it('the risk tracker checkpoint, which restores the same tracker', () => {
      const path = file();
      const store = TradingStore.open(path);
      const tracker = new RiskTracker();
      tracker.apply({ type: 'equity', time: T, equity: 10_000 });
      tracker.apply({ type: 'trade-closed', time: T + 1, symbol: 'BTCUSDT', pnl: -50, r_multiple: -1 });
      tracker.apply({ type: 'equity', time: T + 2, equity: 9_950 });
      store.saveRiskState(tracker.toJSON());
      store.close();

      const again = TradingStore.open(path);
      expect(again.loadRiskState()).toStrictEqual(tracker.toJSON());
      expect(RiskTracker.restore(again.loadRiskState()).snapshot().risk).toEqual(tracker.snapshot().risk);
      expect(memory().loadRiskState()).toBeUndefined();
      again.close();
    });
  });

  it('keeps the day start, its equity baseline and the losing streak in columns an operator can query with sqlite3', () => {
    const path = file();
    const store = TradingStore.open(path);
    const tracker = new RiskTracker();
    tracker.apply({ type: 'equity', time: T + H, equity: 10_000 });
    tracker.apply({ type: 'trade-closed', time: T + 2 * H, symbol: 'BTCUSDT', pnl: -50, r_multiple: -1 });
    tracker.apply({ type: 'trade-closed', time: T + 3 * H, symbol: 'ETHUSDT', pnl: -20, r_multiple: -0.4 });
    store.saveRiskState(tracker.toJSON());
    store.saveRiskState(tracker.toJSON());
    store.close();

    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT day_start, day_start_equity, losing_streak FROM risk_state').all()).toEqual([
      { day_start: T, day_start_equity: 10_000, losing_streak: 2 },
    ]);
    db.close();
  });

  describe('never duplicates: a replayed write is the same row', () => {
    it('the same order saved again (a status update or a replay) is one row with the latest content', () => {
      const store = memory();
      store.saveOrder(order());
      store.saveOrder(order({ status: 'filled', updated_at: T + 1, fill_price: 42_001, filled_quantity: 0.5, fee: 8.4 }));
      store.saveOrder(order({ status: 'filled', updated_at: T + 1, fill_price: 42_001, filled_quantity: 0.5, fee: 8.4 }));
      expect(store.orders()).toEqual([order({ status: 'filled', updated_at: T + 1, fill_price: 42_001, filled_quantity: 0.5, fee: 8.4 })]);
      expect(store.openOrders()).toEqual([]);
    });

    it('an optional field that is gone in the new version of an order is gone from the row', () => {
      const store = memory();
      store.saveOrder(order({ reason: 'first attempt', trigger_price: 1 }));
      store.saveOrder(order());
      expect(store.order(order().client_id)).toStrictEqual(order());
    });

    it('a position closed twice is one trade: the second close returns false and the first record stands', () => {
      const store = memory();
      store.savePosition(position());
      expect(store.closePosition(trade())).toBe(true);
      expect(store.closePosition(trade({ exit_price: 1, pnl: 999 }))).toBe(false);
      expect(store.trades()).toEqual([trade()]);
      expect(store.openPositions()).toEqual([]);
    });

    it('a closed position saved again (a replayed cycle) is not reopened', () => {
      const store = memory();
      store.savePosition(position());
      store.closePosition(trade());
      expect(store.savePosition(position())).toBe(false);
      expect(store.openPositions()).toEqual([]);
      expect(store.position(position().id)).toBeUndefined();
    });

    it('the same decision id recorded twice is one decision with the latest content', () => {
      const store = memory();
      store.recordDecision(decision({ detail: { attempt: 1 } }));
      store.recordDecision(decision({ reason: 'OPENED_AFTER_RETRY', detail: { attempt: 2 } }));
      expect(store.decisionCount()).toBe(1);
      expect(store.decisions()).toEqual([decision({ reason: 'OPENED_AFTER_RETRY', detail: { attempt: 2 } })]);
    });

    it('a second equity point at the same time replaces the first', () => {
      const store = memory();
      store.recordEquity({ time: T, equity: 1, balance: 1 });
      store.recordEquity({ time: T, equity: 2, balance: 2 });
      expect(store.equityCurve()).toEqual([{ time: T, equity: 2, balance: 2 }]);
    });
  });

  describe('transactions', () => {
    it('commit all of their writes, or none when the function throws (its own error comes out unchanged)', () => {
      const store = memory();
      const crash = new Error('crash in the middle of a cycle');
      expect(() =>
        store.transaction(() => {
          store.savePosition(position());
          store.saveOrder(order());
          store.recordDecision(decision());
          throw crash;
        }),
      ).toThrow(crash);
      expect(store.openPositions()).toEqual([]);
      expect(store.orders()).toEqual([]);
      expect(store.decisionCount()).toBe(0);

      expect(store.transaction(() => (store.saveOrder(order()), 'result'))).toBe('result');
      expect(store.orders()).toEqual([order()]);
    });

    it('nested in another join it: nothing commits until the outer one does, and its failure undoes the inner writes', () => {
      const store = memory();
      expect(() =>
        store.transaction(() => {
          store.transaction(() => store.saveOrder(order()));
          store.savePosition(position());
          expect(store.closePosition(trade())).toBe(true);
          throw new Error('outer step failed');
        }),
      ).toThrow('outer step failed');
      expect(store.orders()).toEqual([]);
      expect(store.trades()).toEqual([]);
      expect(store.openPositions()).toEqual([]);
    });

    it('closing a position records the trade and removes the position together, or neither', () => {
      const store = memory();
      store.savePosition(position());
      // A trade that breaks a NOT NULL column fails after nothing else of the close has been written.
      expect(() => store.closePosition({ ...trade(), exit_reason: null } as unknown as ClosedTrade)).toThrow(StoreError);
      expect(store.openPositions()).toEqual([position()]);
      expect(store.trades()).toEqual([]);

      expect(() =>
        store.transaction(() => {
          store.closePosition(trade());
          throw new Error('crash right after the close');
        }),
      ).toThrow('crash right after the close');
      expect(store.openPositions()).toEqual([position()]);
      expect(store.trades()).toEqual([]);
    });
  });

  describe('errors name the store file and the operation', () => {
    it('a failed write', () => {
      const store = memory();
      const bad = { ...order(), client_id: 'abc', symbol: null } as unknown as Order;
      let error: unknown;
      try {
        store.saveOrder(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).toBe('store :memory:: saving order abc: NOT NULL constraint failed: orders.symbol');
      expect((error as StoreError).code).toBe('SQLITE_CONSTRAINT_NOTNULL');
    });

    it('a store used after it was closed', () => {
      const path = file();
      const store = TradingStore.open(path);
      store.close();
      expect(() => store.openPositions()).toThrow(`store ${path}: reading open positions: The database connection is not open`);
    });
  });
});
