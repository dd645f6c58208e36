import type Database from 'better-sqlite3';
import type { CycleRecord, DecisionRecord } from '../execution/journal.js';
import { cycleFromRow, decisionFromRow, type CycleRow, type DecisionRow } from './rows.js';
import { attempt } from './store-error.js';

/**
 * The newest records, for a status page that must stay cheap however long a store has been written to
 * (a year of cycles, a backtest's hundred thousand decisions): each query reads only what it returns.
 */
export class RecentRecords {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(
    private readonly file: string,
    private readonly db: Database.Database,
  ) {
    this.sql = prepare(db);
  }

  /** The newest decisions, newest first (optionally of one symbol). */
  decisions(limit: number, symbol?: string): DecisionRecord[] {
    return attempt(this.file, 'reading the latest decisions', () => this.sql.latestDecisions.all({ limit, symbol: symbol ?? null })).map(decisionFromRow);
  }

  /** Cycles from `time` on, oldest first. */
  cyclesSince(time: number): CycleRecord[] {
    return attempt(this.file, 'reading recent cycles', () => this.sql.cyclesSince.all(time)).map(cycleFromRow);
  }

  lastCycle(): CycleRecord | undefined {
    const row = attempt(this.file, 'reading the last cycle', () => this.sql.lastCycle.get());
    return row === undefined ? undefined : cycleFromRow(row);
  }

  /** Changes whenever any connection (another process included) commits to the file: a cheap "anything new?". */
  dataVersion(): number {
    return attempt(this.file, 'reading the data version', () => this.db.pragma('data_version', { simple: true }) as number);
  }
}

function prepare(db: Database.Database) {
  return {
    latestDecisions: db.prepare<{ limit: number; symbol: string | null }, DecisionRow>(`
      SELECT id, time, symbol, action, reason, mode, policy_version, detail FROM decisions
      WHERE (@symbol IS NULL OR symbol = @symbol) ORDER BY time DESC, rowid DESC LIMIT @limit`),
    cyclesSince: db.prepare<[number], CycleRow>('SELECT * FROM cycles WHERE time >= ? ORDER BY time'),
    lastCycle: db.prepare<[], CycleRow>('SELECT * FROM cycles ORDER BY time DESC LIMIT 1'),
  };
}
