/**
 * The trading objects as table rows and back. SQLite has no booleans and no "absent": booleans are 0/1
 * and an absent optional field is NULL, and on the way back NULL becomes an absent field again (never
 * `null`), so what `order()` returns is deep-equal to what `saveOrder()` was given. Objects are rebuilt
 * in the field order of the model, so JSON output made from them looks the same as before storage.
 */
import type { ClosedTrade, EntryPlan, ExitReason, Order, OrderPurpose, OrderSide, OrderStatus, Position, PositionSide } from '../broker/model.js';
import type { CycleRecord, DecisionRecord } from '../execution/journal.js';
import type { ExitMode } from '../policy/trading-policy.js';

export interface OrderRow {
  client_id: string;
  symbol: string;
  side: string;
  type: string;
  purpose: string;
  quantity: number;
  trigger_price: number | null;
  reduce_only: 0 | 1;
  position_id: string;
  status: string;
  created_at: number;
  updated_at: number;
  fill_price: number | null;
  filled_quantity: number | null;
  fee: number | null;
  reason: string | null;
  signal_id: string | null;
  cancel_requested_at: number | null;
  plan: string | null;
  exit_reason: string | null;
}

export function orderRow(o: Order): OrderRow {
  return {
    client_id: o.client_id, symbol: o.symbol, side: o.side, type: o.type, purpose: o.purpose, quantity: o.quantity,
    trigger_price: o.trigger_price ?? null, reduce_only: bit(o.reduce_only), position_id: o.position_id, status: o.status,
    created_at: o.created_at, updated_at: o.updated_at, fill_price: o.fill_price ?? null, filled_quantity: o.filled_quantity ?? null,
    fee: o.fee ?? null, reason: o.reason ?? null, signal_id: o.signal_id ?? null, cancel_requested_at: o.cancel_requested_at ?? null,
    plan: o.plan === undefined ? null : JSON.stringify(o.plan), exit_reason: o.exit_reason ?? null,
  };
}

export function orderFromRow(r: OrderRow): Order {
  return {
    client_id: r.client_id, symbol: r.symbol, side: r.side as OrderSide, type: r.type as Order['type'], purpose: r.purpose as OrderPurpose,
    quantity: r.quantity, ...present('trigger_price', r.trigger_price), reduce_only: r.reduce_only === 1, position_id: r.position_id,
    status: r.status as OrderStatus, created_at: r.created_at, updated_at: r.updated_at, ...present('fill_price', r.fill_price),
    ...present('filled_quantity', r.filled_quantity), ...present('fee', r.fee), ...present('reason', r.reason),
    ...present('signal_id', r.signal_id), ...present('cancel_requested_at', r.cancel_requested_at),
    ...(r.plan === null ? {} : { plan: JSON.parse(r.plan) as EntryPlan }), ...(r.exit_reason === null ? {} : { exit_reason: r.exit_reason as ExitReason }),
  };
}

export type PositionRow = Omit<Position, 'partial_taken'> & { partial_taken: 0 | 1 };

export function positionRow(p: Position): PositionRow {
  return {
    id: p.id, symbol: p.symbol, side: p.side, quantity: p.quantity, initial_quantity: p.initial_quantity, entry_price: p.entry_price,
    opened_at: p.opened_at, risk_per_unit: p.risk_per_unit, stop_price: p.stop_price, take_profit_price: p.take_profit_price,
    best_price: p.best_price, exit_mode: p.exit_mode, trail_pct: p.trail_pct, partial_tp_fraction: p.partial_tp_fraction,
    partial_tp_price: p.partial_tp_price, partial_taken: bit(p.partial_taken), realized_pnl: p.realized_pnl, fees: p.fees,
    entry_notional: p.entry_notional,
  };
}

export function positionFromRow(r: PositionRow): Position {
  return {
    id: r.id, symbol: r.symbol, side: r.side as PositionSide, quantity: r.quantity, initial_quantity: r.initial_quantity,
    entry_price: r.entry_price, opened_at: r.opened_at, risk_per_unit: r.risk_per_unit, stop_price: r.stop_price,
    take_profit_price: r.take_profit_price, best_price: r.best_price, exit_mode: r.exit_mode as ExitMode, trail_pct: r.trail_pct,
    partial_tp_fraction: r.partial_tp_fraction, partial_tp_price: r.partial_tp_price, partial_taken: r.partial_taken === 1,
    realized_pnl: r.realized_pnl, fees: r.fees, entry_notional: r.entry_notional,
  };
}

/** Every field of a closed trade is required and none is boolean: the row is the trade. */
export type TradeRow = ClosedTrade;

export function tradeRow(t: ClosedTrade): TradeRow {
  return {
    position_id: t.position_id, symbol: t.symbol, side: t.side, quantity: t.quantity, entry_price: t.entry_price,
    exit_price: t.exit_price, opened_at: t.opened_at, closed_at: t.closed_at, pnl: t.pnl, fees: t.fees, r_multiple: t.r_multiple,
    exit_reason: t.exit_reason, exit_mode: t.exit_mode,
  };
}

export function tradeFromRow(r: TradeRow): ClosedTrade {
  return { ...tradeRow(r), side: r.side as PositionSide, exit_reason: r.exit_reason as ExitReason, exit_mode: r.exit_mode as ExitMode };
}

export interface DecisionRow {
  id: string;
  time: number;
  symbol: string;
  action: string;
  reason: string;
  mode: string;
  policy_version: string | null;
  detail: string | null;
}

export function decisionRow(d: DecisionRecord): DecisionRow {
  return {
    id: d.id, time: d.time, symbol: d.symbol, action: d.action, reason: d.reason, mode: d.mode,
    policy_version: d.policy_version ?? null, detail: jsonText(d.detail),
  };
}

export function decisionFromRow(r: DecisionRow): DecisionRecord {
  return {
    id: r.id, time: r.time, symbol: r.symbol, action: r.action, reason: r.reason, mode: r.mode,
    ...present('policy_version', r.policy_version), ...presentJson('detail', r.detail),
  };
}

export interface CycleRow {
  time: number;
  mode: string;
  gate_open: 0 | 1;
  exit_mode: string;
  stance: string;
  min_confidence: number;
  max_risk_pct: number;
  policy: string | null;
}

export function cycleRow(c: CycleRecord): CycleRow {
  return {
    time: c.time, mode: c.mode, gate_open: bit(c.gate_open), exit_mode: c.exit_mode, stance: c.stance,
    min_confidence: c.min_confidence, max_risk_pct: c.max_risk_pct, policy: jsonText(c.policy),
  };
}

export function cycleFromRow(r: CycleRow): CycleRecord {
  return {
    time: r.time, mode: r.mode, gate_open: r.gate_open === 1, exit_mode: r.exit_mode, stance: r.stance,
    min_confidence: r.min_confidence, max_risk_pct: r.max_risk_pct, ...presentJson('policy', r.policy),
  };
}

/**
 * JSON text of a value, or NULL for `undefined` (which JSON cannot express). A JSON `null` is stored as
 * the text 'null', so it comes back as `null`, not as an absent field.
 */
export function jsonText(value: unknown): string | null {
  return value === undefined ? null : (JSON.stringify(value) ?? null);
}

function presentJson<K extends string>(key: K, text: string | null): { [P in K]?: unknown } {
  return (text === null ? {} : { [key]: JSON.parse(text) as unknown }) as { [P in K]?: unknown };
}

function bit(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

function present<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
