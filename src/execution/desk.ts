import type { Broker } from '../broker/broker.js';
import type { ClosedTrade } from '../broker/model.js';
import type { Logger } from '../logger.js';
import type { OrchestratorConfigDoc, RiskProfileDoc } from '../policy/rule-set.js';
import type { AccountEvent } from '../state/account-events.js';
import type { MarketStateBuilder } from '../state/market-state-builder.js';
import type { ClientIds } from './client-ids.js';
import type { Controls } from './controls.js';
import type { HardLimits } from './hard-limits.js';
import type { SymbolBlocks } from './symbol-blocks.js';
import type { DecisionRecord } from './journal.js';
import type { Ledger } from './ledger.js';
import { exposureAmount, positionNotional } from './risk-controller.js';
import type { OrderGateway } from './order-gateway.js';
import type { PositionBook } from './position-book.js';
import type { ProtectiveOrders } from './protective-orders.js';

export type ExecutionMode = 'LIVE' | 'OBSERVE' | 'OFF';

/** What one cycle (or a start-up, or closing everything) trades under, and what it did so far. */
export interface CycleContext {
  /** The instant traded: a candle close, or a moment between closes. */
  readonly time: number;
  /** The venue's clock now (the exchange's live; the instant itself in a replay): how old a signal is. */
  readonly now: number;
  readonly mode: ExecutionMode;
  readonly version: string;
  readonly config: OrchestratorConfigDoc;
  readonly profile: RiskProfileDoc;
  readonly enforced: Controls;
  readonly observed: Controls | undefined;
  readonly decisions: DecisionRecord[];
  readonly trades: ClosedTrade[];
  /** Set while the operator has paused new entries (the emergency switch): why. Exits and stops go on. */
  readonly paused?: string;
}

/**
 * The executor's working parts, shared by the modules of one cycle (entries, exits, protection,
 * reconciliation): the venue and the gateway every order goes through, the ledger every write goes to,
 * the positions, their protective orders, and the market state the account events feed.
 */
export class Desk {
  constructor(
    readonly broker: Broker,
    readonly gateway: OrderGateway,
    readonly ledger: Ledger,
    readonly book: PositionBook,
    readonly protective: ProtectiveOrders,
    readonly ids: ClientIds,
    readonly builder: MarketStateBuilder,
    readonly logger: Logger,
    /** The design's GlobalRiskController: limits that hold whatever the rules engine does. */
    readonly limits: HardLimits,
    /** Symbols the policy blocks, with the shadow record that lets a block lift. */
    readonly blocks: SymbolBlocks,
    /** Told every decision as it is made (monitoring: alerts, metrics); must not throw. */
    private readonly observe?: (record: DecisionRecord) => void,
  ) {}

  /** Records a decision (what happened to a signal or a position, and why) and logs it. */
  decide(ctx: CycleContext, symbol: string, action: string, reason: string, detail: Record<string, unknown>, level: 'info' | 'warn' | 'debug' = 'info'): void {
    // Deterministic (time, symbol, action, place in the cycle): a cycle replayed after a crash overwrites, never adds.
    const record: DecisionRecord = { id: `${ctx.time}:${symbol}:${action}:${ctx.decisions.length}`, time: ctx.time, symbol, action, reason, mode: ctx.mode, policy_version: ctx.version, detail };
    ctx.decisions.push(record);
    this.ledger.recordDecision(record);
    this.logger[level]({ decision: record }, `${symbol} ${action}: ${reason}`);
    try {
      this.observe?.(record);
    } catch (error) {
      this.logger.error({ err: error }, `decision observer failed: ${(error as Error).message}`);
    }
  }

  feedAccount(event: AccountEvent): void {
    const result = this.builder.onAccount(event);
    if (!result.ok) this.rejected(event, result.reason);
  }

  /** An account event the risk tracker refused (stale, malformed): skipped, and said. */
  rejected(event: AccountEvent, reason: string): void {
    this.logger.warn({ event }, `account event rejected: ${reason}`);
  }

  /** The equity of the last mark (the start of the cycle, or its end). */
  marked = 0;

  /**
   * Equity for a decision: read afresh from a venue in the process, the cycle's mark on an exchange
   * (where each read is a request, and a few fees since the mark do not move a limit).
   */
  async equity(): Promise<number> {
    return this.ledger.durability === 'write-through' ? this.marked : (await this.book.equity(this.broker)).equity;
  }

  /** Equity from the venue and the open positions, told to the risk state with the positions' exposure (on the profile's basis). */
  async markAccount(time: number, profile: RiskProfileDoc): Promise<{ equity: number; balance: number }> {
    const { events, ...now } = await this.accountMarks(time, profile);
    for (const event of events) this.feedAccount(event);
    return now;
  }

  /** The same marks as events (positions, then equity), for a cycle to hand to the market state with its candles. */
  async accountMarks(time: number, profile: RiskProfileDoc): Promise<{ equity: number; balance: number; events: AccountEvent[] }> {
    const now = await this.book.equity(this.broker);
    this.marked = now.equity;
    return {
      equity: now.equity, balance: now.balance,
      events: [
        { type: 'positions', time, positions: this.book.all().map((p) => ({ symbol: p.symbol, notional: exposureAmount(positionNotional(p), profile) })) },
        { type: 'equity', time, equity: now.equity },
      ],
    };
  }
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
