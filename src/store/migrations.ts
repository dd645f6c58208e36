/**
 * Schema history, oldest first. The database's `PRAGMA user_version` is the number of migrations
 * applied; a migration is never edited once released, only followed by a new one. Whole objects are
 * kept as JSON in `doc` (so they come back exactly as written) next to the columns worth querying.
 */
export const MIGRATIONS: readonly string[] = [
  `
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
];
