import type { Order } from '../model.js';
import { ORDER_PURPOSES, ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES, isFiniteNumber, show } from './request-checks.js';

export const PAPER_BROKER_FORMAT = 'quantum-trader/paper-broker@1';

/**
 * The whole venue as plain JSON, written by the store with every committed cycle. Orders of every status
 * are kept: after a restart a retried client id must still find its fill or its rejection.
 */
export interface PaperBrokerJSON {
  readonly format: typeof PAPER_BROKER_FORMAT;
  /** Cash: initial balance + realised PnL − fees. */
  readonly balance: number;
  readonly positions: readonly { readonly symbol: string; readonly quantity: number; readonly entry_price: number }[];
  readonly orders: readonly Order[];
  readonly marks: readonly { readonly symbol: string; readonly price: number }[];
  /**
   * Close time of the last bar processed per symbol, so a bar handed over again is not traded twice.
   * Optional: snapshots written before it existed restore without it.
   */
  readonly bars?: readonly { readonly symbol: string; readonly close_time: number }[];
  /** Funding received (positive) or paid (negative) per symbol since the start; optional like `bars`. */
  readonly funding?: readonly { readonly symbol: string; readonly amount: number }[];
}

/** Checks a stored snapshot field by field; a bad one throws an error that says where and what. */
export function parseSnapshot(json: unknown): PaperBrokerJSON {
  const fail = (where: string, what: string): never => {
    throw new Error(`paper broker snapshot: ${where === '' ? what : `${where} ${what}`}`);
  };
  if (!isRecord(json)) return fail('', `must be an object, got ${show(json)}`);
  if (json.format !== PAPER_BROKER_FORMAT) return fail('format', `must be ${PAPER_BROKER_FORMAT}, got ${show(json.format)}`);
  if (!isFiniteNumber(json.balance)) return fail('balance', `must be a finite number, got ${show(json.balance)}`);
  const list = (name: string): unknown[] => (Array.isArray(json[name]) ? (json[name] as unknown[]) : fail(name, `must be a list, got ${show(json[name])}`));
  const symbolOf = (where: string, value: unknown, seen: Set<string>): string => {
    if (typeof value !== 'string' || value === '') return fail(`${where}.symbol`, `must be a non-empty string, got ${show(value)}`);
    if (seen.has(value)) return fail(`${where}.symbol`, `${value} appears twice`);
    seen.add(value);
    return value;
  };
  const record = (where: string, value: unknown): Record<string, unknown> => (isRecord(value) ? value : fail(where, `must be an object, got ${show(value)}`));

  const positionSymbols = new Set<string>();
  const positions = list('positions').map((item, i) => {
    const p = record(`positions[${i}]`, item);
    const symbol = symbolOf(`positions[${i}]`, p.symbol, positionSymbols);
    if (!isFiniteNumber(p.quantity) || p.quantity === 0) return fail(`positions[${i}].quantity`, `must be a non-zero signed quantity, got ${show(p.quantity)}`);
    if (!isFiniteNumber(p.entry_price) || p.entry_price <= 0) return fail(`positions[${i}].entry_price`, `must be a positive price, got ${show(p.entry_price)}`);
    return { symbol, quantity: p.quantity, entry_price: p.entry_price };
  });

  const clientIds = new Set<string>();
  const orders = list('orders').map((item, i) => {
    const o = record(`orders[${i}]`, item);
    const where = `orders[${i}]`;
    if (typeof o.client_id !== 'string' || o.client_id === '') return fail(`${where}.client_id`, `must be a non-empty string, got ${show(o.client_id)}`);
    if (clientIds.has(o.client_id)) return fail(`${where}.client_id`, `${o.client_id} appears twice`);
    clientIds.add(o.client_id);
    const status = o.status as Order['status'];
    if (!ORDER_STATUSES.includes(status)) return fail(`${where}.status`, `must be one of ${ORDER_STATUSES.join(', ')}, got ${show(o.status)}`);
    for (const field of ['symbol', 'position_id'] as const) if (typeof o[field] !== 'string') fail(`${where}.${field}`, `must be a string, got ${show(o[field])}`);
    if (typeof o.reduce_only !== 'boolean') fail(`${where}.reduce_only`, `must be true or false, got ${show(o.reduce_only)}`);
    for (const field of ['quantity', 'created_at', 'updated_at'] as const) if (!isFiniteNumber(o[field])) fail(`${where}.${field}`, `must be a finite number, got ${show(o[field])}`);
    for (const field of ['trigger_price', 'fill_price', 'filled_quantity', 'fee'] as const) {
      if (o[field] !== undefined && !isFiniteNumber(o[field])) fail(`${where}.${field}`, `must be a finite number when present, got ${show(o[field])}`);
    }
    if (o.reason !== undefined && typeof o.reason !== 'string') fail(`${where}.reason`, `must be a string when present, got ${show(o.reason)}`);
    // A rejected request is remembered as it came, however malformed; everything else the venue accepted.
    if (status !== 'rejected') {
      if (!ORDER_SIDES.includes(o.side as Order['side'])) fail(`${where}.side`, `must be buy or sell, got ${show(o.side)}`);
      if (!ORDER_TYPES.includes(o.type as Order['type'])) fail(`${where}.type`, `must be one of ${ORDER_TYPES.join(', ')}, got ${show(o.type)}`);
      if (!ORDER_PURPOSES.includes(o.purpose as Order['purpose'])) fail(`${where}.purpose`, `must be one of ${ORDER_PURPOSES.join(', ')}, got ${show(o.purpose)}`);
      if ((o.quantity as number) <= 0) fail(`${where}.quantity`, `must be positive, got ${show(o.quantity)}`);
      if (o.type !== 'market' && !((o.trigger_price as number) > 0)) fail(`${where}.trigger_price`, `is required for a ${String(o.type)} order`);
    }
    if (status === 'new' && o.type === 'market') fail(`${where}.status`, 'new is impossible for a market order (it fills or is rejected at once)');
    if (status === 'filled' && !((o.fill_price as number) > 0 && (o.filled_quantity as number) > 0 && (o.fee as number) >= 0)) {
      fail(where, 'is filled but lacks a positive fill_price and filled_quantity and a fee');
    }
    return o as unknown as Order;
  });

  const markSymbols = new Set<string>();
  const marks = list('marks').map((item, i) => {
    const m = record(`marks[${i}]`, item);
    const symbol = symbolOf(`marks[${i}]`, m.symbol, markSymbols);
    if (!isFiniteNumber(m.price) || m.price <= 0) return fail(`marks[${i}].price`, `must be a positive price, got ${show(m.price)}`);
    return { symbol, price: m.price };
  });

  const barSymbols = new Set<string>();
  const bars = json.bars === undefined
    ? []
    : list('bars').map((item, i) => {
        const b = record(`bars[${i}]`, item);
        const symbol = symbolOf(`bars[${i}]`, b.symbol, barSymbols);
        if (!isFiniteNumber(b.close_time)) return fail(`bars[${i}].close_time`, `must be epoch milliseconds, got ${show(b.close_time)}`);
        return { symbol, close_time: b.close_time };
      });

  const fundingSymbols = new Set<string>();
  const funding = json.funding === undefined
    ? []
    : list('funding').map((item, i) => {
        const f = record(`funding[${i}]`, item);
        const symbol = symbolOf(`funding[${i}]`, f.symbol, fundingSymbols);
        if (!isFiniteNumber(f.amount)) return fail(`funding[${i}].amount`, `must be a finite amount, got ${show(f.amount)}`);
        return { symbol, amount: f.amount };
      });

  return { format: PAPER_BROKER_FORMAT, balance: json.balance, positions, orders, marks, bars, funding };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
