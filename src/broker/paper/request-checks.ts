import type { OrderRequest } from '../broker.js';
import type { MarketRules, Order, OrderPurpose } from '../model.js';
import { isMultipleOf } from './increments.js';

export const ORDER_TYPES: readonly Order['type'][] = ['market', 'stop-market', 'take-profit-market'];
export const ORDER_SIDES: readonly Order['side'][] = ['buy', 'sell'];
export const ORDER_PURPOSES: readonly OrderPurpose[] = ['entry', 'stop-loss', 'take-profit', 'partial-take-profit', 'trailing-stop', 'exit'];
export const ORDER_STATUSES: readonly Order['status'][] = ['new', 'filled', 'cancelled', 'rejected'];

/**
 * Why a request cannot be an order at all, whatever the account holds: malformed fields (the typed
 * caller can still hand over NaN or a non-finite time, and a NaN must never reach the books) and the
 * exchange's quantity, price and size filters. Undefined when it is well formed.
 */
export function requestProblem(r: OrderRequest, rules: MarketRules): string | undefined {
  if (typeof r.symbol !== 'string' || r.symbol.trim() === '') return `symbol must be a non-empty string, got ${show(r.symbol)}`;
  if (!ORDER_SIDES.includes(r.side)) return `side must be buy or sell, got ${show(r.side)}`;
  if (!ORDER_TYPES.includes(r.type)) return `type must be one of ${ORDER_TYPES.join(', ')}, got ${show(r.type)}`;
  if (!ORDER_PURPOSES.includes(r.purpose)) return `purpose must be one of ${ORDER_PURPOSES.join(', ')}, got ${show(r.purpose)}`;
  if (typeof r.reduce_only !== 'boolean') return `reduce_only must be true or false, got ${show(r.reduce_only)}`;
  if (typeof r.position_id !== 'string') return `position_id must be a string, got ${show(r.position_id)}`;
  if (!isFiniteNumber(r.time)) return `time must be epoch milliseconds, got ${show(r.time)}`;
  if (!isFiniteNumber(r.quantity) || r.quantity <= 0) return `quantity must be a positive number, got ${show(r.quantity)}`;
  if (!isFiniteNumber(r.expected_price) || r.expected_price <= 0) return `expected_price must be a positive price, got ${show(r.expected_price)}`;
  if (r.type !== 'market') {
    if (!isFiniteNumber(r.trigger_price) || r.trigger_price <= 0) return `${r.type} needs a positive trigger_price, got ${show(r.trigger_price)}`;
    if (!isMultipleOf(r.trigger_price, rules.tick_size)) return `trigger_price ${r.trigger_price} is not a multiple of the tick size ${rules.tick_size}`;
  }
  if (!isMultipleOf(r.quantity, rules.step_size)) return `quantity ${r.quantity} is not a multiple of the step size ${rules.step_size}`;
  if (r.quantity < rules.min_quantity * (1 - 1e-9)) return `quantity ${r.quantity} is under the minimum quantity ${rules.min_quantity}`;
  return undefined;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function show(value: unknown): string {
  if (typeof value === 'number' || value === undefined) return String(value);
  return JSON.stringify(value) ?? String(value);
}
