import type { ClosedTrade, ExitReason, Order, Position, PositionSide } from '../broker/model.js';
import type { ExitMode, ExitParams } from '../policy/trading-policy.js';
import { roundToTick, type Sizing } from './position-sizer.js';

/** The position an entry fill opens, with the exit levels the sizing chose. */
export function openedPosition(args: {
  readonly id: string;
  readonly symbol: string;
  readonly side: PositionSide;
  readonly fill: Order;
  readonly sizing: Extract<Sizing, { ok: true }>;
  readonly exitMode: ExitMode;
  readonly exitParams: ExitParams;
  /** The cycle (candle close) that opened it: what "opened before this bar" is judged against. */
  readonly time: number;
}): Position {
  const { fill, sizing } = args;
  const price = fill.fill_price!;
  const quantity = fill.filled_quantity ?? fill.quantity;
  return {
    id: args.id,
    symbol: args.symbol,
    side: args.side,
    quantity,
    initial_quantity: quantity,
    entry_price: price,
    opened_at: args.time,
    // Slippage moved the entry, not the stop: the risk actually taken is measured from the fill.
    risk_per_unit: Math.abs(price - sizing.stop_price),
    stop_price: sizing.stop_price,
    take_profit_price: sizing.take_profit_price,
    best_price: price,
    exit_mode: args.exitMode,
    trail_pct: args.exitParams.trail_pct,
    partial_tp_fraction: args.exitParams.partial_tp_fraction,
    partial_tp_price: sizing.partial_tp_price,
    partial_taken: false,
    realized_pnl: 0,
    fees: fill.fee ?? 0,
    entry_notional: price * quantity,
  };
}

const REASON_OF_PURPOSE: Partial<Record<Order['purpose'], ExitReason>> = {
  'stop-loss': 'stop-loss',
  'trailing-stop': 'trailing-stop',
  'take-profit': 'take-profit',
  'partial-take-profit': 'take-profit',
};

/**
 * Applies one exit fill (stop, take-profit, partial take-profit or a market exit) to a position. Returns
 * the rest of the position, or the closed trade when nothing is left. PnL is gross in `realized_pnl` and
 * fees are kept apart, so the trade's pnl is net and its R multiple is net PnL over the initial risk.
 */
export function applyExitFill(position: Position, fill: Order, marketExitReason: ExitReason = 'exit-signal', stepSize?: number): { position?: Position; trade?: ClosedTrade } {
  const quantity = Math.min(fill.filled_quantity ?? fill.quantity, position.quantity);
  const direction = position.side === 'long' ? 1 : -1;
  const gross = direction * (fill.fill_price! - position.entry_price) * quantity;
  const remaining = remainingQuantity(position, quantity, stepSize);
  const next: Position = {
    ...position,
    quantity: remaining,
    realized_pnl: position.realized_pnl + gross,
    fees: position.fees + (fill.fee ?? 0),
    partial_taken: position.partial_taken || fill.purpose === 'partial-take-profit',
  };
  if (remaining > 0) return { position: next };
  const closedQuantity = position.initial_quantity;
  const pnl = next.realized_pnl - next.fees;
  const initialRisk = position.risk_per_unit * closedQuantity;
  return {
    trade: {
      position_id: position.id,
      symbol: position.symbol,
      side: position.side,
      quantity: closedQuantity,
      entry_price: position.entry_price,
      exit_price: position.entry_price + next.realized_pnl / (direction * closedQuantity),
      opened_at: position.opened_at,
      closed_at: fill.updated_at,
      pnl,
      fees: next.fees,
      r_multiple: initialRisk > 0 ? pnl / initialRisk : 0,
      exit_reason: REASON_OF_PURPOSE[fill.purpose] ?? marketExitReason,
      exit_mode: position.exit_mode,
    },
  };
}

/** Unrealised PnL of a position at a price (gross, before exit fees). */
export function unrealizedPnl(position: Position, price: number): number {
  return (position.side === 'long' ? 1 : -1) * (price - position.entry_price) * position.quantity;
}

/**
 * What stays open after an exit of `filled`, as a whole number of steps (the canonical float the venue
 * holds too; see applyFill in the paper broker). Dust, i.e. less than half a step, is nothing: the
 * position is closed and the trade recorded, never left as a phantom the venue no longer holds. Without
 * the step, dust is anything under a billionth of the position's initial size.
 */
export function remainingQuantity(position: Pick<Position, 'quantity' | 'initial_quantity'>, filled: number, stepSize?: number): number {
  const rest = position.quantity - filled;
  if (stepSize !== undefined && stepSize > 0) {
    const steps = Math.round(rest / stepSize);
    return steps <= 0 ? 0 : roundToTick(rest, stepSize);
  }
  return rest <= position.initial_quantity * 1e-9 ? 0 : rest;
}
