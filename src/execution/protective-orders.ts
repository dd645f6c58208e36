import { OrderRejected, VenueUnavailable, type Broker, type OrderRequest } from '../broker/broker.js';
import type { Order, OrderPurpose, Position } from '../broker/model.js';
import type { Logger } from '../logger.js';

/** The orders resting at the venue for one position. */
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

const KIND: Readonly<Record<Slot, string>> = { stop: 's', takeProfit: 't', partial: 'p' };

/** What placing an order came to: the order resting now, or why there is none. */
export type Placement =
  | { readonly ok: true; readonly order: Order }
  | { readonly ok: false; readonly reason: 'EXCHANGE_UNAVAILABLE' | 'ORDER_REJECTED'; readonly detail: string };

/**
 * The stop-loss, take-profit and partial take-profit of every open position, as reduce-only orders at
 * the venue. Client ids are `<position>-<kind><revision>` and a revision is never used twice, so a
 * replacement, a retry or a restart can never collide with an older order.
 */
export class ProtectiveOrders {
  private readonly byPosition = new Map<string, Protective>();
  private readonly revisions = new Map<string, number>();

  constructor(
    private readonly broker: Broker,
    private readonly logger: Logger,
  ) {}

  /** Takes back the resting orders of the open positions (from the store after a restart). */
  restore(orders: readonly Order[], isOpen: (positionId: string) => boolean): void {
    for (const order of orders) {
      const slot = SLOT_OF_PURPOSE[order.purpose];
      if (slot !== undefined && isOpen(order.position_id)) this.of(order.position_id)[slot] = order;
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

  positions(): [string, Protective][] {
    return [...this.byPosition];
  }

  /** The order is no longer resting (filled, cancelled, expired): its slot is free. */
  release(order: Order): void {
    const slot = SLOT_OF_PURPOSE[order.purpose];
    const slots = this.byPosition.get(order.position_id);
    if (slot !== undefined && slots?.[slot]?.client_id === order.client_id) delete slots[slot];
  }

  async place(position: Position, slot: Slot, purpose: OrderPurpose, trigger: number, quantity: number, time: number): Promise<Placement> {
    const old = this.of(position.id)[slot];
    const key = `${position.id}-${KIND[slot]}`;
    let revision = Math.max(old === undefined ? 0 : revisionOf(old.client_id) + 1, (this.revisions.get(key) ?? -1) + 1);
    const request = (): OrderRequest => ({
      client_id: `${key}${revision}`,
      symbol: position.symbol,
      side: position.side === 'long' ? 'sell' : 'buy',
      type: slot === 'stop' ? 'stop-market' : 'take-profit-market',
      purpose,
      quantity,
      trigger_price: trigger,
      reduce_only: true,
      position_id: position.id,
      expected_price: trigger,
      time,
    });
    try {
      let order = await this.broker.submit(request());
      // The id was used before (an order from before a restart, since cancelled or filled): take the next one.
      for (let tries = 0; order.status !== 'new' && tries < 50; tries++) {
        revision++;
        order = await this.broker.submit(request());
      }
      this.revisions.set(key, revision);
      this.of(position.id)[slot] = order;
      return order.status === 'new' ? { ok: true, order } : { ok: false, reason: 'ORDER_REJECTED', detail: `${order.client_id} is ${order.status}` };
    } catch (error) {
      if (error instanceof VenueUnavailable) return { ok: false, reason: 'EXCHANGE_UNAVAILABLE', detail: error.message };
      if (!(error instanceof OrderRejected)) throw error;
      // A refused id stays refused at the venue: the next attempt needs a new one. (After a venue outage the
      // same id is kept on purpose: the order may have arrived, and the id makes the retry safe.)
      this.revisions.set(key, revision);
      this.logger.warn({ position_id: position.id, client_id: request().client_id, reason: error.reason }, `${purpose} order rejected`);
      return { ok: false, reason: 'ORDER_REJECTED', detail: error.reason };
    }
  }

  /** Cancel/replace: the new order is placed before the old one is cancelled, so a stop is never missing. */
  async replace(position: Position, slot: Slot, purpose: OrderPurpose, trigger: number, quantity: number, time: number): Promise<{ placement: Placement; cancelled?: Order }> {
    const old = this.of(position.id)[slot];
    const placement = await this.place(position, slot, purpose, trigger, quantity, time);
    if (!placement.ok || old === undefined) return { placement };
    const cancelled = await this.cancel(old, time, 'the replacement protects the position');
    return cancelled === undefined ? { placement } : { placement, cancelled };
  }

  /** Cancels every order of a position that no longer exists and forgets them. */
  async cancelAll(positionId: string, time: number): Promise<Order[]> {
    const cancelled: Order[] = [];
    for (const order of Object.values(this.of(positionId)) as Order[]) {
      // A reduce-only order of a closed position has nothing to reduce: a failed cancel is logged, not fatal.
      const done = await this.cancel(order, time, 'it cannot reduce a closed position');
      if (done !== undefined) cancelled.push(done);
    }
    this.byPosition.delete(positionId);
    return cancelled;
  }

  private async cancel(order: Order, time: number, whyHarmless: string): Promise<Order | undefined> {
    try {
      return await this.broker.cancel(order.client_id, order.symbol, time);
    } catch (error) {
      if (!(error instanceof VenueUnavailable)) throw error;
      this.logger.warn({ client_id: order.client_id }, `could not cancel ${order.client_id} (${whyHarmless}): ${error.message}`);
      return undefined;
    }
  }
}

function revisionOf(clientId: string): number {
  return Number(/(\d+)$/.exec(clientId)?.[1] ?? 0);
}
