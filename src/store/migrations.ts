import type Database from 'better-sqlite3';
import { StoreError, storeFailure } from './store-error.js';

export interface Migration {
  /** 1, 2, 3 …: after it ran, `PRAGMA user_version` is this number. */
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/**
 * `PRAGMA application_id` of a Quantum Trader store ('QTRD'): tells our files apart from other SQLite
 * databases that someone points --store at by mistake.
 */
export const APPLICATION_ID = 0x51545244;

/**
 * Schema history, oldest first. A released migration is never edited, only followed by a new one:
 * stores written by earlier versions (a `run` daemon's, `backtest-results/stores/`) upgrade in place.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'orders, positions, trades, equity, risk checkpoint, decisions, cycles, component state',
    sql: `
  CREATE TABLE orders (
    client_id   TEXT PRIMARY KEY,
    symbol      TEXT NOT NULL,
    position_id TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    status      TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    doc         TEXT NOT NULL
  );
  CREATE INDEX orders_by_status ON orders (status, symbol);
  CREATE INDEX orders_by_position ON orders (position_id);

  CREATE TABLE positions (
    id     TEXT PRIMARY KEY,
    symbol TEXT NOT NULL,
    doc    TEXT NOT NULL
  );

  CREATE TABLE trades (
    position_id TEXT PRIMARY KEY,
    symbol      TEXT NOT NULL,
    closed_at   INTEGER NOT NULL,
    pnl         REAL NOT NULL,
    r_multiple  REAL NOT NULL,
    exit_reason TEXT NOT NULL,
    doc         TEXT NOT NULL
  );
  CREATE INDEX trades_by_time ON trades (closed_at, position_id);

  CREATE TABLE equity (
    time    INTEGER PRIMARY KEY,
    equity  REAL NOT NULL,
    balance REAL NOT NULL
  );

  CREATE TABLE risk_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    day_start        INTEGER,
    day_start_equity REAL,
    losing_streak    INTEGER NOT NULL,
    doc              TEXT NOT NULL
  );

  CREATE TABLE decisions (
    id             TEXT PRIMARY KEY,
    time           INTEGER NOT NULL,
    symbol         TEXT NOT NULL,
    action         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    mode           TEXT NOT NULL,
    policy_version TEXT,
    detail         TEXT
  );
  CREATE INDEX decisions_by_time ON decisions (time, symbol);

  CREATE TABLE cycles (
    time           INTEGER PRIMARY KEY,
    mode           TEXT NOT NULL,
    gate_open      INTEGER NOT NULL,
    exit_mode      TEXT NOT NULL,
    stance         TEXT NOT NULL,
    min_confidence REAL NOT NULL,
    max_risk_pct   REAL NOT NULL,
    policy         TEXT
  );

  CREATE TABLE state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  },
  {
    version: 2,
    // Version 1 kept orders, positions and trades as JSON documents, which an operator cannot query
    // ("which stops are resting?") without json_extract. The copy reads the documents, so nothing is lost.
    description: 'orders, positions and trades as one column per field (booleans 0/1, absent fields NULL)',
    sql: `
  CREATE TABLE orders_v2 (
    client_id       TEXT PRIMARY KEY,
    symbol          TEXT NOT NULL,
    side            TEXT NOT NULL,
    type            TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    quantity        REAL NOT NULL,
    trigger_price   REAL,
    reduce_only     INTEGER NOT NULL CHECK (reduce_only IN (0, 1)),
    position_id     TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    fill_price      REAL,
    filled_quantity REAL,
    fee             REAL,
    reason          TEXT
  );
  INSERT INTO orders_v2
    SELECT client_id, symbol, doc ->> '$.side', doc ->> '$.type', purpose, doc ->> '$.quantity', doc ->> '$.trigger_price',
           doc ->> '$.reduce_only', position_id, status, doc ->> '$.created_at', updated_at, doc ->> '$.fill_price',
           doc ->> '$.filled_quantity', doc ->> '$.fee', doc ->> '$.reason'
    FROM orders;
  DROP TABLE orders;
  ALTER TABLE orders_v2 RENAME TO orders;
  CREATE INDEX orders_by_status ON orders (status, symbol);
  CREATE INDEX orders_by_position ON orders (position_id);

  CREATE TABLE positions_v2 (
    id                  TEXT PRIMARY KEY,
    symbol              TEXT NOT NULL,
    side                TEXT NOT NULL,
    quantity            REAL NOT NULL,
    initial_quantity    REAL NOT NULL,
    entry_price         REAL NOT NULL,
    opened_at           INTEGER NOT NULL,
    risk_per_unit       REAL NOT NULL,
    stop_price          REAL NOT NULL,
    take_profit_price   REAL NOT NULL,
    best_price          REAL NOT NULL,
    exit_mode           TEXT NOT NULL,
    trail_pct           REAL NOT NULL,
    partial_tp_fraction REAL NOT NULL,
    partial_tp_price    REAL NOT NULL,
    partial_taken       INTEGER NOT NULL CHECK (partial_taken IN (0, 1)),
    realized_pnl        REAL NOT NULL,
    fees                REAL NOT NULL,
    entry_notional      REAL NOT NULL
  );
  INSERT INTO positions_v2
    SELECT id, symbol, doc ->> '$.side', doc ->> '$.quantity', doc ->> '$.initial_quantity', doc ->> '$.entry_price',
           doc ->> '$.opened_at', doc ->> '$.risk_per_unit', doc ->> '$.stop_price', doc ->> '$.take_profit_price',
           doc ->> '$.best_price', doc ->> '$.exit_mode', doc ->> '$.trail_pct', doc ->> '$.partial_tp_fraction',
           doc ->> '$.partial_tp_price', doc ->> '$.partial_taken', doc ->> '$.realized_pnl', doc ->> '$.fees',
           doc ->> '$.entry_notional'
    FROM positions;
  DROP TABLE positions;
  ALTER TABLE positions_v2 RENAME TO positions;

  CREATE TABLE trades_v2 (
    position_id TEXT PRIMARY KEY,
    symbol      TEXT NOT NULL,
    side        TEXT NOT NULL,
    quantity    REAL NOT NULL,
    entry_price REAL NOT NULL,
    exit_price  REAL NOT NULL,
    opened_at   INTEGER NOT NULL,
    closed_at   INTEGER NOT NULL,
    pnl         REAL NOT NULL,
    fees        REAL NOT NULL,
    r_multiple  REAL NOT NULL,
    exit_reason TEXT NOT NULL,
    exit_mode   TEXT NOT NULL
  );
  INSERT INTO trades_v2
    SELECT position_id, symbol, doc ->> '$.side', doc ->> '$.quantity', doc ->> '$.entry_price', doc ->> '$.exit_price',
           doc ->> '$.opened_at', closed_at, pnl, doc ->> '$.fees', r_multiple, exit_reason, doc ->> '$.exit_mode'
    FROM trades;
  DROP TABLE trades;
  ALTER TABLE trades_v2 RENAME TO trades;
  CREATE INDEX trades_by_time ON trades (closed_at, position_id);

  PRAGMA application_id = ${APPLICATION_ID};
  `,
  },
  {
    version: 3,
    // Live safety: an order is written before it is sent (status 'pending') and resolved against the
    // venue after a crash; the signals acted on are remembered so a restart never trades one again.
    description: 'write-ahead orders (signal, entry plan, cancel requested), handled signals',
    sql: `
  ALTER TABLE orders ADD COLUMN signal_id TEXT;
  ALTER TABLE orders ADD COLUMN cancel_requested_at INTEGER;
  ALTER TABLE orders ADD COLUMN plan TEXT;
  ALTER TABLE orders ADD COLUMN exit_reason TEXT;
  CREATE INDEX orders_unresolved ON orders (status) WHERE status = 'pending' OR cancel_requested_at IS NOT NULL;

  CREATE TABLE signals (
    id         TEXT PRIMARY KEY,
    symbol     TEXT NOT NULL,
    side       TEXT NOT NULL,
    time       INTEGER NOT NULL,
    handled_at INTEGER NOT NULL,
    outcome    TEXT NOT NULL
  );
  `,
  },
  {
    version: 4,
    // The operator's actions on a running daemon (pause entries, resume, close positions, reload rules):
    // who asked, when, why, and what came of it. The latest pause or resume is the pause in force, so an
    // emergency stop of new entries survives a restart.
    description: 'control actions of the operator',
    sql: `
  CREATE TABLE control_actions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    requested_at INTEGER NOT NULL,
    requested_by TEXT NOT NULL,
    action       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    target       TEXT,
    status       TEXT NOT NULL,
    finished_at  INTEGER,
    outcome      TEXT
  );
  CREATE INDEX control_actions_by_action ON control_actions (action, id);
  `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the schema up to date in one IMMEDIATE transaction: an upgrade either completes or leaves the
 * file as it was, and a second process opening the same file at the same moment (`status` next to `run`)
 * waits for the write lock and then finds nothing left to do instead of creating the tables twice.
 */
export function migrate(db: Database.Database, file: string): void {
  if (userVersion(db) === SCHEMA_VERSION) return;
  let from = 0;
  try {
    db.transaction(() => {
      from = userVersion(db);
      checkIdentity(db, file);
      for (const migration of MIGRATIONS.slice(from)) {
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      }
    }).immediate();
  } catch (error) {
    throw storeFailure(file, `upgrading the schema from version ${from} to ${SCHEMA_VERSION}`, error);
  }
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Refuses a file this version must not write to: one from a newer version, or another application's
 * database. Only reads, so a refused file is left exactly as it was.
 */
export function checkIdentity(db: Database.Database, file: string): void {
  const version = userVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      file,
      `written by a newer version of Quantum Trader (schema version ${version}; this version reads up to ${SCHEMA_VERSION}): upgrade Quantum Trader, or use another store file`,
    );
  }
  const id = db.pragma('application_id', { simple: true }) as number;
  if (id !== 0 && id !== APPLICATION_ID) {
    throw new StoreError(file, `is a SQLite database of another application (application_id ${id}), not a Quantum Trader store; use another store file`);
  }
  if (version === 0 && db.prepare("SELECT 1 FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' LIMIT 1").get() !== undefined) {
    throw new StoreError(file, 'is a SQLite database with tables but no schema version, not a Quantum Trader store; use another store file');
  }
}
