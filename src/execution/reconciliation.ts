import type { VenuePosition } from '../broker/broker.js';
import type { Order, Position } from '../broker/model.js';
import type { CycleContext, Desk } from './desk.js';
import { openFromEntryFill } from './entries.js';
import { applyExitOrderFill, cancelStale, closed } from './exits.js';
import { merged, type SendOutcome } from './order-gateway.js';
import { applyExitFill } from './position-accounting.js';
import { roundToTick } from './position-sizer.js';
import { ensureStops, protect } from './protection.js';
import { SLOT_OF_PURPOSE } from './protective-orders.js';

/** What a reconciliation found and did. */
export interface ReconcileReport {
  /** Fills of our orders that happened while we were not looking. */
  readonly fills: string[];
  readonly adopted: string[];
  readonly resized: string[];
  /** Positions the venue no longer has, recorded as closed. */
  readonly closed: string[];
  /** Orders of ours that protect nothing, cancelled. */
  readonly cancelled: string[];
  /** Positions only the venue has, left alone (adoption off). */
  readonly ignored: string[];
  /** Every open position has a confirmed stop for its full size, nothing is in flight or left to cancel. */
  readonly complete: boolean;
}

/**
 * Resolves every order whose outcome is unknown (sent without an answer, or a cancel not confirmed) and
 * applies what became of it. Returns how many are still unknown (the venue cannot tell yet).
 */
export async function settle(desk: Desk, ctx: CycleContext): Promise<number> {
  for (const before of desk.gateway.pending()) {
    const outcome = await desk.gateway.resolve(before, ctx.time);
    if (outcome.kind !== 'unknown') await applyResolution(desk, outcome, ctx);
  }
  return desk.gateway.pending().length;
}

async function applyResolution(desk: Desk, outcome: Exclude<SendOutcome, { kind: 'unknown' }>, ctx: CycleContext): Promise<void> {
  const order = outcome.order;
  if (order.purpose === 'entry') {
    if (outcome.kind === 'filled' && desk.book.get(order.position_id) === undefined) {
      openFromEntryFill(desk, order, ctx, { resolved: 'its answer was lost; found at the venue by client id' });
    } else if (outcome.kind !== 'filled') {
      desk.decide(ctx, order.symbol, 'entry-void', order.status === 'void' ? 'NEVER_REACHED_THE_VENUE' : 'ORDER_REJECTED', { client_id: order.client_id, signal_id: order.signal_id }, 'warn');
    }
    return;
  }
  if (outcome.kind === 'filled') {
    await applyExitOrderFill(desk, order, ctx);
    return;
  }
  if (SLOT_OF_PURPOSE[order.purpose] === undefined) return; // an exit that never happened: the position is still there
  if (outcome.kind === 'resting') {
    const current = desk.protective.of(order.position_id)[SLOT_OF_PURPOSE[order.purpose]!];
    const newer = current === undefined || current.client_id === order.client_id || desk.ids.sequenceOf(order.client_id) > desk.ids.sequenceOf(current.client_id);
    if (desk.book.get(order.position_id) !== undefined && newer && order.cancel_requested_at === undefined) desk.protective.hold(order);
    else desk.protective.retire(order);
  } else {
    desk.protective.release(order);
  }
}

/**
 * The venue's news about our resting orders: those no longer open are looked up by client id (a stop
 * that fired comes back with the fill of the order it became). In fill order, for the next cycle to apply.
 */
export async function pollVenue(desk: Desk): Promise<Order[]> {
  const resting = desk.protective.all().filter((o) => o.status === 'new');
  const updates: Order[] = [];
  for (const symbol of new Set(resting.map((o) => o.symbol))) {
    // Every order of ours that rests is conditional: one request per symbol and poll.
    const open = new Set((await desk.broker.openOrders(symbol, true)).map((o) => o.client_id));
    for (const order of resting.filter((o) => o.symbol === symbol && !open.has(o.client_id))) {
      const now = await desk.broker.order(order.client_id, symbol, order.type !== 'market');
      if (now === undefined) updates.push({ ...order, status: 'cancelled', reason: 'unknown to the venue' });
      else if (now.status !== 'new') updates.push(merged(order, now));
    }
  }
  return updates.sort((a, b) => a.updated_at - b.updated_at);
}

/**
 * The store against the venue, as at start-up: unknown outcomes resolved, fills while away applied,
 * positions compared by signed size per symbol (the venue is right), orders of ours that protect nothing
 * cancelled, and every position given a stop for its full size on the side that reduces it.
 */
export async function reconcile(desk: Desk, ctx: CycleContext, options: { readonly adoptUnknown: boolean }): Promise<ReconcileReport> {
  const report: ReconcileReport = { fills: [], adopted: [], resized: [], closed: [], cancelled: [], ignored: [], complete: false };
  if ((await settle(desk, ctx)) > 0) return report; // an order still in flight must be known before sizes are compared
  for (const fill of await pollVenue(desk)) {
    if (fill.status === 'filled') report.fills.push(fill.client_id);
    await applyExitOrderFill(desk, fill, ctx);
  }
  await reconcilePositions(desk, ctx, options, report);
  const current = new Set(desk.protective.all().filter((o) => !desk.protective.isStale(o.client_id)).map((o) => o.client_id));
  for (const order of await desk.broker.openOrders()) {
    if (!desk.ids.owns(order.client_id) || current.has(order.client_id) || desk.protective.isStale(order.client_id)) continue;
    report.cancelled.push(order.client_id);
    desk.protective.retire({ purpose: 'stop-loss', position_id: '', created_at: ctx.time, ...order });
  }
  await cancelStale(desk, ctx);
  await ensureStops(desk, ctx);
  const covered = desk.book.all().every((p) => {
    const stop = desk.protective.of(p.id).stop;
    return stop?.status === 'new' && stop.quantity >= p.quantity * (1 - 1e-9);
  });
  const stale = desk.book.all().some((p) => desk.protective.hasStale(p.symbol)) || desk.protective.all().some((o) => desk.protective.isStale(o.client_id));
  return { ...report, complete: covered && !stale && desk.gateway.pending().length === 0 };
}

/** Signed sizes per symbol, ours against the venue's; the venue's is what is true. */
export async function reconcilePositions(desk: Desk, ctx: CycleContext, options: { readonly adoptUnknown: boolean }, report?: ReconcileReport): Promise<void> {
  const venue = new Map((await desk.broker.positions()).map((p) => [p.symbol, p]));
  const symbols = new Set([...desk.book.all().map((p) => p.symbol), ...venue.keys()]);
  for (const symbol of symbols) {
    // An order still in flight may explain the difference: sizes are compared once it is known.
    if (desk.gateway.unsettled(symbol)) continue;
    const ours = desk.book.of(symbol);
    const theirs = venue.get(symbol);
    const step = desk.broker.marketRules(symbol).step_size;
    const ourQuantity = ours === undefined ? 0 : (ours.side === 'long' ? 1 : -1) * ours.quantity;
    const theirQuantity = theirs?.quantity ?? 0;
    if (Math.abs(ourQuantity - theirQuantity) < step / 2) continue;
    if (ours !== undefined && (theirQuantity === 0 || Math.sign(theirQuantity) !== Math.sign(ourQuantity))) {
      await closeUnexplained(desk, ours, ctx);
      report?.closed.push(ours.id);
    } else if (ours !== undefined) {
      await resize(desk, ours, Math.abs(theirQuantity), ctx);
      report?.resized.push(ours.id);
      continue;
    }
    if (theirs === undefined || theirQuantity === 0) continue;
    if (!options.adoptUnknown) {
      desk.logger.warn({ symbol, quantity: theirQuantity, entry_price: theirs.entry_price }, `${symbol}: position opened outside quantum-trader; NOT managed and without a stop from us (adoption is off: rules/execution.yaml reconciliation.adopt_unknown_positions, --ignore-unknown-positions)`);
      report?.ignored.push(symbol);
      continue;
    }
    report?.adopted.push(await adopt(desk, theirs, ctx));
  }
}

/** The venue has no position (or one the other way): ours closed while we were away, at the last price we know. */
async function closeUnexplained(desk: Desk, position: Position, ctx: CycleContext): Promise<void> {
  desk.logger.warn({ position_id: position.id }, `${position.symbol}: the exchange does not hold this ${position.side} position any more and no fill of ours explains it; recorded as closed at the last known price`);
  const price = desk.book.mark(position);
  const outcome = applyExitFill(position, {
    client_id: `${position.id}-reconciled`, symbol: position.symbol, side: position.side === 'long' ? 'sell' : 'buy', type: 'market', purpose: 'exit', quantity: position.quantity,
    reduce_only: true, position_id: position.id, status: 'filled', created_at: ctx.time, updated_at: ctx.time, fill_price: price, filled_quantity: position.quantity, fee: 0,
  }, 'manual', desk.broker.marketRules(position.symbol).step_size);
  if (outcome.trade !== undefined) await closed(desk, outcome.trade, ctx, 'closed outside quantum-trader (not by any order of ours)');
}

/** Same side, other size (a fill we never saw, a hand-made change): ours takes the venue's size; stops follow. */
async function resize(desk: Desk, position: Position, quantity: number, ctx: CycleContext): Promise<void> {
  const next: Position = { ...position, quantity, initial_quantity: Math.max(position.initial_quantity, quantity), entry_notional: position.entry_price * Math.max(position.initial_quantity, quantity) };
  desk.book.set(next);
  desk.ledger.savePosition(next);
  desk.decide(ctx, position.symbol, 'resized', 'SIZE_DIFFERS_FROM_EXCHANGE', { position_id: position.id, quantity: [position.quantity, quantity] }, 'warn');
  const slots = desk.protective.of(position.id);
  for (const order of [slots.takeProfit, slots.partial]) if (order !== undefined && order.quantity > quantity) desk.protective.retire(order);
}

/** The design's position recovery: an exchange position is taken over with the current policy's exit mode. */
async function adopt(desk: Desk, venue: VenuePosition, ctx: CycleContext): Promise<string> {
  const rules = desk.broker.marketRules(venue.symbol);
  const side = venue.quantity > 0 ? 'long' : 'short';
  const params = ctx.enforced.exit_params;
  const direction = side === 'long' ? 1 : -1;
  const stop = roundToTick(venue.entry_price * (1 - direction * params.sl_pct), rules.tick_size);
  const quantity = Math.abs(venue.quantity);
  const position: Position = {
    id: desk.ids.position(venue.symbol), symbol: venue.symbol, side, quantity, initial_quantity: quantity, entry_price: venue.entry_price, opened_at: ctx.time,
    risk_per_unit: Math.abs(venue.entry_price - stop), stop_price: stop, take_profit_price: roundToTick(venue.entry_price * (1 + direction * params.tp_pct), rules.tick_size),
    best_price: venue.entry_price, exit_mode: ctx.enforced.exit_mode, trail_pct: params.trail_pct, partial_tp_fraction: 0, partial_tp_price: venue.entry_price,
    partial_taken: true, realized_pnl: 0, fees: 0, entry_notional: quantity * venue.entry_price,
  };
  desk.book.set(position);
  desk.ledger.savePosition(position);
  desk.decide(ctx, venue.symbol, 'adopted', 'POSITION_FOUND_ON_EXCHANGE', { position_id: position.id, side, quantity, entry_price: venue.entry_price, stop_price: stop, exit_mode: position.exit_mode }, 'warn');
  const price = desk.book.mark(position);
  const beyond = side === 'long' ? price <= stop : price >= stop;
  if (!beyond) await protect(desk, position, ctx);
  return position.id;
}
