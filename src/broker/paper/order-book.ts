import type { Order } from '../model.js';

/**
 * Every order the paper venue has seen, by client id (the memory that makes submit idempotent), and
 * the resting ones (status new) per symbol in placement order: the ones a candle can act on.
 */
export class OrderBook {
  private readonly all = new Map<string, Order>();
  private readonly resting = new Map<string, Map<string, Order>>();

  /** Records the order as it stands now; it rests while its status is new. */
  put(order: Order): void {
    this.all.set(order.client_id, order);
    let resting = this.resting.get(order.symbol);
    if (order.status === 'new') {
      if (resting === undefined) this.resting.set(order.symbol, (resting = new Map()));
      resting.set(order.client_id, order);
    } else {
      resting?.delete(order.client_id);
    }
  }

  get(clientId: string): Order | undefined {
    return this.all.get(clientId);
  }

  /** Every order ever seen, in the order first seen. */
  orders(): Order[] {
    return [...this.all.values()];
  }

  /** The resting order with this id, if it still rests on this symbol. */
  restingOrder(symbol: string, clientId: string): Order | undefined {
    return this.resting.get(symbol)?.get(clientId);
  }

  /** Resting orders of one symbol, or of all, in placement order (a copy: safe to change the book while walking it). */
  restingOrders(symbol?: string): Order[] {
    const bySymbol = symbol === undefined ? [...this.resting.values()] : [this.resting.get(symbol) ?? new Map<string, Order>()];
    return bySymbol.flatMap((orders) => [...orders.values()]);
  }

  hasResting(symbol: string): boolean {
    return (this.resting.get(symbol)?.size ?? 0) > 0;
  }
}
