import type { ClosedTrade, Order, Position } from '../broker/model.js';
import type { RiskTrackerJSON } from '../state/risk/index.js';
import type { Checkpoint } from './ledger.js';

/** One executor decision as it is logged and stored: what happened to a signal or a position, and why. */
export interface DecisionRecord {
  /** Deterministic (time, symbol, what), so a replay after a crash overwrites instead of duplicating. */
  readonly id: string;
  readonly time: number;
  readonly symbol: string;
  /** opened | blocked | closed | exit-mode-changed | stop-moved | rejected | observed … */
  readonly action: string;
  /** The design's reason code (BLOCKED_BY_CONFIDENCE, TRADE SHUTDOWN ACTIVE …) or the exit reason. */
  readonly reason: string;
  /** LIVE, OBSERVE or OFF: which controls were enforced. */
  readonly mode: string;
  readonly policy_version?: string;
  readonly detail?: unknown;
}

/** A signal the executor acted on: a signal id is traded at most once, across restarts. */
export interface HandledSignal {
  readonly id: string;
  readonly symbol: string;
  readonly side: string;
  /** The signal's own timestamp. */
  readonly time: number;
  /** The cycle that handled it. */
  readonly handled_at: number;
  /** opened | blocked | exited | stale | rejected … */
  readonly outcome: string;
}

export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
  readonly balance: number;
}

/** The controls one cycle traded under, and the policy evaluated (absent while warming up or with the orchestrator off). */
export interface CycleRecord {
  readonly time: number;
  readonly mode: string;
  readonly gate_open: boolean;
  readonly exit_mode: string;
  readonly stance: string;
  readonly min_confidence: number;
  readonly max_risk_pct: number;
  readonly policy?: unknown;
}

/**
 * Where the executor writes what must survive a crash. The SQLite store implements it. On a venue that
 * lives in the same process (the paper broker, checkpointed with the cycle) a cycle's writes go in one
 * transaction, so a restart sees all of a cycle or none of it; on an exchange every order is written
 * before it is sent and its outcome right after (see execution/ledger.ts).
 */
export interface ExecutionJournal {
  transaction<T>(fn: () => T): T;
  saveOrder(order: Order): void;
  savePosition(position: Position): void;
  /** Records the trade and removes the open position, atomically; false when it was recorded already. */
  closePosition(trade: ClosedTrade): boolean;
  recordEquity(point: EquityPoint): void;
  saveRiskState(state: RiskTrackerJSON): void;
  recordDecision(decision: DecisionRecord): void;
  recordCycle(cycle: CycleRecord): void;
  saveState(key: string, value: unknown): void;
  loadState<T>(key: string): T | undefined;
  openPositions(): Position[];
  openOrders(): Order[];
  /** Orders written before sending whose outcome is unknown, and cancels not yet confirmed. */
  unresolvedOrders(): Order[];
  recordSignal(signal: HandledSignal): void;
  signalOutcome(id: string): string | undefined;
  loadRiskState(): RiskTrackerJSON | undefined;
  /**
   * A journal that nothing restarts from (a backtest's, in memory, read once the run is over) may keep
   * the checkpoint as the function that makes it, called when read, instead of a snapshot at every commit:
   * the venue's snapshot holds every order ever placed, so writing it each cycle grows with the run.
   */
  keepCheckpoint?(read: () => Checkpoint): void;
}
