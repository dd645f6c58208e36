import type { EntryPlan, Order, Position } from '../broker/model.js';
import { signalId, type Signal } from '../signals/signal.js';
import type { Controls } from './controls.js';
import { round6, type CycleContext, type Desk } from './desk.js';
import { expectedEntryCost } from './entry-costs.js';
import { judgeEntry, type EntryVerdict } from './entry-verdict.js';
import { roundToTick } from './position-sizer.js';
import { protect } from './protection.js';

export type EntrySignal = Signal & { readonly side: 'long' | 'short' };

/**
 * One entry signal through the design's filter chain and, if it passes, to the venue: the order is
 * committed with the signal's id before it is sent (so the signal is never traded twice, even across a
 * crash), the position is opened from the actual fill with its exits priced from the fill, and protected.
 */
export async function enter(desk: Desk, signal: EntrySignal, ctx: CycleContext, maxAgeMs: number): Promise<void> {
  const id = signalId(signal);
  const signalDetail = { side: signal.side, confidence: signal.confidence, signal_id: id, ...(signal.strategy === undefined ? {} : { strategy: signal.strategy }) };
  const handled = (outcome: string) => desk.ledger.recordSignal({ id, symbol: signal.symbol, side: signal.side, time: signal.timestamp, handled_at: ctx.time, outcome });
  const age = ctx.now - signal.timestamp;
  if (age > maxAgeMs) {
    handled('stale');
    desk.decide(ctx, signal.symbol, 'blocked', 'SIGNAL_TOO_OLD', { ...signalDetail, age_ms: age, max_age_ms: maxAgeMs }, 'warn');
    return;
  }
  if (ctx.paused !== undefined) {
    // The operator's emergency switch: like a closed gate, the signal is spent, not traded after a resume.
    handled('blocked');
    desk.decide(ctx, signal.symbol, 'blocked', 'PAUSED_BY_OPERATOR', { ...signalDetail, detail: ctx.paused });
    return;
  }
  const verdict = await judged(desk, signal, ctx);
  const observed = ctx.observed === undefined ? undefined : await judged(desk, signal, ctx, ctx.observed);
  const would = observed === undefined ? {} : { would: observed.ok ? { action: 'opened', risk_pct: observed.sizing.risk_pct, quantity: observed.sizing.quantity } : { action: 'blocked', reason: observed.reason, detail: observed.detail } };
  if (!verdict.ok) {
    if (verdict.reason === 'BLOCKED_BY_POLICY_FILTER') {
      // The shadow record: what the block kept out, simulated, so the symbol's record can recover.
      const unblocked = await judged(desk, signal, ctx, { ...ctx.enforced, disallowed_symbols: [] });
      if (unblocked.ok) desk.blocks.shadow(signal.symbol, signal.side, unblocked.sizing, ctx.time);
    }
    handled('blocked');
    desk.decide(ctx, signal.symbol, 'blocked', verdict.reason, { ...signalDetail, detail: verdict.detail, ...would }, ctx.config.log_all_signals ? 'info' : 'debug');
    return;
  }
  const { sizing } = verdict;
  const exit = ctx.enforced.exit_params;
  const plan: EntryPlan = {
    side: signal.side, exit_mode: ctx.enforced.exit_mode, trail_pct: exit.trail_pct, partial_tp_fraction: exit.partial_tp_fraction,
    stop_distance: sizing.stop_distance, take_profit_pct: exit.tp_pct, partial_tp_at_r: exit.partial_tp_at_r, risk_pct: sizing.risk_pct,
  };
  handled('entered');
  const outcome = await desk.gateway.place({
    symbol: signal.symbol, side: signal.side === 'long' ? 'buy' : 'sell', type: 'market', purpose: 'entry', quantity: sizing.quantity, reduce_only: false,
    position_id: desk.ids.position(signal.symbol), expected_price: desk.book.price(signal.symbol)!, signal_id: id, plan,
  }, ctx.time);
  const context = { ...signalDetail, risk_usd: round6(sizing.risk_usd), stance: ctx.enforced.stance, ...(verdict.capped === undefined ? {} : { capped_by: verdict.capped }), ...would };
  switch (outcome.kind) {
    case 'filled':
      await protect(desk, openFromEntryFill(desk, outcome.order, ctx, context), ctx);
      return;
    case 'unknown':
      // Whether the entry reached the exchange is not known: resolved by client id before anything else on this symbol.
      desk.decide(ctx, signal.symbol, 'failed', 'EXCHANGE_UNAVAILABLE', { ...signalDetail, client_id: outcome.order.client_id, error: outcome.error }, 'warn');
      return;
    case 'rejected':
      handled('rejected');
      desk.decide(ctx, signal.symbol, 'rejected', 'ORDER_REJECTED', { ...signalDetail, reason: outcome.reason }, 'warn');
      return;
    default:
      handled('rejected');
      desk.decide(ctx, signal.symbol, 'rejected', 'ORDER_REJECTED', { ...signalDetail, reason: `${outcome.order.client_id} is ${outcome.order.status}` }, 'warn');
  }
}

/**
 * The position an entry fill opened: sized as planned, with the stop, the take-profit and the partial
 * take-profit measured from the price actually obtained (slippage moves the entry, and the exits with it).
 */
export function openFromEntryFill(desk: Desk, fill: Order, ctx: CycleContext, detail: Record<string, unknown> = {}): Position {
  const plan = fill.plan!;
  const rules = desk.broker.marketRules(fill.symbol);
  const price = fill.fill_price!;
  const quantity = fill.filled_quantity ?? fill.quantity;
  const direction = plan.side === 'long' ? 1 : -1;
  const stop = roundToTick(price - direction * plan.stop_distance, rules.tick_size);
  const position: Position = {
    id: fill.position_id, symbol: fill.symbol, side: plan.side, quantity, initial_quantity: quantity, entry_price: price, opened_at: ctx.time,
    risk_per_unit: Math.abs(price - stop), stop_price: stop, take_profit_price: roundToTick(price * (1 + direction * plan.take_profit_pct), rules.tick_size),
    best_price: price, exit_mode: plan.exit_mode, trail_pct: plan.trail_pct, partial_tp_fraction: plan.partial_tp_fraction,
    partial_tp_price: roundToTick(price + direction * plan.partial_tp_at_r * plan.stop_distance, rules.tick_size), partial_taken: false,
    realized_pnl: 0, fees: fill.fee ?? 0, entry_notional: price * quantity,
  };
  desk.book.set(position);
  desk.ledger.savePosition(position);
  desk.feedAccount({ type: 'fill', time: ctx.time, symbol: fill.symbol, side: fill.side, expected_price: desk.book.price(fill.symbol) ?? price, fill_price: price, quantity });
  desk.decide(ctx, fill.symbol, 'opened', 'OPENED', {
    ...detail, position_id: position.id, client_id: fill.client_id, quantity, entry_price: price, risk_pct: plan.risk_pct,
    exit_mode: position.exit_mode, stop_price: position.stop_price, take_profit_price: position.take_profit_price,
  });
  return position;
}

async function judged(desk: Desk, signal: EntrySignal, ctx: CycleContext, controls: Controls = ctx.enforced): Promise<EntryVerdict> {
  const price = desk.book.price(signal.symbol);
  if (price === undefined) return { ok: false, reason: 'BLOCKED_BY_NO_ATR', detail: `no candle of ${signal.symbol} yet` };
  const halted = desk.broker.halted?.();
  if (halted !== undefined) return { ok: false, reason: 'EXCHANGE_UNAVAILABLE', detail: halted };
  if (desk.gateway.unsettled(signal.symbol) || desk.protective.hasStale(signal.symbol)) {
    return { ok: false, reason: 'ORDERS_UNSETTLED', detail: `orders of ${signal.symbol} are not settled at the venue yet (in flight, or resting and to be cancelled)` };
  }
  const equity = await desk.equity();
  const positions = desk.book.all();
  return judgeEntry(signal, controls, {
    positions, equity, profile: ctx.profile, rules: desk.broker.marketRules(signal.symbol), price,
    atr: desk.builder.latestFeatures(signal.symbol)?.atr ?? 0,
    // Only correlations with open positions can block an entry (risk-controller's canOpen), so only those are computed.
    correlated: desk.builder.correlations.correlatedWith(signal.symbol, ctx.profile.limits.correlation_threshold, positions.map((p) => p.symbol)),
    entry_cost_pct: expectedEntryCost(desk.broker, desk.builder.risk.snapshot().symbols[signal.symbol], signal.symbol),
  });
}
