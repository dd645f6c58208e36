import type Database from 'better-sqlite3';
import { jsonText } from './rows.js';
import { attempt } from './store-error.js';

/** What an operator can ask a running daemon to do. */
export type ControlActionKind = 'pause' | 'resume' | 'close-position' | 'close-all' | 'reload-rules';

/**
 * `queued`: waiting for the daemon's loop (closing and reloading run between cycles); `abandoned`: the
 * daemon stopped before it ran (never run later: an operator's close is not carried out after a restart
 * they may not expect).
 */
export type ControlStatus = 'queued' | 'done' | 'failed' | 'abandoned';

export interface ControlAction {
  readonly id: number;
  /** Wall-clock epoch ms. */
  readonly requested_at: number;
  /** Where the request came from (the HTTP client's address). */
  readonly requested_by: string;
  readonly action: ControlActionKind;
  readonly reason: string;
  /** The position of a close-position. */
  readonly target?: string;
  readonly status: ControlStatus;
  readonly finished_at?: number;
  /** What came of it (trades closed, the reload's outcome, the error). */
  readonly outcome?: unknown;
}

export type ControlRequest = Omit<ControlAction, 'id'>;

interface ControlRow {
  id: number;
  requested_at: number;
  requested_by: string;
  action: string;
  reason: string;
  target: string | null;
  status: string;
  finished_at: number | null;
  outcome: string | null;
}

/**
 * The operator's actions, in the store with the trading they changed. A store of an older schema opened
 * read-only (`serve`) has no such table: it then reads as empty.
 */
export class ControlLog {
  private readonly sql: ReturnType<typeof prepare> | undefined;

  constructor(
    private readonly file: string,
    db: Database.Database,
  ) {
    const present = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'control_actions'").get() !== undefined;
    this.sql = present ? prepare(db) : undefined;
  }

  /** Records a request; returns it with its id. */
  record(request: ControlRequest): ControlAction {
    const row = { ...request, target: request.target ?? null, finished_at: request.finished_at ?? null, outcome: jsonText(request.outcome) };
    const id = attempt(this.file, `recording control action ${request.action}`, () => Number(this.statements().insert.run(row).lastInsertRowid));
    return { id, ...request };
  }

  /** Records how a queued action ended. */
  finish(id: number, status: Exclude<ControlStatus, 'queued'>, finishedAt: number, outcome: unknown): void {
    attempt(this.file, `finishing control action ${id}`, () => this.statements().finish.run({ id, status, finished_at: finishedAt, outcome: jsonText(outcome) }));
  }

  /** Newest first. */
  recent(limit: number): ControlAction[] {
    if (this.sql === undefined) return [];
    return attempt(this.file, 'reading control actions', () => this.sql!.recent.all(limit)).map(fromRow);
  }

  /** Oldest first. */
  queued(): ControlAction[] {
    if (this.sql === undefined) return [];
    return attempt(this.file, 'reading queued control actions', () => this.sql!.queued.all()).map(fromRow);
  }

  /** The pause in force: the latest pause, unless a resume came after it. */
  pause(): ControlAction | undefined {
    if (this.sql === undefined) return undefined;
    const row = attempt(this.file, 'reading the pause switch', () => this.sql!.latestSwitch.get());
    return row === undefined || row.action !== 'pause' ? undefined : fromRow(row);
  }

  private statements(): ReturnType<typeof prepare> {
    if (this.sql === undefined) throw new Error('this store predates control actions (schema version 3 or older); open it read-write once to upgrade it');
    return this.sql;
  }
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare<Omit<ControlRow, 'id'>>(`
      INSERT INTO control_actions (requested_at, requested_by, action, reason, target, status, finished_at, outcome)
      VALUES (@requested_at, @requested_by, @action, @reason, @target, @status, @finished_at, @outcome)`),
    finish: db.prepare<{ id: number; status: string; finished_at: number; outcome: string | null }>(
      'UPDATE control_actions SET status = @status, finished_at = @finished_at, outcome = @outcome WHERE id = @id'),
    recent: db.prepare<[number], ControlRow>('SELECT * FROM control_actions ORDER BY id DESC LIMIT ?'),
    queued: db.prepare<[], ControlRow>("SELECT * FROM control_actions WHERE status = 'queued' ORDER BY id"),
    latestSwitch: db.prepare<[], ControlRow>("SELECT * FROM control_actions WHERE action IN ('pause', 'resume') AND status = 'done' ORDER BY id DESC LIMIT 1"),
  };
}

function fromRow(r: ControlRow): ControlAction {
  return {
    id: r.id, requested_at: r.requested_at, requested_by: r.requested_by, action: r.action as ControlActionKind, reason: r.reason,
    ...(r.target === null ? {} : { target: r.target }), status: r.status as ControlStatus,
    ...(r.finished_at === null ? {} : { finished_at: r.finished_at }), ...(r.outcome === null ? {} : { outcome: JSON.parse(r.outcome) as unknown }),
  };
}
