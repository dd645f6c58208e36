import type { ClosedTrade, Order, Position } from '../broker/model.js';
import type { RiskTrackerJSON } from '../state/risk/index.js';
import type { ClientIds } from './client-ids.js';
import type { CycleRecord, DecisionRecord, EquityPoint, ExecutionJournal, HandledSignal } from './journal.js';

/**
 * When the executor's writes reach the store.
 * - `cycle`: a cycle's writes are committed together at its end. Right for a venue that lives in the
 *   process (the paper broker, checkpointed in the same transaction): a crash rolls both back together.
 * - `write-through`: on a real exchange an order exists outside the process the moment it is sent, so
 *   every order is committed before it is sent (with the signal it acts on) and again with its outcome,
 *   together with whatever the cycle changed so far. A crash leaves at most the orders in flight
 *   unresolved, and start-up resolves them against the exchange by client id.
 */
export type Durability = 'cycle' | 'write-through';

/** What every commit carries besides the cycle's writes. */
export interface Checkpoint {
  readonly risk: RiskTrackerJSON;
  readonly ids: ClientIds;
  /** The venue's own state (the paper broker's snapshot), when it lives in the process. */
  readonly venue?: () => unknown;
  /** Component state saved under its key with every commit (e.g. the symbol blocks). */
  readonly states?: Readonly<Record<string, () => unknown>>;
}

export class Ledger {
  private orders = new Map<string, Order>();
  private positions = new Map<string, Position>();
  private trades: ClosedTrade[] = [];
  private decisions: DecisionRecord[] = [];
  private signals: HandledSignal[] = [];

  constructor(
    private readonly journal: ExecutionJournal | undefined,
    readonly durability: Durability,
    private readonly checkpointOf: () => Checkpoint,
  ) {}

  saveOrder(order: Order): void {
    this.orders.set(order.client_id, order);
  }

  savePosition(position: Position): void {
    this.positions.set(position.id, position);
  }

  closePosition(trade: ClosedTrade): void {
    this.trades.push(trade);
  }

  recordDecision(decision: DecisionRecord): void {
    this.decisions.push(decision);
  }

  recordSignal(signal: HandledSignal): void {
    this.signals.push(signal);
  }

  /** Whether the signal was acted on before (in this cycle or committed earlier). */
  signalHandled(id: string): boolean {
    return this.signals.some((s) => s.id === id) || this.journal?.signalOutcome(id) !== undefined;
  }

  /** Write-through: commits what has accumulated now (an order about to be sent, or what came of it). */
  checkpoint(): void {
    if (this.durability === 'write-through') this.flush();
  }

  /** The end of a cycle (or of a start-up, or of closing everything): everything, with the equity point. */
  commit(point: EquityPoint, cycle?: CycleRecord): void {
    this.flush(point, cycle);
  }

  private flush(point?: EquityPoint, cycle?: CycleRecord): void {
    const journal = this.journal;
    if (journal === undefined) {
      this.clear();
      return;
    }
    const state = journal.keepCheckpoint === undefined ? this.checkpointOf() : undefined;
    journal.transaction(() => {
      for (const order of this.orders.values()) journal.saveOrder(order);
      // Trades before positions: a position closed in this batch is refused by savePosition afterwards.
      for (const trade of this.trades) journal.closePosition(trade);
      for (const position of this.positions.values()) journal.savePosition(position);
      for (const decision of this.decisions) journal.recordDecision(decision);
      for (const signal of this.signals) journal.recordSignal(signal);
      if (state === undefined) journal.keepCheckpoint?.(this.checkpointOf);
      else {
        journal.saveRiskState(state.risk);
        state.ids.save(journal);
        if (state.venue !== undefined) journal.saveState('venue', state.venue());
        for (const [key, value] of Object.entries(state.states ?? {})) journal.saveState(key, value());
      }
      if (point !== undefined) {
        journal.recordEquity(point);
        journal.saveState('cursor', { time: point.time });
      }
      if (cycle !== undefined) journal.recordCycle(cycle);
    });
    this.clear();
  }

  private clear(): void {
    this.orders = new Map();
    this.positions = new Map();
    this.trades = [];
    this.decisions = [];
    this.signals = [];
  }
}
