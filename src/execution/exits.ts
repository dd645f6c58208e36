import type { ClosedTrade, ExitReason, Order, Position } from '../broker/model.js';
import { round6, type CycleContext, type Desk } from './desk.js';
import { applyExitFill } from './position-accounting.js';

/**
 * Applies a fill of one of our resting orders reported by the venue: a stop, a take-profit, a partial
 * take-profit, an order that was to be cancelled but fired first, or a market exit whose answer came only
 * after a restart. A fill that closes the position records the trade and cancels the position's other
 * orders in the same step.
 */
export async function applyExitOrderFill(desk: Desk, fill: Order, ctx: CycleContext): Promise<void> {
  desk.gateway.record(fill);
  desk.protective.release(fill);
  if (fill.status !== 'filled' || !(Number(fill.filled_quantity ?? fill.quantity) > 0)) return;
  const position = desk.book.get(fill.position_id);
  if (position === undefined) {
    // Reconciliation compares sizes with the venue and repairs what this fill changed.
    desk.logger.warn({ client_id: fill.client_id, position_id: fill.position_id }, `${fill.symbol}: fill of ${fill.client_id} for a position that is no longer open`);
    return;
  }
  desk.feedAccount({ type: 'fill', time: ctx.time, symbol: fill.symbol, side: fill.side, expected_price: fill.trigger_price ?? fill.fill_price!, fill_price: fill.fill_price!, quantity: fill.filled_quantity ?? fill.quantity });
  const outcome = applyExitFill(position, fill, fill.exit_reason ?? 'policy', desk.broker.marketRules(position.symbol).step_size);
  if (outcome.trade !== undefined) {
    await closed(desk, outcome.trade, ctx);
    return;
  }
  const rest = outcome.position!;
  desk.book.set(rest);
  desk.ledger.savePosition(rest);
  desk.decide(ctx, position.symbol, 'reduced', fill.purpose, { position_id: position.id, client_id: fill.client_id, quantity: fill.filled_quantity, price: fill.fill_price, remaining: rest.quantity });
}

/**
 * Closes a position at market with a reduce-only order. A refusal because there is nothing to reduce
 * (the venue's position is not ours) is reported for reconciliation; an unreachable venue leaves the
 * exit pending, resolved by client id before anything else is sent for the position.
 */
export async function exitAtMarket(desk: Desk, position: Position, reason: ExitReason, ctx: CycleContext, detail: string): Promise<'closed' | 'pending' | 'refused'> {
  // An exit already in flight is found out first; a second one could only be refused or reduce what the first left.
  if (desk.gateway.inFlight(position.id, 'exit')) return 'pending';
  const price = desk.book.mark(position);
  const outcome = await desk.gateway.place({
    symbol: position.symbol, side: position.side === 'long' ? 'sell' : 'buy', type: 'market', purpose: 'exit', quantity: position.quantity,
    reduce_only: true, position_id: position.id, expected_price: price, exit_reason: reason,
  }, ctx.time);
  switch (outcome.kind) {
    case 'filled': {
      const fill = outcome.order;
      desk.feedAccount({ type: 'fill', time: ctx.time, symbol: fill.symbol, side: fill.side, expected_price: price, fill_price: fill.fill_price!, quantity: fill.filled_quantity ?? fill.quantity });
      const result = applyExitFill(position, fill, reason, desk.broker.marketRules(position.symbol).step_size);
      if (result.trade !== undefined) await closed(desk, result.trade, ctx, detail);
      else {
        desk.book.set(result.position!);
        desk.ledger.savePosition(result.position!);
        desk.decide(ctx, position.symbol, 'reduced', 'EXIT_PARTIALLY_FILLED', { position_id: position.id, quantity: fill.filled_quantity, price: fill.fill_price, remaining: result.position!.quantity }, 'warn');
      }
      return result.trade !== undefined ? 'closed' : 'pending';
    }
    case 'unknown':
      desk.decide(ctx, position.symbol, 'failed', 'EXCHANGE_UNAVAILABLE', { position_id: position.id, purpose: 'exit', client_id: outcome.order.client_id, error: outcome.error }, 'warn');
      return 'pending';
    case 'rejected':
      desk.decide(ctx, position.symbol, 'rejected', outcome.code === 'REDUCE_ONLY' ? 'NOTHING_TO_REDUCE' : 'ORDER_REJECTED', { position_id: position.id, purpose: 'exit', reason: outcome.reason }, 'warn');
      return 'refused';
    default:
      desk.decide(ctx, position.symbol, 'rejected', 'ORDER_REJECTED', { position_id: position.id, purpose: 'exit', reason: `${outcome.order.client_id} is ${outcome.order.status}` }, 'warn');
      return 'refused';
  }
}

/** A position is gone: the trade is recorded and every order that protected it is cancelled now. */
export async function closed(desk: Desk, trade: ClosedTrade, ctx: CycleContext, detail?: string): Promise<void> {
  desk.book.remove(trade.position_id);
  desk.protective.retireAll(trade.position_id);
  desk.ledger.closePosition(trade);
  ctx.trades.push(trade);
  desk.feedAccount({ type: 'trade-closed', time: ctx.time, symbol: trade.symbol, pnl: trade.pnl, r_multiple: trade.r_multiple });
  desk.decide(ctx, trade.symbol, 'closed', trade.exit_reason, {
    position_id: trade.position_id, side: trade.side, pnl: round6(trade.pnl), r_multiple: round6(trade.r_multiple), exit_price: trade.exit_price, exit_mode: trade.exit_mode,
    ...(detail === undefined ? {} : { why: detail }),
  });
  await cancelStale(desk, ctx);
}

/** Cancels every order that must go; one that filled before its cancel arrived is applied as a fill. */
export async function cancelStale(desk: Desk, ctx: CycleContext): Promise<void> {
  for (const outcome of await desk.protective.cancelStale(ctx.time)) {
    if (outcome.kind === 'filled') await applyExitOrderFill(desk, outcome.order, ctx);
    else if (outcome.kind === 'unknown') desk.logger.warn({ client_id: outcome.order.client_id }, `could not cancel ${outcome.order.client_id} yet (${outcome.error}); tried again next cycle, no entry on ${outcome.order.symbol} until then`);
  }
}
