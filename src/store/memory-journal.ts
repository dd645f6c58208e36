import type { ClosedTrade, Order, Position } from '../broker/model.js';
import type { CycleRecord, DecisionRecord, EquityPoint, ExecutionJournal, HandledSignal } from '../execution/journal.js';
import type { Checkpoint } from '../execution/ledger.js';
import type { RiskTrackerJSON } from '../state/risk/index.js';
import type { TradingStore } from './trading-store.js';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The journal of a backtest: the same records as the SQLite store, with the same keys, replacements and
 * read order, kept in memory. Nothing restarts from a backtest (it starts from nothing every time), so
 * none of it has to reach a disk while it runs; the venue's and the risk tracker's checkpoints are taken
 * when read instead of at every commit. `copyInto` writes the whole record into a store at the end, for
 * `status --store` and `serve --store` to read.
 */
export class MemoryJournal implements ExecutionJournal {
  private readonly orders = new Map<string, Order>();
  private readonly positions = new Map<string, Position>();
  private readonly closed = new Map<string, ClosedTrade>();
  private readonly equity = new Map<number, EquityPoint>();
  private readonly decisionsById = new Map<string, DecisionRecord>();
  private readonly cyclesByTime = new Map<number, CycleRecord>();
  private readonly signals = new Map<string, HandledSignal>();
  private readonly states = new Map<string, unknown>();
  private risk: RiskTrackerJSON | undefined;
  private checkpoint: (() => Checkpoint) | undefined;
  private lastPolicy: unknown;

  transaction<T>(fn: () => T): T {
    return fn();
  }

  saveOrder(order: Order): void {
    this.orders.set(order.client_id, order);
  }

  savePosition(position: Position): boolean {
    if (this.closed.has(position.id)) return false;
    this.positions.set(position.id, position);
    return true;
  }

  closePosition(trade: ClosedTrade): boolean {
    const recorded = !this.closed.has(trade.position_id);
    if (recorded) this.closed.set(trade.position_id, trade);
    this.positions.delete(trade.position_id);
    return recorded;
  }

  recordEquity(point: EquityPoint): void {
    this.equity.set(point.time, { time: point.time, equity: point.equity, balance: point.balance });
  }

  saveRiskState(state: RiskTrackerJSON): void {
    this.risk = state;
    this.checkpoint = undefined;
  }

  recordDecision(decision: DecisionRecord): void {
    this.decisionsById.set(decision.id, decision);
  }

  /**
   * A policy equal to the previous cycle's is kept as that one object: policies change with the market
   * regime, not every candle, so a long run holds a few hundred policies instead of one per close.
   */
  recordCycle(cycle: CycleRecord): void {
    const previous = this.lastPolicy;
    if (cycle.policy !== undefined && previous !== undefined && cycle.policy !== previous && sameJson(cycle.policy, previous)) cycle = { ...cycle, policy: previous };
    if (cycle.policy !== undefined) this.lastPolicy = cycle.policy;
    this.cyclesByTime.set(cycle.time, cycle);
  }

  recordSignal(signal: HandledSignal): void {
    const earlier = this.signals.get(signal.id);
    this.signals.set(signal.id, earlier === undefined ? signal : { ...earlier, handled_at: signal.handled_at, outcome: signal.outcome });
  }

  signalOutcome(id: string): string | undefined {
    return this.signals.get(id)?.outcome;
  }

  saveState(key: string, value: unknown): void {
    if (value === undefined) this.states.delete(key);
    else this.states.set(key, value);
  }

  keepCheckpoint(read: () => Checkpoint): void {
    this.checkpoint = read;
  }

  loadState<T>(key: string): T | undefined {
    const checkpoint = this.checkpoint?.();
    if (checkpoint !== undefined) {
      checkpoint.ids.save(this);
      if (key === 'venue' && checkpoint.venue !== undefined) return checkpoint.venue() as T;
      const state = checkpoint.states?.[key];
      if (state !== undefined) return state() as T;
    }
    return this.states.get(key) as T | undefined;
  }

  loadRiskState(): RiskTrackerJSON | undefined {
    return this.checkpoint?.().risk ?? this.risk;
  }

  openPositions(): Position[] {
    return [...this.positions.values()].sort((a, b) => a.opened_at - b.opened_at || byText(a.id, b.id));
  }

  openOrders(): Order[] {
    return this.ordersWhere((o) => o.status === 'new');
  }

  unresolvedOrders(): Order[] {
    return this.ordersWhere((o) => o.status === 'pending' || o.cancel_requested_at !== undefined);
  }

  /** Every order, by creation time then client id. */
  allOrders(): Order[] {
    return this.ordersWhere(() => true);
  }

  /** By close time, then position id. */
  trades(): ClosedTrade[] {
    return [...this.closed.values()].sort((a, b) => a.closed_at - b.closed_at || byText(a.position_id, b.position_id));
  }

  equityCurve(): EquityPoint[] {
    return [...this.equity.values()].sort((a, b) => a.time - b.time);
  }

  /** By time, then in the order first recorded (a replaced decision keeps its place). */
  decisions(): DecisionRecord[] {
    return [...this.decisionsById.values()].map((d, i) => ({ d, i })).sort((x, y) => x.d.time - y.d.time || x.i - y.i).map(({ d }) => d);
  }

  cycles(): CycleRecord[] {
    return [...this.cyclesByTime.values()].sort((a, b) => a.time - b.time);
  }

  /** Nothing to release; here so a session can close either kind of journal. */
  close(): void {}

  /** Writes every record into the store in one transaction, as if the run had written it there. */
  copyInto(store: TradingStore): void {
    store.transaction(() => {
      for (const order of this.allOrders()) store.saveOrder(order);
      for (const trade of this.trades()) store.closePosition(trade);
      for (const position of this.openPositions()) store.savePosition(position);
      for (const decision of this.decisions()) store.recordDecision(decision);
      for (const signal of this.signals.values()) store.recordSignal(signal);
      for (const point of this.equityCurve()) store.recordEquity(point);
      for (const cycle of this.cycles()) store.recordCycle(cycle);
      const risk = this.loadRiskState();
      if (risk !== undefined) store.saveRiskState(risk);
      for (const [key, value] of this.states) store.saveState(key, value);
      const checkpoint = this.checkpoint?.();
      if (checkpoint !== undefined) {
        checkpoint.ids.save(store);
        if (checkpoint.venue !== undefined) store.saveState('venue', checkpoint.venue());
        for (const [key, value] of Object.entries(checkpoint.states ?? {})) store.saveState(key, value());
      }
    });
  }

  private ordersWhere(keep: (order: Order) => boolean): Order[] {
    return [...this.orders.values()].filter(keep).sort((a, b) => a.created_at - b.created_at || byText(a.client_id, b.client_id));
  }
}

/** Deep equality of plain JSON-like values (what JSON.stringify would print the same), without printing them. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i]!;
    if (key !== keysB[i] || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
