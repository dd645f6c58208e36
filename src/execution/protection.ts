import type { OrderPurpose, Position } from '../broker/model.js';
import type { Candle } from '../market/candle.js';
import type { CycleContext, Desk } from './desk.js';
import { adoptExitMode, trail } from './exit-policy.js';
import { cancelStale, exitAtMarket } from './exits.js';
import { roundDown } from './position-sizer.js';
import type { Placement, Slot } from './protective-orders.js';

/**
 * Places a new position's stop, take-profit and partial take-profit. Without a stop the position is
 * closed at once: a stop the venue refuses because the price already passed it ("would immediately
 * trigger") is recorded as such and the position exits at market, as the stop would have.
 */
export async function protect(desk: Desk, position: Position, ctx: CycleContext): Promise<void> {
  if (!(await placeStop(desk, position, ctx, 'stop-loss'))) return;
  await place(desk, position, 'takeProfit', 'take-profit', position.take_profit_price, position.quantity, ctx);
  const rules = desk.broker.marketRules(position.symbol);
  const partial = roundDown(position.quantity * position.partial_tp_fraction, rules.step_size);
  if (!position.partial_taken && partial >= rules.min_quantity && partial > 0 && partial < position.quantity && partial * position.partial_tp_price >= rules.min_notional) {
    await place(desk, position, 'partial', 'partial-take-profit', position.partial_tp_price, partial, ctx);
  }
}

/**
 * Every open position must have a resting stop for its whole size on the side that reduces it. One
 * without (the venue dropped it, a placement failed, a restart found it missing, the position grew) gets
 * one again at its level, or is closed at market when the price is already beyond that level. A stop
 * still in flight counts as present until the venue says otherwise.
 */
export async function ensureStops(desk: Desk, ctx: CycleContext): Promise<void> {
  for (const position of desk.book.all()) {
    const stop = desk.protective.of(position.id).stop;
    const closing = position.side === 'long' ? 'sell' : 'buy';
    const covers = stop !== undefined && stop.side === closing && stop.quantity >= position.quantity * (1 - 1e-9);
    if (covers) continue;
    const price = desk.book.mark(position);
    const beyond = position.side === 'long' ? price <= position.stop_price : price >= position.stop_price;
    desk.decide(ctx, position.symbol, 'protection-repaired', beyond ? 'STOP_ALREADY_PASSED' : stop === undefined ? 'STOP_MISSING' : 'STOP_TOO_SMALL', {
      position_id: position.id, stop_price: position.stop_price, price, quantity: position.quantity, ...(stop === undefined ? {} : { stop_quantity: stop.quantity, stop_side: stop.side }),
    }, 'warn');
    if (beyond) {
      await exitAtMarket(desk, position, 'stop-loss', ctx, 'its stop was missing and the price is already beyond it');
      continue;
    }
    if (await placeStop(desk, position, ctx, 'trailing-stop')) await cancelStale(desk, ctx);
  }
}

/** Exit-mode adoption and trailing on a closed bar, with the orders at the venue moved to match. */
export async function manage(desk: Desk, position: Position, candle: Candle, ctx: CycleContext): Promise<void> {
  const rules = desk.broker.marketRules(position.symbol);
  let next = position;
  if (ctx.enforced.exit_mode !== position.exit_mode) {
    next = adoptExitMode(next, ctx.enforced.exit_mode, ctx.enforced.exit_params, candle.close, rules);
    desk.decide(ctx, position.symbol, 'exit-mode-changed', `${position.exit_mode} -> ${ctx.enforced.exit_mode}`, {
      position_id: position.id, stop_price: [position.stop_price, next.stop_price], take_profit_price: [position.take_profit_price, next.take_profit_price],
    });
  }
  next = trail(next, candle, rules);
  if (next === position) return;
  desk.book.set(next);
  desk.ledger.savePosition(next);
  const slots = desk.protective.of(next.id);
  if (next.stop_price !== position.stop_price) await replaceOrExit(desk, next, ctx);
  if (next.take_profit_price !== position.take_profit_price && slots.takeProfit !== undefined) {
    await replace(desk, next, 'takeProfit', 'take-profit', next.take_profit_price, next.quantity, ctx);
  }
  if (!next.partial_taken && next.partial_tp_price !== position.partial_tp_price && slots.partial !== undefined) {
    await replace(desk, next, 'partial', 'partial-take-profit', next.partial_tp_price, slots.partial.quantity, ctx);
  }
}

/** A moved stop replaces the resting one; a level the price has already passed closes the position instead. */
async function replaceOrExit(desk: Desk, position: Position, ctx: CycleContext): Promise<void> {
  const placement = await desk.protective.replace(position, 'stop', 'trailing-stop', position.stop_price, position.quantity, ctx.time);
  if (placement.ok) {
    await cancelStale(desk, ctx); // the replaced stop goes as soon as its successor rests
    return;
  }
  recordFailure(desk, position, 'trailing-stop', placement, ctx);
  // The old stop keeps resting when the new one is refused; only a passed level needs acting on now.
  if (placement.code === 'WOULD_TRIGGER') await exitAtMarket(desk, position, 'trailing-stop', ctx, 'the trailed stop level was already passed (the exchange refused it as "would immediately trigger")');
}

/** Places a stop; a refusal closes the position at market (a position must not stay without a stop). */
async function placeStop(desk: Desk, position: Position, ctx: CycleContext, purpose: OrderPurpose): Promise<boolean> {
  const placement = await desk.protective.place(position, 'stop', purpose, position.stop_price, position.quantity, ctx.time);
  if (placement.ok) return true;
  recordFailure(desk, position, purpose, placement, ctx);
  if (placement.reason === 'EXCHANGE_UNAVAILABLE') return true; // in flight: resolved next cycle, placed again if it never arrived
  const why = placement.code === 'WOULD_TRIGGER'
    ? 'the price had already passed the stop level (the exchange refused the stop as "would immediately trigger")'
    : `the stop-loss could not be placed (${placement.detail})`;
  await exitAtMarket(desk, position, placement.code === 'WOULD_TRIGGER' ? 'stop-loss' : 'policy', ctx, why);
  return false;
}

async function place(desk: Desk, position: Position, slot: Slot, purpose: OrderPurpose, trigger: number, quantity: number, ctx: CycleContext): Promise<void> {
  const placement = await desk.protective.place(position, slot, purpose, trigger, quantity, ctx.time);
  if (!placement.ok) recordFailure(desk, position, purpose, placement, ctx);
}

async function replace(desk: Desk, position: Position, slot: Slot, purpose: OrderPurpose, trigger: number, quantity: number, ctx: CycleContext): Promise<void> {
  const placement = await desk.protective.replace(position, slot, purpose, trigger, quantity, ctx.time);
  if (placement.ok) await cancelStale(desk, ctx);
  else recordFailure(desk, position, purpose, placement, ctx);
}

function recordFailure(desk: Desk, position: Position, purpose: OrderPurpose, placement: Extract<Placement, { ok: false }>, ctx: CycleContext): void {
  const unavailable = placement.reason === 'EXCHANGE_UNAVAILABLE';
  const reason = unavailable ? 'EXCHANGE_UNAVAILABLE' : placement.code === 'WOULD_TRIGGER' ? 'STOP_WOULD_TRIGGER' : 'ORDER_REJECTED';
  desk.decide(ctx, position.symbol, unavailable ? 'failed' : 'rejected', reason, {
    position_id: position.id, purpose, [unavailable ? 'error' : 'reason']: placement.detail,
  }, 'warn');
}
