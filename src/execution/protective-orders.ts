import type { RejectionCode } from '../broker/broker.js';
import type { Order, OrderPurpose, Position } from '../broker/model.js';
import type { OrderGateway, SendOutcome } from './order-gateway.js';

/** The orders protecting one position: each slot holds the order resting now (or one still in flight). */
export interface Protective {
  stop?: Order;
  takeProfit?: Order;
  partial?: Order;
}

export type Slot = keyof Protective;

export const SLOT_OF_PURPOSE: Partial<Record<OrderPurpose, Slot>> = {
  'stop-loss': 'stop',
  'trailing-stop': 'stop',
  'take-profit': 'takeProfit',
  'partial-take-profit': 'partial',
};

/** What placing an order came to: the order resting now, or why there is none. */
export type Placement =
  | { readonly ok: true; readonly order: Order }
  | { readonly ok: false; readonly reason: 'EXCHANGE_UNAVAILABLE' | 'ORDER_REJECTED'; readonly code?: RejectionCode; readonly detail: string };

/**
 * The stop-loss, take-profit and partial take-profit of every open position, as reduce-only orders at
 * the venue, and the orders that must go: replaced revisions, orders of closed positions, and orders of
 * ours found at the venue that protect nothing. Those are cancelled again on every cycle until the venue
 * confirms; until then no new entry is made on their symbol, since a reduce-only order left resting
 * would act on the next position there.
 */
export class ProtectiveOrders {
  private readonly byPosition = new Map<string, Protective>();
  private readonly stale = new Map<string, Order>();

  constructor(private readonly gateway: OrderGateway) {}

  /** Takes back resting (and in-flight) protective orders of open positions from the store; the others are stale. */
  restore(orders: readonly Order[], isOpen: (positionId: string) => boolean): void {
    for (const order of orders) {
      const slot = SLOT_OF_PURPOSE[order.purpose];
      if (slot === undefined || (order.status !== 'new' && order.status !== 'pending')) continue;
      if (!isOpen(order.position_id)) this.retire(order);
      else this.hold(order);
    }
  }

  of(positionId: string): Protective {
    let slots = this.byPosition.get(positionId);
    if (slots === undefined) {
      slots = {};
      this.byPosition.set(positionId, slots);
    }
    return slots;
  }

  /** Every protective order we believe to be resting or in flight, current or stale. */
  all(): Order[] {
    const orders: Order[] = [...this.stale.values()];
    for (const slots of this.byPosition.values()) orders.push(...(Object.values(slots) as Order[]));
    return orders;
  }

  isStale(clientId: string): boolean {
    return this.stale.has(clientId);
  }

  /** Whether orders that must go are still resting on this symbol. */
  hasStale(symbol: string): boolean {
    return [...this.stale.values()].some((o) => o.symbol === symbol);
  }

  /** The order is no longer resting (filled, cancelled, expired): its slot is free. */
  release(order: Order): void {
    this.stale.delete(order.client_id);
    const slot = SLOT_OF_PURPOSE[order.purpose];
    const slots = this.byPosition.get(order.position_id);
    if (slot !== undefined && slots?.[slot]?.client_id === order.client_id) delete slots[slot];
  }

  /** Puts an order (resting or in flight) in its slot; the order it displaces becomes stale. */
  hold(order: Order): void {
    const slot = SLOT_OF_PURPOSE[order.purpose];
    if (slot === undefined) return;
    const slots = this.of(order.position_id);
    const displaced = slots[slot];
    if (displaced !== undefined && displaced.client_id !== order.client_id) this.retire(displaced);
    slots[slot] = order;
  }

  /** The order must be cancelled. */
  retire(order: Order): void {
    this.stale.set(order.client_id, order);
    const slot = SLOT_OF_PURPOSE[order.purpose];
    const slots = this.byPosition.get(order.position_id);
    if (slot !== undefined && slots?.[slot]?.client_id === order.client_id) delete slots[slot];
  }

  /** Every order of a position that no longer exists must go. */
  retireAll(positionId: string): void {
    for (const order of Object.values(this.of(positionId)) as Order[]) this.retire(order);
    this.byPosition.delete(positionId);
  }

  async place(position: Position, slot: Slot, purpose: OrderPurpose, trigger: number, quantity: number, time: number): Promise<Placement> {
    const outcome = await this.gateway.place({
      symbol: position.symbol, side: position.side === 'long' ? 'sell' : 'buy', type: slot === 'stop' ? 'stop-market' : 'take-profit-market', purpose, quantity,
      trigger_price: trigger, reduce_only: true, position_id: position.id, expected_price: trigger,
    }, time);
    switch (outcome.kind) {
      case 'resting':
        this.hold(outcome.order);
        return { ok: true, order: outcome.order };
      case 'unknown':
        // In flight: held in an empty slot so nothing is placed twice; a resting order it was to replace
        // stays until the new one is confirmed. The next cycle finds out what became of it.
        if (this.of(position.id)[slot] === undefined) this.hold(outcome.order);
        return { ok: false, reason: 'EXCHANGE_UNAVAILABLE', detail: outcome.error };
      case 'rejected':
        return { ok: false, reason: 'ORDER_REJECTED', code: outcome.code, detail: outcome.reason };
      default:
        return { ok: false, reason: 'ORDER_REJECTED', detail: `${outcome.order.client_id} is ${outcome.order.status}` };
    }
  }

  /** Cancel/replace: the new order is placed before the old one goes, so a stop is never missing. */
  async replace(position: Position, slot: Slot, purpose: OrderPurpose, trigger: number, quantity: number, time: number): Promise<Placement> {
    const old = this.of(position.id)[slot];
    const placement = await this.place(position, slot, purpose, trigger, quantity, time);
    if (placement.ok && old !== undefined) this.retire(old);
    return placement;
  }

  /**
   * Cancels every stale order. Returns what the venue said of each: `filled` ones filled before the cancel
   * arrived and must be applied by the caller; `unknown` ones stay stale and are tried again next time.
   */
  async cancelStale(time: number): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = [];
    for (const order of [...this.stale.values()]) {
      const outcome = await this.gateway.cancel(order, time);
      if (outcome.kind !== 'unknown' && outcome.kind !== 'resting') this.release(order);
      outcomes.push(outcome);
    }
    return outcomes;
  }
}
