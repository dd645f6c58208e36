import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ClosedTrade, Order, OrderStatus, Position } from '../broker/model.js';
import type { CycleRecord, DecisionRecord, EquityPoint, ExecutionJournal } from '../execution/journal.js';
import type { RiskTrackerJSON } from '../state/risk/index.js';
import { MIGRATIONS } from './migrations.js';

type Statement = Database.Statement<unknown[], unknown>;

/**
 * The crash-safe record of trading: orders, open positions, closed trades, equity, the risk tracker's
 * checkpoint (drawdown baseline, losing streak), every executor decision, and opaque component state.
 *
 * SQLite in WAL mode with synchronous=NORMAL: a committed transaction survives the process being killed
 * at any point (the case that matters: crashes, deploys, OOM kills); after a power loss the last few
 * commits may be missing but the file is never corrupt, and live positions are reconciled with the
 * exchange on start-up anyway. FULL would fsync every cycle for no gain against process crashes.
 */
export class TradingStore implements ExecutionJournal {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();

  private constructor(
    readonly path: string,
    db: Database.Database,
  ) {
    this.db = db;
  }

  static open(path: string): TradingStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(path);
      db.pragma('journal_mode = WAL');
    } catch (error) {
      throw new Error(`store ${path}: cannot open as a SQLite database: ${(error as Error).message}`);
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const store = new TradingStore(path, db);
    store.migrate();
    return store;
  }

  close(): void {
    this.db.close();
  }

  /** Schema version (number of migrations applied). */
  get version(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  get journalMode(): string {
    return this.db.pragma('journal_mode', { simple: true }) as string;
  }

  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.guard('writing a transaction', () => this.db.transaction(fn)());
  }

  // --- orders -------------------------------------------------------------------------------------

  saveOrder(order: Order): void {
    this.run('saving order ' + order.client_id,
      `INSERT INTO orders (client_id, symbol, position_id, purpose, status, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (client_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, doc = excluded.doc`,
      order.client_id, order.symbol, order.position_id, order.purpose, order.status, order.updated_at, JSON.stringify(order));
  }

  order(clientId: string): Order | undefined {
    const row = this.get<{ doc: string }>('reading order ' + clientId, 'SELECT doc FROM orders WHERE client_id = ?', clientId);
    return row === undefined ? undefined : (JSON.parse(row.doc) as Order);
  }

  orders(filter: { readonly symbol?: string; readonly position_id?: string; readonly status?: OrderStatus } = {}): Order[] {
    return this.all<{ doc: string }>('reading orders',
      `SELECT doc FROM orders WHERE (@symbol IS NULL OR symbol = @symbol) AND (@position IS NULL OR position_id = @position)
         AND (@status IS NULL OR status = @status) ORDER BY updated_at, client_id`,
      { symbol: filter.symbol ?? null, position: filter.position_id ?? null, status: filter.status ?? null }).map((r) => JSON.parse(r.doc) as Order);
  }

  openOrders(): Order[] {
    return this.orders({ status: 'new' });
  }

  // --- positions and trades ------------------------------------------------------------------------

  savePosition(position: Position): void {
    this.run('saving position ' + position.id,
      `INSERT INTO positions (id, symbol, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
      position.id, position.symbol, JSON.stringify(position));
  }

  position(id: string): Position | undefined {
    const row = this.get<{ doc: string }>('reading position ' + id, 'SELECT doc FROM positions WHERE id = ?', id);
    return row === undefined ? undefined : (JSON.parse(row.doc) as Position);
  }

  openPositions(): Position[] {
    return this.all<{ doc: string }>('reading positions', 'SELECT doc FROM positions ORDER BY id').map((r) => JSON.parse(r.doc) as Position);
  }

  closePosition(trade: ClosedTrade): boolean {
    return this.transaction(() => {
      const inserted = this.run('recording trade ' + trade.position_id,
        `INSERT INTO trades (position_id, symbol, closed_at, pnl, r_multiple, exit_reason, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (position_id) DO NOTHING`,
        trade.position_id, trade.symbol, trade.closed_at, trade.pnl, trade.r_multiple, trade.exit_reason, JSON.stringify(trade));
      this.run('removing position ' + trade.position_id, 'DELETE FROM positions WHERE id = ?', trade.position_id);
      return inserted.changes === 1;
    });
  }

  trades(): ClosedTrade[] {
    return this.all<{ doc: string }>('reading trades', 'SELECT doc FROM trades ORDER BY closed_at, position_id').map((r) => JSON.parse(r.doc) as ClosedTrade);
  }

  // --- equity and risk ---------------------------------------------------------------------------

  recordEquity(point: EquityPoint): void {
    this.run('recording equity',
      `INSERT INTO equity (time, equity, balance) VALUES (?, ?, ?) ON CONFLICT (time) DO UPDATE SET equity = excluded.equity, balance = excluded.balance`,
      point.time, point.equity, point.balance);
  }

  equityCurve(range: { readonly from?: number; readonly to?: number } = {}): EquityPoint[] {
    return this.all<EquityPoint>('reading equity', 'SELECT time, equity, balance FROM equity WHERE time >= ? AND time <= ? ORDER BY time',
      range.from ?? Number.MIN_SAFE_INTEGER, range.to ?? Number.MAX_SAFE_INTEGER);
  }

  lastEquity(): EquityPoint | undefined {
    return this.get<EquityPoint>('reading equity', 'SELECT time, equity, balance FROM equity ORDER BY time DESC LIMIT 1');
  }

  saveRiskState(state: RiskTrackerJSON): void {
    this.run('saving the risk state',
      `INSERT INTO risk_state (id, day_start, day_start_equity, losing_streak, doc) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET day_start = excluded.day_start, day_start_equity = excluded.day_start_equity,
         losing_streak = excluded.losing_streak, doc = excluded.doc`,
      state.day_start, state.day_start_equity, state.losing_streak, JSON.stringify(state));
  }

  loadRiskState(): RiskTrackerJSON | undefined {
    const row = this.get<{ doc: string }>('reading the risk state', 'SELECT doc FROM risk_state WHERE id = 1');
    return row === undefined ? undefined : (JSON.parse(row.doc) as RiskTrackerJSON);
  }

  // --- decisions and component state -----------------------------------------------------------------

  recordDecision(d: DecisionRecord): void {
    this.run('recording decision ' + d.id,
      `INSERT INTO decisions (id, time, symbol, action, reason, mode, policy_version, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET action = excluded.action, reason = excluded.reason, mode = excluded.mode,
         policy_version = excluded.policy_version, detail = excluded.detail`,
      d.id, d.time, d.symbol, d.action, d.reason, d.mode, d.policy_version ?? null, d.detail === undefined ? null : JSON.stringify(d.detail));
  }

  decisions(filter: { readonly from?: number; readonly to?: number; readonly symbol?: string } = {}): DecisionRecord[] {
    const rows = this.all<{ id: string; time: number; symbol: string; action: string; reason: string; mode: string; policy_version: string | null; detail: string | null }>(
      'reading decisions',
      'SELECT * FROM decisions WHERE time >= @from AND time <= @to AND (@symbol IS NULL OR symbol = @symbol) ORDER BY time, id',
      { from: filter.from ?? Number.MIN_SAFE_INTEGER, to: filter.to ?? Number.MAX_SAFE_INTEGER, symbol: filter.symbol ?? null });
    return rows.map((r) => ({
      id: r.id, time: r.time, symbol: r.symbol, action: r.action, reason: r.reason, mode: r.mode,
      ...(r.policy_version === null ? {} : { policy_version: r.policy_version }),
      ...(r.detail === null ? {} : { detail: JSON.parse(r.detail) as unknown }),
    }));
  }

  decisionCount(): number {
    return this.get<{ n: number }>('counting decisions', 'SELECT COUNT(*) AS n FROM decisions')!.n;
  }

  recordCycle(c: CycleRecord): void {
    this.run('recording cycle',
      `INSERT INTO cycles (time, mode, gate_open, exit_mode, stance, min_confidence, max_risk_pct, policy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (time) DO UPDATE SET mode = excluded.mode, gate_open = excluded.gate_open, exit_mode = excluded.exit_mode, stance = excluded.stance,
         min_confidence = excluded.min_confidence, max_risk_pct = excluded.max_risk_pct, policy = excluded.policy`,
      c.time, c.mode, c.gate_open ? 1 : 0, c.exit_mode, c.stance, c.min_confidence, c.max_risk_pct, c.policy === undefined ? null : JSON.stringify(c.policy));
  }

  cycles(): CycleRecord[] {
    const rows = this.all<{ time: number; mode: string; gate_open: number; exit_mode: string; stance: string; min_confidence: number; max_risk_pct: number; policy: string | null }>(
      'reading cycles', 'SELECT * FROM cycles ORDER BY time');
    return rows.map((r) => ({
      time: r.time, mode: r.mode, gate_open: r.gate_open === 1, exit_mode: r.exit_mode, stance: r.stance, min_confidence: r.min_confidence, max_risk_pct: r.max_risk_pct,
      ...(r.policy === null ? {} : { policy: JSON.parse(r.policy) as unknown }),
    }));
  }

  saveState(key: string, value: unknown): void {
    this.run('saving state ' + key, 'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, JSON.stringify(value));
  }

  loadState<T>(key: string): T | undefined {
    const row = this.get<{ value: string }>('reading state ' + key, 'SELECT value FROM state WHERE key = ?', key);
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  // --- plumbing -----------------------------------------------------------------------------------

  private migrate(): void {
    const current = this.version;
    if (current > MIGRATIONS.length) {
      this.db.close();
      throw new Error(`store ${this.path}: written by a newer Quantum Trader (schema ${current}; this version knows up to ${MIGRATIONS.length}); upgrade, or use another --store file`);
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      this.guard(`migrating the schema to version ${version + 1}`, () =>
        this.db.transaction(() => {
          this.db.exec(MIGRATIONS[version]!);
          this.db.pragma(`user_version = ${version + 1}`);
        })(),
      );
    }
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private run(operation: string, sql: string, ...params: unknown[]): Database.RunResult {
    return this.guard(operation, () => this.statement(sql).run(...params));
  }

  private get<T>(operation: string, sql: string, ...params: unknown[]): T | undefined {
    return this.guard(operation, () => this.statement(sql).get(...params) as T | undefined);
  }

  private all<T>(operation: string, sql: string, ...params: unknown[]): T[] {
    return this.guard(operation, () => this.statement(sql).all(...params) as T[]);
  }

  private guard<T>(operation: string, body: () => T): T {
    try {
      return body();
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(`store ${this.path}:`)) throw error;
      throw new Error(`store ${this.path}: ${operation}: ${(error as Error).message}`);
    }
  }
}
