import type { Order } from '../model.js';
import { roundTo } from './increments.js';
import { applyFill, type FillEffect, type NetPosition } from './net-position.js';

/** What one fill does to the books. */
export interface BookedFill {
  /** What trades: the order's quantity, a reduce-only one capped to the position it reduces. */
  readonly quantity: number;
  readonly fee: number;
  readonly effect: FillEffect;
  /** The cash after the fill: realised PnL in, fee out. */
  readonly cash: number;
}

/**
 * Books an order filling at `price` against the symbol's position (`before`) and the cash; undefined
 * when a reduce-only order has nothing left to reduce. Throws rather than put a non-finite number on the books.
 */
export function bookFill(order: Order, price: number, before: NetPosition | undefined, cash: number, stepSize: number, takerFeeRate: number): BookedFill | undefined {
  const sign = order.side === 'buy' ? 1 : -1;
  let quantity = order.quantity;
  if (order.reduce_only) {
    const reducible = before !== undefined && Math.sign(before.quantity) === -sign ? Math.abs(before.quantity) : 0;
    if (reducible === 0) return undefined;
    // Capped only when really larger: a quantity equal to the position but for float dust closes it as asked.
    if (roundTo(quantity - reducible, stepSize) > 0) quantity = reducible;
  }
  const fee = quantity * price * takerFeeRate;
  const effect = applyFill(before, sign * quantity, price, stepSize);
  const after = cash + effect.realized - fee;
  if (![fee, after, effect.realized, effect.position?.quantity ?? 0, effect.position?.entry_price ?? 0].every(Number.isFinite)) {
    throw new Error(`paper broker: fill of ${order.client_id} at ${price} would put a non-finite number on the books`);
  }
  return { quantity, fee, effect, cash: after };
}

/** Reduce-only orders of a position that closed (or flipped) have nothing left to protect. */
export function staleReduceOnly(resting: readonly Order[], held: number): Order[] {
  return resting.filter((o) => o.reduce_only && Math.sign(held) !== (o.side === 'buy' ? -1 : 1));
}
