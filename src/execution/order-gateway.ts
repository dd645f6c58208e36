import { OrderRejected, VenueUnavailable, type Broker, type OrderRequest, type RejectionCode, type VenueOrder } from '../broker/broker.js';
import type { EntryPlan, ExitReason, Order, OrderPurpose } from '../broker/model.js';
import type { Logger } from '../logger.js';
import type { ClientIds } from './client-ids.js';
import { crashPoint } from './crash-points.js';
import type { Ledger } from './ledger.js';

/**
 * An order the executor wants placed: a broker request without its client id (the gateway gives it) and
 * time, plus what the store keeps beside it. `expected_price` is the last price or the trigger.
 */
export interface OrderSpec extends Omit<OrderRequest, 'client_id' | 'time'> {
  readonly signal_id?: string;
  readonly plan?: EntryPlan;
  readonly exit_reason?: ExitReason;
}

/** What sending an order came to. `unknown`: the venue could not be reached; the order stays pending. */
export type SendOutcome =
  | { readonly kind: 'filled' | 'resting' | 'gone'; readonly order: Order }
  | { readonly kind: 'rejected'; readonly order: Order; readonly code: RejectionCode; readonly reason: string }
  | { readonly kind: 'unknown'; readonly order: Order; readonly error: string };

/**
 * The one way orders reach the venue: each order is recorded (status `pending`, with the signal it acts
 * on and, for an entry, its plan) and checkpointed before it is sent, then recorded again with the
 * venue's answer. Venue errors become outcomes: a refusal with its code, or `unknown` when the venue
 * could not be reached, in which case the order stays pending until `resolve` finds out what became of
 * it. A cancel is recorded as asked-for first in the same way and stays so until confirmed.
 */
export class OrderGateway {
  /** Pending orders and unconfirmed cancels, by client id. */
  private readonly unresolved = new Map<string, Order>();

  constructor(
    private readonly broker: Broker,
    private readonly ledger: Ledger,
    private readonly ids: ClientIds,
    private readonly logger: Logger,
    /** The venue's clock (the exchange's in live trading, the cycle's time in a replay). */
    private readonly now: () => number,
    /** How long after sending an unanswered order can still arrive (the exchange's recvWindow); 0 for the paper broker. */
    private readonly settleMs: number,
    restored: readonly Order[] = [],
  ) {
    for (const order of restored) this.unresolved.set(order.client_id, order);
  }

  /** Orders whose fate is not known yet (oldest first). */
  pending(): Order[] {
    return [...this.unresolved.values()];
  }

  /** Whether an order of this purpose for this position is still in flight. */
  inFlight(positionId: string, purpose: OrderPurpose): boolean {
    return [...this.unresolved.values()].some((o) => o.position_id === positionId && o.purpose === purpose && o.status === 'pending');
  }

  /** Whether anything about this symbol is unresolved (no new entry may be sent then). */
  unsettled(symbol: string): boolean {
    return [...this.unresolved.values()].some((o) => o.symbol === symbol);
  }

  async place(spec: OrderSpec, time: number): Promise<SendOutcome> {
    const intent: Order = {
      client_id: this.ids.order(spec.purpose), symbol: spec.symbol, side: spec.side, type: spec.type, purpose: spec.purpose, quantity: spec.quantity,
      ...(spec.trigger_price === undefined ? {} : { trigger_price: spec.trigger_price }), reduce_only: spec.reduce_only, position_id: spec.position_id,
      status: 'pending', created_at: time, updated_at: this.now(),
      ...(spec.signal_id === undefined ? {} : { signal_id: spec.signal_id }), ...(spec.plan === undefined ? {} : { plan: spec.plan }),
      ...(spec.exit_reason === undefined ? {} : { exit_reason: spec.exit_reason }),
    };
    this.remember(intent);
    this.ledger.checkpoint();
    crashPoint(`intent:${spec.purpose}`);
    let answer: VenueOrder;
    try {
      answer = await this.broker.submit({
        client_id: intent.client_id, symbol: spec.symbol, side: spec.side, type: spec.type, purpose: spec.purpose, quantity: spec.quantity,
        ...(spec.trigger_price === undefined ? {} : { trigger_price: spec.trigger_price }), reduce_only: spec.reduce_only, position_id: spec.position_id,
        expected_price: spec.expected_price, time,
      });
    } catch (error) {
      if (error instanceof OrderRejected) {
        const order: Order = { ...intent, status: 'rejected', updated_at: this.now(), reason: error.reason };
        this.remember(order);
        return { kind: 'rejected', order, code: error.code, reason: error.reason };
      }
      if (error instanceof VenueUnavailable) return { kind: 'unknown', order: intent, error: error.message };
      throw error;
    }
    crashPoint(`sent:${spec.purpose}`);
    const order = merged(intent, answer);
    this.remember(order);
    return outcomeOf(order);
  }

  /** Cancels a resting order. `filled`: it filled before the cancel arrived (the caller must apply the fill). */
  async cancel(order: Order, time: number): Promise<SendOutcome> {
    const asked: Order = { ...order, cancel_requested_at: order.cancel_requested_at ?? this.now() };
    this.remember(asked);
    this.ledger.checkpoint();
    crashPoint('cancel-intent');
    const conditional = order.type !== 'market';
    let answer: VenueOrder | undefined;
    try {
      // Not open any more: it may have filled just before, which the caller must know.
      answer = (await this.broker.cancel(order.client_id, order.symbol, time, conditional)) ?? (await this.broker.order(order.client_id, order.symbol, conditional));
    } catch (error) {
      if (error instanceof VenueUnavailable) return { kind: 'unknown', order: asked, error: error.message };
      throw error;
    }
    crashPoint('cancel-sent');
    const { cancel_requested_at: _asked, ...rest } = asked;
    const done: Order = answer === undefined ? { ...rest, status: 'cancelled', updated_at: this.now(), reason: 'unknown to the venue' } : merged(asked, answer);
    this.remember(done);
    return outcomeOf(done);
  }

  /**
   * Finds out what became of an unresolved order: a pending one is looked up by client id (absent, and
   * older than the venue's recvWindow, it never arrived: `void`); a cancel still asked for is sent again
   * (cancelling is harmless to repeat). `unknown` while the venue cannot tell yet.
   */
  async resolve(order: Order, time: number): Promise<SendOutcome> {
    if (order.status !== 'pending') return this.cancel(order, time);
    let answer: VenueOrder | undefined;
    try {
      answer = await this.broker.order(order.client_id, order.symbol, order.type !== 'market');
    } catch (error) {
      if (error instanceof VenueUnavailable) return { kind: 'unknown', order, error: error.message };
      throw error;
    }
    if (answer === undefined) {
      if (this.now() - order.updated_at < this.settleMs) return { kind: 'unknown', order, error: 'not at the venue yet; it may still arrive within its recvWindow' };
      const voided: Order = { ...order, status: 'void', updated_at: this.now(), reason: 'never reached the venue' };
      this.remember(voided);
      this.logger.warn({ client_id: order.client_id, purpose: order.purpose }, `${order.client_id} (${order.purpose}) never reached the venue`);
      return { kind: 'gone', order: voided };
    }
    const order$ = merged(order, answer);
    this.remember(order$);
    return outcomeOf(order$);
  }

  /** Records an order's new state (a fill reported by the venue, a release), keeping the unresolved set true. */
  record(order: Order): void {
    this.remember(order);
  }

  private remember(order: Order): void {
    this.ledger.saveOrder(order);
    if (order.status === 'pending' || order.cancel_requested_at !== undefined) this.unresolved.set(order.client_id, order);
    else this.unresolved.delete(order.client_id);
  }
}

/** Our record of an order updated with what the venue reports of it (a cancel still asked for stays asked for while it rests). */
export function merged(ours: Order, venue: VenueOrder): Order {
  const { purpose: _p, position_id: _id, created_at: _c, ...reported } = venue;
  const { cancel_requested_at: _asked, ...rest } = ours;
  return { ...rest, ...reported, client_id: ours.client_id, symbol: ours.symbol, type: ours.type, ...(venue.status === 'new' && ours.cancel_requested_at !== undefined ? { cancel_requested_at: ours.cancel_requested_at } : {}) };
}

function outcomeOf(order: Order): SendOutcome {
  if (order.status === 'filled') return { kind: 'filled', order };
  if (order.status === 'new') return { kind: 'resting', order };
  if (order.status === 'rejected') return { kind: 'rejected', order, code: 'OTHER', reason: order.reason ?? 'rejected' };
  return { kind: 'gone', order };
}
