import type Database from 'better-sqlite3';
import type { ClosedTrade, Order, OrderStatus, Position } from '../broker/model.js';
import type { CycleRecord, DecisionRecord, EquityPoint, ExecutionJournal, HandledSignal } from '../execution/journal.js';
import type { RiskTrackerJSON } from '../state/risk/index.js';
import { openDatabase, openReadOnly } from './connection.js';
import { ControlLog } from './control-log.js';
import { migrate } from './migrations.js';
import {
  cycleFromRow, cycleRow, decisionFromRow, decisionRow, jsonText, orderFromRow, orderRow, positionFromRow, positionRow, tradeFromRow, tradeRow,
} from './rows.js';
import { RecentRecords } from './recent-records.js';
import { prepareStatements, type Statements } from './statements.js';
import { attempt, storeFailure } from './store-error.js';

export interface OrderFilter {
  readonly symbol?: string;
  readonly position_id?: string;
  readonly status?: OrderStatus;
}

/** Inclusive bounds, epoch ms. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

export interface DecisionFilter extends TimeRange {
  readonly symbol?: string;
}

/**
 * The crash-safe record of trading: orders, open positions, closed trades, equity, the risk tracker's
 * checkpoint (drawdown baseline, losing streak), every executor decision, and opaque component state.
 * Writes are idempotent (keyed by the object's own id), so a cycle replayed after a crash leaves the same
 * rows as one that ran once; what the executor writes for a cycle goes in one `transaction`, so a
 * restart sees all of it or none. Every failure is a StoreError naming the file and the operation.
 */
export class TradingStore implements ExecutionJournal {
  private readonly tx: Database.Transaction<(fn: () => unknown) => unknown>;
  /** The operator's actions (pause, resume, closes, reloads). */
  readonly controls: ControlLog;
  /** The newest decisions and cycles, read without loading the whole history. */
  readonly recent: RecentRecords;

  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
    private readonly sql: Statements,
  ) {
    this.tx = db.transaction((fn: () => unknown) => fn());
    this.controls = new ControlLog(path, db);
    this.recent = new RecentRecords(path, db);
  }

  /**
   * Opens or creates the store (and its folder), upgrading an older schema; `':memory:'` for a throwaway
   * one. `readOnly`: an existing store, neither upgraded nor written (a store one schema version behind
   * reads without its control actions).
   */
  static open(path: string, options: { readonly readOnly?: boolean } = {}): TradingStore {
    const db = options.readOnly === true ? openReadOnly(path) : openDatabase(path);
    try {
      if (options.readOnly !== true) migrate(db, path);
      return new TradingStore(path, db, prepareStatements(db));
    } catch (error) {
      db.close();
      throw storeFailure(path, options.readOnly === true ? 'opening read-only (a store this old must be opened read-write once, e.g. by `status --store`, to upgrade it)' : 'opening', error);
    }
  }

  close(): void {
    attempt(this.path, 'closing', () => this.db.close());
  }

  /** Number of migrations applied (`PRAGMA user_version`). */
  get schemaVersion(): number {
    return attempt(this.path, 'reading the schema version', () => this.db.pragma('user_version', { simple: true }) as number);
  }

  /** 'wal' for a file ('memory' for ':memory:', which has no journal file). */
  get journalMode(): string {
    return attempt(this.path, 'reading the journal mode', () => this.db.pragma('journal_mode', { simple: true }) as string);
  }

  /**
   * Runs `fn` as one atomic write: all of its writes are committed, or none when it throws (the error is
   * rethrown as it was). A call inside another joins the outer transaction, so a step can be composed of
   * steps and still commit once.
   */
  transaction<T>(fn: () => T): T {
    return this.atomically('committing a transaction', fn);
  }

  // --- orders -------------------------------------------------------------------------------------

  /** Inserts the order or replaces the one with the same client_id (a status update, or a replay). */
  saveOrder(order: Order): void {
    this.guard(`saving order ${order.client_id}`, () => this.sql.saveOrder.run(orderRow(order)));
  }

  order(clientId: string): Order | undefined {
    const row = this.guard(`reading order ${clientId}`, () => this.sql.order.get(clientId));
    return row === undefined ? undefined : orderFromRow(row);
  }

  /** Oldest first. */
  orders(filter: OrderFilter = {}): Order[] {
    const params = { symbol: filter.symbol ?? null, position_id: filter.position_id ?? null, status: filter.status ?? null };
    return this.guard('reading orders', () => this.sql.orders.all(params)).map(orderFromRow);
  }

  /** Orders still resting (status 'new'), oldest first. */
  openOrders(): Order[] {
    return this.orders({ status: 'new' });
  }

  /**
   * Writes whose outcome the venue has not confirmed: orders recorded before sending ('pending') and
   * orders with a cancel asked for and not confirmed. Oldest first.
   */
  unresolvedOrders(): Order[] {
    return this.guard('reading unresolved orders', () => this.sql.unresolvedOrders.all()).map(orderFromRow);
  }

  // --- signals ---------------------------------------------------------------------------------------

  /** Remembers that a signal was acted on (entered, exited, blocked, too old …); a second record replaces the outcome. */
  recordSignal(signal: HandledSignal): void {
    this.guard(`recording signal ${signal.id}`, () => this.sql.recordSignal.run({ ...signal }));
  }

  /** What was done with the signal, or undefined when it was never handled. */
  signalOutcome(id: string): string | undefined {
    return this.guard(`reading signal ${id}`, () => this.sql.signalHandled.get(id)?.outcome);
  }

  // --- positions and trades ------------------------------------------------------------------------

  /**
   * Inserts or replaces the open position. False, and nothing written, when its trade is recorded
   * already: a closed position stays closed even if a replay saves it again.
   */
  savePosition(position: Position): boolean {
    return this.guard(`saving position ${position.id}`, () => this.sql.savePosition.run(positionRow(position))).changes === 1;
  }

  position(id: string): Position | undefined {
    const row = this.guard(`reading position ${id}`, () => this.sql.position.get(id));
    return row === undefined ? undefined : positionFromRow(row);
  }

  /** In the order they were opened. */
  openPositions(): Position[] {
    return this.guard('reading open positions', () => this.sql.openPositions.all()).map(positionFromRow);
  }

  /**
   * Records the trade and removes the open position in one transaction, so no reader or restart ever sees
   * a position both open and closed, or neither. False when the trade was recorded already (a replay):
   * the first record stands.
   */
  closePosition(trade: ClosedTrade): boolean {
    const operation = `closing position ${trade.position_id}`;
    return this.atomically(operation, () =>
      this.guard(operation, () => {
        const recorded = this.sql.insertTrade.run(tradeRow(trade)).changes === 1;
        this.sql.deletePosition.run(trade.position_id);
        return recorded;
      }),
    );
  }

  /** By close time, then position id. */
  trades(): ClosedTrade[] {
    return this.guard('reading trades', () => this.sql.trades.all()).map(tradeFromRow);
  }

  // --- equity and risk ---------------------------------------------------------------------------

  /** One point per time: a second point at the same time replaces the first. */
  recordEquity(point: EquityPoint): void {
    const row = { time: point.time, equity: point.equity, balance: point.balance };
    this.guard(`recording equity at ${iso(point.time)}`, () => this.sql.recordEquity.run(row));
  }

  equityCurve(range: TimeRange = {}): EquityPoint[] {
    return this.guard('reading the equity curve', () => this.sql.equityCurve.all({ from: range.from ?? null, to: range.to ?? null }));
  }

  lastEquity(): EquityPoint | undefined {
    return this.guard('reading the last equity', () => this.sql.lastEquity.get());
  }

  /**
   * Replaces the risk tracker's checkpoint. The JSON is what `loadRiskState` returns; the day start,
   * its equity baseline and the losing streak are copied into columns of `risk_state` only so that an
   * operator can query them (editing them there changes nothing: the JSON is what is restored).
   */
  saveRiskState(state: RiskTrackerJSON): void {
    this.guard('saving the risk state', () =>
      this.sql.saveRiskState.run({
        day_start: state.day_start, day_start_equity: state.day_start_equity, losing_streak: state.losing_streak, doc: JSON.stringify(state),
      }),
    );
  }

  /** The last checkpoint as saved (RiskTracker.restore validates it). */
  loadRiskState(): RiskTrackerJSON | undefined {
    return this.guard('reading the risk state', () => {
      const row = this.sql.loadRiskState.get();
      return row === undefined ? undefined : (JSON.parse(row.doc) as RiskTrackerJSON);
    });
  }

  // --- decisions, cycles and component state ----------------------------------------------------------

  /** One row per decision id: recording the same id again replaces it in place. */
  recordDecision(decision: DecisionRecord): void {
    this.guard(`recording decision ${decision.id}`, () => this.sql.recordDecision.run(decisionRow(decision)));
  }

  /** By time, then in the order they were recorded. */
  decisions(filter: DecisionFilter = {}): DecisionRecord[] {
    const params = { from: filter.from ?? null, to: filter.to ?? null, symbol: filter.symbol ?? null };
    return this.guard('reading decisions', () => this.sql.decisions.all(params)).map(decisionFromRow);
  }

  decisionCount(): number {
    return this.guard('counting decisions', () => this.sql.decisionCount.get()!.n);
  }

  /** One row per cycle time. */
  recordCycle(cycle: CycleRecord): void {
    this.guard(`recording the cycle at ${iso(cycle.time)}`, () => this.sql.recordCycle.run(cycleRow(cycle)));
  }

  cycles(): CycleRecord[] {
    return this.guard('reading cycles', () => this.sql.cycles.all()).map(cycleFromRow);
  }

  /** Replaces the JSON kept under `key`; `undefined` removes it. */
  saveState(key: string, value: unknown): void {
    this.guard(`saving state ${key}`, () => {
      const text = jsonText(value);
      return text === null ? this.sql.deleteState.run(key) : this.sql.saveState.run({ key, value: text });
    });
  }

  loadState<T>(key: string): T | undefined {
    return this.guard(`reading state ${key}`, () => {
      const row = this.sql.loadState.get(key);
      return row === undefined ? undefined : (JSON.parse(row.value) as T);
    });
  }

  /** True while nothing of trading was ever recorded (no order, position, trade, equity point, decision or operator action). */
  holdsNoTrading(): boolean {
    return this.guard('checking for records', () => this.sql.anyTrading.get() === undefined) && this.controls.recent(1).length === 0;
  }

  // --- plumbing -----------------------------------------------------------------------------------

  /**
   * BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that reads first and then
   * writes can fail with SQLITE_BUSY_SNAPSHOT (which busy_timeout does not retry) when another
   * connection committed in between. Errors thrown by `fn` are the caller's and pass through untouched;
   * errors of BEGIN or COMMIT are the store's and get named.
   */
  private atomically<T>(operation: string, fn: () => T): T {
    if (this.db.inTransaction) return fn();
    let thrown: { error: unknown } | undefined;
    try {
      return this.tx.immediate(() => {
        try {
          return fn();
        } catch (error) {
          thrown = { error };
          throw error;
        }
      }) as T;
    } catch (error) {
      if (thrown !== undefined && thrown.error === error) throw error;
      throw storeFailure(this.path, operation, error);
    }
  }

  private guard<T>(operation: string, body: () => T): T {
    return attempt(this.path, operation, body);
  }
}

function iso(time: number): string {
  return Number.isFinite(time) ? new Date(time).toISOString() : String(time);
}
