import type { OrderRequest } from '../broker.js';
import type { Order, OrderSide } from '../model.js';
import { isFiniteNumber, show } from './request-checks.js';

/** The order a well-formed request places, before the venue acts on it (status new). */
export function placedOrder(request: OrderRequest): Order {
  return {
    client_id: request.client_id,
    symbol: request.symbol,
    side: request.side,
    type: request.type,
    purpose: request.purpose,
    // Echoed exactly as asked (the caller's arithmetic matches fills to its own numbers); on the grid within float dust.
    quantity: request.quantity,
    ...(request.type === 'market' ? {} : { trigger_price: request.trigger_price! }),
    reduce_only: request.reduce_only,
    position_id: request.position_id,
    status: 'new',
    created_at: request.time,
    updated_at: request.time,
  };
}

/** The refusal of a request as it came (malformed numbers as 0, so the snapshot stays valid JSON). */
export function rejectedOrder(request: OrderRequest, reason: string): Order {
  const text = (value: unknown) => (typeof value === 'string' ? value : show(value));
  const number = (value: unknown) => (isFiniteNumber(value) ? value : 0);
  return {
    client_id: request.client_id,
    symbol: text(request.symbol),
    side: text(request.side) as OrderSide,
    type: text(request.type) as Order['type'],
    purpose: text(request.purpose) as Order['purpose'],
    quantity: number(request.quantity),
    ...(isFiniteNumber(request.trigger_price) ? { trigger_price: request.trigger_price } : {}),
    reduce_only: request.reduce_only === true,
    position_id: text(request.position_id),
    status: 'rejected',
    created_at: number(request.time),
    updated_at: number(request.time),
    reason,
  };
}
