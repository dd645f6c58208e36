import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClosedTrade, Order, Position } from '../../src/broker/model.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, StoreError, TradingStore } from '../../src/store/index.js';

const T = Date.parse('2024-03-01T00:00:00Z');

describe('the store schema', () => {
  const dirs: string[] = [];
  const file = (name = 'trader.sqlite') => {
    const dir = mkdtempSync(join(tmpdir(), 'qt-schema-'));
    dirs.push(dir);
    return join(dir, name);
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  const pragma = (path: string, name: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db.pragma(name, { simple: true });
    } finally {
      db.close();
    }
  };

  it('is an ordered list of migrations numbered 1, 2, 3 … without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('a new store gets every migration, its version in user_version and the Quantum Trader application id', () => {
    const path = file();
    const store = TradingStore.open(path);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    store.close();
    expect(pragma(path, 'user_version')).toBe(SCHEMA_VERSION);
    expect(pragma(path, 'application_id')).toBe(APPLICATION_ID);
  });

  it('reopening an up-to-date store changes nothing', () => {
    const path = file();
    const store = TradingStore.open(path);
    store.saveState('k', 1);
    store.close();
    const schema = () => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
      } finally {
        db.close();
      }
    };
    const before = schema();
    const again = TradingStore.open(path);
    expect(again.loadState('k')).toBe(1);
    again.close();
    expect(schema()).toEqual(before);
    expect(pragma(path, 'user_version')).toBe(SCHEMA_VERSION);
  });

  it('runs in WAL mode, with foreign keys enforced', () => {
    const path = file();
    const store = TradingStore.open(path);
    expect(store.journalMode).toBe('wal');
    expect((store as unknown as { db: Database.Database }).db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
    expect(pragma(path, 'journal_mode')).toBe('wal');
  });

  it('a store written by a newer version is refused, naming the file and both versions, and left untouched', () => {
    const path = file();
    TradingStore.open(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    db.close();
    const bytes = readFileSync(path);
    expect(() => TradingStore.open(path)).toThrow(
      `store ${path}: written by a newer version of Quantum Trader (schema version ${SCHEMA_VERSION + 3}; this version reads up to ${SCHEMA_VERSION})`,
    );
    expect(readFileSync(path).equals(bytes), 'the file is unchanged').toBe(true);
  });

  it('a file that is not a SQLite database is refused, naming the file, and left untouched', () => {
    const path = file('notes.sqlite');
    const text = 'this is not a database, just text that someone saved with the wrong name\n'.repeat(20);
    writeFileSync(path, text);
    expect(() => TradingStore.open(path)).toThrow(new StoreError(path, 'not a SQLite database (is it the right file?)'));
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(readdirSync(dirname(path)), 'no -wal or -shm file beside it').toEqual([basename(path)]);
  });

  it("another application's SQLite database is refused rather than given our tables", () => {
    const path = file('other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    expect(() => TradingStore.open(path)).toThrow(`store ${path}: is a SQLite database with tables but no schema version, not a Quantum Trader store`);
    expect(pragma(path, 'journal_mode'), 'not even switched to WAL').toBe('delete');

    const tagged = file('tagged.db');
    const other = new Database(tagged);
    other.pragma('application_id = 42');
    other.close();
    expect(() => TradingStore.open(tagged)).toThrow(`store ${tagged}: is a SQLite database of another application (application_id 42)`);
  });

  it('a path that cannot be a file is refused, naming it', () => {
    const dir = file('');
    expect(() => TradingStore.open(dir)).toThrow(new RegExp(`^store ${dir}: opening: `));
  });

  describe('upgrading a version 1 store (JSON documents) to version 2 (one column per field)', () => {
    const order: Order = {
      client_id: 'BTCUSDT-1-s0', symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', purpose: 'stop-loss', quantity: 0.123456789, trigger_price: 41_200.1,
      reduce_only: true, position_id: 'BTCUSDT-1', status: 'new', created_at: T, updated_at: T + 1,
    };
    const filled: Order = {
      client_id: 'BTCUSDT-1-e', symbol: 'BTCUSDT', side: 'buy', type: 'market', purpose: 'entry', quantity: 0.5, reduce_only: false, position_id: 'BTCUSDT-1',
      status: 'filled', created_at: T, updated_at: T, fill_price: 0.1 + 0.2, filled_quantity: 0.5, fee: 1 / 3, reason: 'market order',
    };
    const position: Position = {
      id: 'BTCUSDT-1', symbol: 'BTCUSDT', side: 'long', quantity: 0.5, initial_quantity: 0.5, entry_price: 42_000.123456789, opened_at: T, risk_per_unit: 800,
      stop_price: 41_200.1, take_profit_price: 45_000, best_price: 42_500, exit_mode: 'DEFENSIVE_TRAIL', trail_pct: 0.02, partial_tp_fraction: 0.5,
      partial_tp_price: 43_600, partial_taken: true, realized_pnl: 12.5, fees: 1e-8, entry_notional: 21_000.0617,
    };
    const trade: ClosedTrade = {
      position_id: 'ETHUSDT-0', symbol: 'ETHUSDT', side: 'short', quantity: 2, entry_price: 2_500, exit_price: 2_450.5, opened_at: T - 7_200_000, closed_at: T - 1,
      pnl: 97.3, fees: 1.7, r_multiple: 1.946, exit_reason: 'take-profit', exit_mode: 'FAST_TP',
    };

    /** A store as version 1 of the code wrote it. */
    function versionOneStore(): string {
      const path = file();
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.exec(MIGRATIONS[0]!.sql);
      db.pragma('user_version = 1');
      const insertOrder = db.prepare('INSERT INTO orders (client_id, symbol, position_id, purpose, status, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const o of [order, filled]) insertOrder.run(o.client_id, o.symbol, o.position_id, o.purpose, o.status, o.updated_at, JSON.stringify(o));
      db.prepare('INSERT INTO positions (id, symbol, doc) VALUES (?, ?, ?)').run(position.id, position.symbol, JSON.stringify(position));
      db.prepare('INSERT INTO trades (position_id, symbol, closed_at, pnl, r_multiple, exit_reason, doc) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        trade.position_id, trade.symbol, trade.closed_at, trade.pnl, trade.r_multiple, trade.exit_reason, JSON.stringify(trade));
      db.prepare('INSERT INTO decisions (id, time, symbol, action, reason, mode) VALUES (?, ?, ?, ?, ?, ?)').run('d', T, 'BTCUSDT', 'opened', 'OPENED', 'LIVE');
      db.prepare('INSERT INTO state (key, value) VALUES (?, ?)').run('cursor', JSON.stringify({ time: T }));
      db.close();
      return path;
    }

    it('keeps every order, position and trade exactly, and everything else as it was', () => {
      const path = versionOneStore();
      const store = TradingStore.open(path);
      expect(store.schemaVersion).toBe(SCHEMA_VERSION);
      expect(store.order(order.client_id)).toStrictEqual(order);
      expect(store.order(filled.client_id)).toStrictEqual(filled);
      expect(store.openPositions()).toStrictEqual([position]);
      expect(store.trades()).toStrictEqual([trade]);
      expect(store.decisions()).toEqual([{ id: 'd', time: T, symbol: 'BTCUSDT', action: 'opened', reason: 'OPENED', mode: 'LIVE' }]);
      expect(store.loadState('cursor')).toEqual({ time: T });
      store.close();
      expect(pragma(path, 'application_id')).toBe(APPLICATION_ID);
    });

    it('puts each field in its own column, booleans as 0/1 and absent fields as NULL', () => {
      const path = versionOneStore();
      TradingStore.open(path).close();
      const db = new Database(path, { readonly: true });
      expect(db.prepare('SELECT reduce_only, trigger_price, fill_price, reason FROM orders WHERE client_id = ?').get(order.client_id)).toEqual({
        reduce_only: 1, trigger_price: 41_200.1, fill_price: null, reason: null,
      });
      expect(db.prepare('SELECT stop_price, partial_taken, exit_mode FROM positions').get()).toEqual({ stop_price: 41_200.1, partial_taken: 1, exit_mode: 'DEFENSIVE_TRAIL' });
      expect(db.prepare('SELECT side, exit_mode FROM trades').get()).toEqual({ side: 'short', exit_mode: 'FAST_TP' });
      db.close();
    });
  });
});
