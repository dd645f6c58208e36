import type { AccountEvent } from '../state/account-events.js';
import { OrderRejected, VenueUnavailable, type Broker, type OrderRequest } from '../broker/broker.js';
import type { ClosedTrade, ExitReason, Order, OrderPurpose, Position } from '../broker/model.js';
import type { Candle } from '../market/candle.js';
import type { Logger } from '../logger.js';
import type { PolicyEngine } from '../policy/policy-engine.js';
import type { OrchestratorConfigDoc, RiskProfileDoc } from '../policy/rule-set.js';
import type { TradingPolicy } from '../policy/trading-policy.js';
import type { MarketStateBuilder } from '../state/market-state-builder.js';
import { controlsFor, type Controls } from './controls.js';
import { judgeEntry, type EntryVerdict } from './entry-verdict.js';
import { adoptExitMode, trail } from './exit-policy.js';
import { HardLimits } from './hard-limits.js';
import { SymbolBlocks } from './symbol-blocks.js';
import { expectedEntryCost, quoteEvents } from './entry-costs.js';
import type { CycleRecord, DecisionRecord, ExecutionJournal } from './journal.js';
import { applyExitFill, openedPosition, unrealizedPnl } from './position-accounting.js';
import { roundDown, roundToTick } from './position-sizer.js';
import { exposureAmount, positionNotional } from './risk-controller.js';
import type { Signal } from '../signals/signal.js';
import { ProtectiveOrders, type Placement, type Slot } from './protective-orders.js';

export type ExecutionMode = 'LIVE' | 'OBSERVE' | 'OFF';

export interface ExecutorOptions {
  readonly broker: Broker;
  /** The rule set in force (a LiveRuleSet, so hot reloads apply from the next cycle). */
  readonly policy: { readonly engine: PolicyEngine };
  readonly builder: MarketStateBuilder;
  readonly logger: Logger;
  readonly journal?: ExecutionJournal;
  /** Profile name; default: the rule set's active profile. */
  readonly profile?: string;
  /** Overrides of rules/orchestrator.yaml, e.g. `{ enable_orchestrator: false }` for the baseline. */
  readonly orchestrator?: Partial<Omit<OrchestratorConfigDoc, 'apiVersion' | 'kind' | 'version'>>;
  /** The venue's own state, checkpointed with every cycle (the paper broker's snapshot). */
  readonly venueState?: () => unknown;
}

/** One cycle's input: the candles that closed, the signals released, the venue's fills since the last cycle. */
export interface Instant {
  readonly time: number;
  readonly candles: readonly Candle[];
  readonly signals: readonly Signal[];
  /** Resting orders (stops, take-profits) the venue filled since the last cycle, in fill order. */
  readonly fills: readonly Order[];
}

/** What one cycle did, for reports and tests. */
export interface CycleReport {
  readonly time: number;
  readonly mode: ExecutionMode;
  readonly equity: number;
  readonly balance: number;
  /** The policy evaluated this cycle (also in OBSERVE); undefined while warming up or with the orchestrator off. */
  readonly policy?: TradingPolicy;
  readonly controls: Controls;
  readonly decisions: readonly DecisionRecord[];
  readonly trades: readonly ClosedTrade[];
  readonly positions: readonly Position[];
}


/** Writes of one cycle, committed together. */
class CycleWrites {
  readonly orders = new Map<string, Order>();
  readonly positions = new Map<string, Position>();
  readonly trades: ClosedTrade[] = [];
  readonly decisions: DecisionRecord[] = [];
}


/**
 * The design's event-driven executor and trade lifecycle manager. Each cycle: apply the venue's fills,
 * update the market state, evaluate the policy, manage open positions (exit mode, trailing stop), process
 * exit signals, then entry signals through the filter chain (gate → confidence → symbol filters → limits
 * → sizing), and commit everything in one journal transaction. With the gate closed, everything but new
 * entries goes on.
 */
export class Executor {
  private readonly positions = new Map<string, Position>();
  private readonly protective: ProtectiveOrders;
  private readonly prices = new Map<string, number>();
  private readonly exitAttempts = new Map<string, number>();
  readonly limits: HardLimits;
  readonly blocks: SymbolBlocks;

  constructor(private readonly options: ExecutorOptions) {
    this.protective = new ProtectiveOrders(options.broker, options.logger);
    this.limits = new HardLimits(options.builder.risk, options.logger);
    this.limits.announce(this.config());
    this.blocks = new SymbolBlocks(options.logger, options.journal?.loadState('symbol-blocks'));
    const journal = options.journal;
    if (journal !== undefined) {
      for (const position of journal.openPositions()) this.positions.set(position.id, position);
      this.protective.restore(journal.openOrders(), (id) => this.positions.has(id));
    }
  }

  /** Learns the last prices from candles of instants already traded (replayed after a restart). */
  notePrices(candles: readonly Candle[]): void {
    for (const candle of candles) this.prices.set(candle.symbol, candle.close);
  }

  openPositions(): Position[] {
    return [...this.positions.values()];
  }

  private get engine(): PolicyEngine {
    return this.options.policy.engine;
  }

  private config(): OrchestratorConfigDoc {
    return { ...this.engine.ruleSet.orchestrator, ...this.options.orchestrator };
  }

  /** LIVE, OBSERVE, or OFF when the orchestrator is disabled. */
  mode(): ExecutionMode {
    const config = this.config();
    return config.enable_orchestrator ? config.mode : 'OFF';
  }

  async step(instant: Instant): Promise<CycleReport> {
    const { time } = instant;
    const writes = new CycleWrites();
    for (const fill of instant.fills) await this.onVenueFill(fill, time, writes);
    for (const candle of instant.candles) this.prices.set(candle.symbol, candle.close);
    await this.options.builder.onCandles(instant.candles);
    for (const quote of await quoteEvents(this.options.broker, instant.candles, time)) this.feedAccount(quote);
    for (const shadow of this.blocks.onCandles(instant.candles)) this.feedAccount(shadow);
    await this.markAccount(time);
    this.limits.observe(time, this.engine.profile(this.options.profile), this.config());

    const engine = this.engine;
    const config = this.config();
    const profile = engine.profile(this.options.profile);
    const state = this.options.builder.state();
    const evaluation = state !== undefined && config.enable_orchestrator ? await engine.evaluate(state, this.options.profile) : undefined;
    const policy = evaluation?.policy;
    this.blocks.note(evaluation, time);
    const { enforced, observed } = this.limits.apply(controlsFor(policy, profile, config, engine.ruleSet.exitModes), { time, profile, config, ruleSet: engine.ruleSet, ...(evaluation === undefined ? {} : { evaluation }), ...(state === undefined ? {} : { state }) });
    const context = { time, mode: this.mode(), version: engine.version, config, profile, enforced, observed, writes };

    for (const candle of instant.candles) {
      const position = this.positionOf(candle.symbol);
      if (position !== undefined && position.opened_at < time) await this.manage(position, candle, context);
    }
    for (const position of this.openPositions()) if (this.protective.of(position.id).stop === undefined) await this.repairProtection(position, context);
    for (const signal of instant.signals) {
      const position = this.positionOf(signal.symbol);
      const reversal = position !== undefined && signal.side !== 'exit' && signal.side !== position.side;
      if (position !== undefined && (signal.side === 'exit' || reversal)) await this.exit(position, 'exit-signal', context, `${signal.side} signal (confidence ${signal.confidence.toFixed(2)})`);
    }
    const entries = instant.signals
      .filter((s): s is Signal & { side: 'long' | 'short' } => s.side !== 'exit')
      .sort((a, b) => b.confidence - a.confidence || (a.symbol < b.symbol ? -1 : 1));
    for (const signal of entries) await this.enter(signal, context);

    const { equity, balance } = await this.markAccount(time);
    this.commit(time, equity, balance, writes, { time, mode: context.mode, gate_open: enforced.gate_open, exit_mode: enforced.exit_mode, stance: enforced.stance, min_confidence: enforced.min_confidence, max_risk_pct: enforced.max_risk_pct, ...(policy === undefined ? {} : { policy }) });
    return {
      time,
      mode: context.mode,
      equity,
      balance,
      ...(policy === undefined ? {} : { policy }),
      controls: enforced,
      decisions: writes.decisions,
      trades: writes.trades,
      positions: this.openPositions(),
    };
  }

  /** Closes every open position at market (end of a backtest, or an operator's flatten). */
  async closeAll(time: number, reason: ExitReason): Promise<ClosedTrade[]> {
    const writes = new CycleWrites();
    const config = this.config();
    const profile = this.engine.profile(this.options.profile);
    const { enforced } = controlsFor(undefined, profile, config, this.engine.ruleSet.exitModes);
    const context = { time, mode: this.mode(), version: this.engine.version, config, profile, enforced, observed: undefined, writes };
    for (const position of this.openPositions()) await this.exit(position, reason, context, reason);
    const { equity, balance } = await this.markAccount(time);
    this.commit(time, equity, balance, writes);
    return writes.trades;
  }

  // --- positions already open -------------------------------------------------------------------

  private async manage(position: Position, candle: Candle, ctx: CycleContext): Promise<void> {
    const rules = this.options.broker.marketRules(position.symbol);
    let next = position;
    if (ctx.enforced.exit_mode !== position.exit_mode) {
      next = adoptExitMode(next, ctx.enforced.exit_mode, ctx.enforced.exit_params, candle.close, rules);
      this.decide(ctx, position.symbol, 'exit-mode-changed', `${position.exit_mode} -> ${ctx.enforced.exit_mode}`, {
        position_id: position.id,
        stop_price: [position.stop_price, next.stop_price],
        take_profit_price: [position.take_profit_price, next.take_profit_price],
      });
    }
    next = trail(next, candle, rules);
    if (next === position) return;
    this.positions.set(next.id, next);
    ctx.writes.positions.set(next.id, next);
    const slots = this.protective.of(next.id);
    if (next.stop_price !== position.stop_price) {
      await this.replace(next, 'stop', 'trailing-stop', next.stop_price, next.quantity, ctx);
    }
    if (next.take_profit_price !== position.take_profit_price && slots.takeProfit !== undefined) {
      await this.replace(next, 'takeProfit', 'take-profit', next.take_profit_price, next.quantity, ctx);
    }
    if (!next.partial_taken && next.partial_tp_price !== position.partial_tp_price && slots.partial !== undefined) {
      await this.replace(next, 'partial', 'partial-take-profit', next.partial_tp_price, slots.partial.quantity, ctx);
    }
  }

  private async replace(position: Position, slot: Slot, purpose: OrderPurpose, trigger: number, quantity: number, ctx: CycleContext): Promise<void> {
    const { placement, cancelled } = await this.protective.replace(position, slot, purpose, trigger, quantity, ctx.time);
    if (cancelled !== undefined) ctx.writes.orders.set(cancelled.client_id, cancelled);
    this.placed(position, purpose, placement, ctx);
  }

  private async placeProtective(position: Position, slot: Slot, purpose: OrderPurpose, trigger: number, quantity: number, ctx: CycleContext): Promise<boolean> {
    return this.placed(position, purpose, await this.protective.place(position, slot, purpose, trigger, quantity, ctx.time), ctx);
  }

  /** Records a placement: the order in this cycle's writes, or the failure as a decision. */
  private placed(position: Position, purpose: OrderPurpose, placement: Placement, ctx: CycleContext): boolean {
    if (placement.ok) {
      ctx.writes.orders.set(placement.order.client_id, placement.order);
      return true;
    }
    this.decide(ctx, position.symbol, placement.reason === 'EXCHANGE_UNAVAILABLE' ? 'failed' : 'rejected', placement.reason, {
      position_id: position.id, purpose, [placement.reason === 'EXCHANGE_UNAVAILABLE' ? 'error' : 'reason']: placement.detail,
    });
    return false;
  }

  private async onVenueFill(fill: Order, time: number, writes: CycleWrites): Promise<void> {
    writes.orders.set(fill.client_id, fill);
    const position = this.positions.get(fill.position_id);
    if (position === undefined || fill.status !== 'filled' || fill.purpose === 'entry') return;
    this.protective.release(fill);
    this.feedAccount({ type: 'fill', time, symbol: fill.symbol, side: fill.side, expected_price: fill.trigger_price ?? fill.fill_price!, fill_price: fill.fill_price!, quantity: fill.filled_quantity ?? fill.quantity });
    const outcome = applyExitFill(position, fill, 'exit-signal', this.options.broker.marketRules(position.symbol).step_size);
    const ctx = { time, mode: this.mode(), version: this.engine.version, writes };
    if (outcome.trade !== undefined) await this.closed(outcome.trade, ctx);
    else if (outcome.position !== undefined) {
      this.positions.set(position.id, outcome.position);
      writes.positions.set(position.id, outcome.position);
      this.decide(ctx, position.symbol, 'reduced', fill.purpose, { position_id: position.id, quantity: fill.filled_quantity, price: fill.fill_price, remaining: outcome.position.quantity });
    }
  }

  private async exit(position: Position, reason: ExitReason, ctx: CycleContext, detail: string): Promise<void> {
    const price = this.prices.get(position.symbol) ?? position.entry_price;
    const attempt = this.exitAttempts.get(position.id) ?? 0;
    const request: OrderRequest = {
      client_id: `${position.id}-x${attempt}`,
      symbol: position.symbol,
      side: position.side === 'long' ? 'sell' : 'buy',
      type: 'market',
      purpose: 'exit',
      quantity: position.quantity,
      reduce_only: true,
      position_id: position.id,
      expected_price: price,
      time: ctx.time,
    };
    let fill: Order;
    try {
      fill = await this.options.broker.submit(request);
    } catch (error) {
      if (error instanceof VenueUnavailable) {
        this.options.logger.warn({ position_id: position.id, error: error.message }, `${position.symbol}: exit of ${position.id} failed, the venue is unavailable; retried next cycle`);
        this.decide(ctx, position.symbol, 'failed', 'EXCHANGE_UNAVAILABLE', { position_id: position.id, purpose: 'exit', error: error.message });
        return;
      }
      if (!(error instanceof OrderRejected)) throw error;
      // The venue remembers a refused id; the next exit attempt of this position needs a fresh one.
      this.exitAttempts.set(position.id, attempt + 1);
      this.options.logger.warn({ position_id: position.id, reason: error.reason }, `${position.symbol}: exit of ${position.id} rejected: ${error.reason}`);
      this.decide(ctx, position.symbol, 'rejected', 'ORDER_REJECTED', { position_id: position.id, purpose: 'exit', reason: error.reason });
      return;
    }
    // An id answered by the venue is used up, filled or not: a later exit (closeAll) must never get this order back.
    this.exitAttempts.set(position.id, attempt + 1);
    ctx.writes.orders.set(fill.client_id, fill);
    if (fill.status !== 'filled') {
      this.options.logger.warn({ position_id: position.id, client_id: fill.client_id, status: fill.status, reason: fill.reason }, `${position.symbol}: exit of ${position.id} did not fill (${fill.status})`);
      this.decide(ctx, position.symbol, 'failed', 'EXIT_NOT_FILLED', { position_id: position.id, purpose: 'exit', status: fill.status, reason: fill.reason });
      return;
    }
    this.feedAccount({ type: 'fill', time: ctx.time, symbol: fill.symbol, side: fill.side, expected_price: price, fill_price: fill.fill_price!, quantity: fill.filled_quantity ?? fill.quantity });
    const outcome = applyExitFill(position, fill, reason, this.options.broker.marketRules(position.symbol).step_size);
    if (outcome.trade !== undefined) await this.closed(outcome.trade, ctx, detail);
    else if (outcome.position !== undefined) {
      this.positions.set(position.id, outcome.position);
      ctx.writes.positions.set(position.id, outcome.position);
      this.options.logger.warn({ position_id: position.id, remaining: outcome.position.quantity }, `${position.symbol}: exit of ${position.id} left ${outcome.position.quantity} open`);
      this.decide(ctx, position.symbol, 'reduced', 'EXIT_PARTIALLY_FILLED', { position_id: position.id, quantity: fill.filled_quantity, price: fill.fill_price, remaining: outcome.position.quantity });
    }
  }

  private async closed(trade: ClosedTrade, ctx: Pick<CycleContext, 'time' | 'mode' | 'version' | 'writes'>, detail?: string): Promise<void> {
    this.positions.delete(trade.position_id);
    for (const cancelled of await this.protective.cancelAll(trade.position_id, ctx.time)) ctx.writes.orders.set(cancelled.client_id, cancelled);
    ctx.writes.positions.delete(trade.position_id);
    ctx.writes.trades.push(trade);
    this.feedAccount({ type: 'trade-closed', time: ctx.time, symbol: trade.symbol, pnl: trade.pnl, r_multiple: trade.r_multiple });
    this.decide(ctx, trade.symbol, 'closed', trade.exit_reason, {
      position_id: trade.position_id, side: trade.side, pnl: round(trade.pnl), r_multiple: round(trade.r_multiple), exit_price: trade.exit_price, exit_mode: trade.exit_mode,
      ...(detail === undefined ? {} : { why: detail }),
    });
  }

  // --- new entries ------------------------------------------------------------------------------

  private async enter(signal: Signal & { side: 'long' | 'short' }, ctx: CycleContext): Promise<void> {
    const price = this.prices.get(signal.symbol);
    const features = this.options.builder.latestFeatures(signal.symbol);
    const { equity } = await this.equityNow();
    const verdictUnder = (controls: Controls): EntryVerdict =>
      price === undefined
        ? { ok: false, reason: 'BLOCKED_BY_NO_ATR', detail: `no candle of ${signal.symbol} yet` }
        : judgeEntry(signal, controls, {
            positions: this.openPositions(),
            equity,
            profile: ctx.profile,
            rules: this.options.broker.marketRules(signal.symbol),
            price,
            atr: features?.atr ?? 0,
            correlated: this.options.builder.correlations.correlatedWith(signal.symbol, ctx.profile.limits.correlation_threshold),
            entry_cost_pct: expectedEntryCost(this.options.broker, this.options.builder.risk.snapshot().symbols[signal.symbol], signal.symbol),
          });
    const halted = this.options.broker.halted?.();
    const verdict: EntryVerdict = halted !== undefined ? { ok: false, reason: 'EXCHANGE_UNAVAILABLE', detail: halted } : verdictUnder(ctx.enforced);
    const observed = ctx.observed === undefined ? undefined : verdictUnder(ctx.observed);
    const would = observed === undefined ? {} : { would: observed.ok ? { action: 'opened', risk_pct: observed.sizing.risk_pct, quantity: observed.sizing.quantity } : { action: 'blocked', reason: observed.reason, detail: observed.detail } };
    const signalDetail = { side: signal.side, confidence: signal.confidence, ...(signal.strategy === undefined ? {} : { strategy: signal.strategy }) };
    if (!verdict.ok) {
      if (verdict.reason === 'BLOCKED_BY_POLICY_FILTER') {
        const would = verdictUnder({ ...ctx.enforced, disallowed_symbols: [] });
        if (would.ok) this.blocks.shadow(signal.symbol, signal.side, would.sizing, ctx.time);
      }
      this.decide(ctx, signal.symbol, 'blocked', verdict.reason, { ...signalDetail, detail: verdict.detail, ...would }, ctx.config.log_all_signals ? 'info' : 'debug');
      return;
    }
    const sizing = verdict.sizing;
    const id = `${signal.symbol}-${ctx.time}`;
    let fill: Order;
    try {
      fill = await this.options.broker.submit({
        client_id: `${id}-e`,
        symbol: signal.symbol,
        side: signal.side === 'long' ? 'buy' : 'sell',
        type: 'market',
        purpose: 'entry',
        quantity: sizing.quantity,
        reduce_only: false,
        position_id: id,
        expected_price: price!,
        time: ctx.time,
      });
    } catch (error) {
      if (error instanceof VenueUnavailable) {
        // Whether the entry reached the exchange is unknown: the next start-up reconciliation adopts it if it did.
        this.decide(ctx, signal.symbol, 'failed', 'EXCHANGE_UNAVAILABLE', { ...signalDetail, error: error.message });
        return;
      }
      if (!(error instanceof OrderRejected)) throw error;
      this.decide(ctx, signal.symbol, 'rejected', 'ORDER_REJECTED', { ...signalDetail, reason: error.reason });
      return;
    }
    ctx.writes.orders.set(fill.client_id, fill);
    this.feedAccount({ type: 'fill', time: ctx.time, symbol: signal.symbol, side: fill.side, expected_price: price!, fill_price: fill.fill_price!, quantity: fill.filled_quantity ?? fill.quantity });
    const position = openedPosition({ id, symbol: signal.symbol, side: signal.side, fill, sizing, exitMode: ctx.enforced.exit_mode, exitParams: ctx.enforced.exit_params, time: ctx.time });
    this.positions.set(id, position);
    ctx.writes.positions.set(id, position);
    this.decide(ctx, signal.symbol, 'opened', 'OPENED', {
      ...signalDetail, position_id: id, quantity: position.quantity, entry_price: position.entry_price, risk_pct: sizing.risk_pct, risk_usd: round(sizing.risk_usd),
      stance: ctx.enforced.stance, exit_mode: position.exit_mode, stop_price: position.stop_price, take_profit_price: position.take_profit_price,
      ...(verdict.capped === undefined ? {} : { capped_by: verdict.capped }), ...would,
    });
    await this.protect(position, ctx);
  }

  /**
   * A position found without a resting stop (the exchange dropped it, a placement failed, a restart found
   * it missing) gets one again at its current level, or is closed at market when that level has already
   * been passed.
   */
  private async repairProtection(position: Position, ctx: CycleContext): Promise<void> {
    const price = this.prices.get(position.symbol) ?? position.entry_price;
    const beyond = position.side === 'long' ? price <= position.stop_price : price >= position.stop_price;
    this.decide(ctx, position.symbol, 'protection-repaired', beyond ? 'STOP_ALREADY_PASSED' : 'STOP_MISSING', { position_id: position.id, stop_price: position.stop_price, price });
    if (beyond) {
      await this.exit(position, 'stop-loss', ctx, 'its stop was missing and the price is already beyond it');
      return;
    }
    const placed = await this.placeProtective(position, 'stop', 'trailing-stop', position.stop_price, position.quantity, ctx);
    if (!placed) await this.exit(position, 'policy', ctx, 'the stop-loss could not be placed again');
  }

  /**
   * After a restart: compares the positions and resting orders from the store with the venue. Returns the
   * fills that happened while the process was away (to apply in the next cycle); positions the venue no
   * longer has and no fill explains are closed at the last price; positions only the venue has are
   * adopted with the current policy's stop, or only reported, as asked.
   */
  async reconcile(time: number, options: { readonly adopt: boolean }): Promise<{ fills: Order[]; adopted: string[]; unexplained: string[] }> {
    const broker = this.options.broker;
    const fills: Order[] = [];
    for (const [, slots] of this.protective.positions()) {
      for (const order of Object.values(slots) as Order[]) {
        const now = await broker.order(order.client_id, order.symbol);
        if (now !== undefined && now.status !== 'new') {
          if (now.status === 'filled') fills.push(now);
          this.protective.release(order);
        }
      }
    }
    const venue = new Map((await broker.positions()).map((p) => [p.symbol, p]));
    const explained = new Set(fills.map((f) => f.position_id));
    const unexplained: string[] = [];
    const writes = new CycleWrites();
    const config = this.config();
    const profile = this.engine.profile(this.options.profile);
    const { enforced } = controlsFor(undefined, profile, config, this.engine.ruleSet.exitModes);
    const ctx: CycleContext = { time, mode: this.mode(), version: this.engine.version, config, profile, enforced, observed: undefined, writes };
    for (const position of this.openPositions()) {
      if (venue.has(position.symbol) || explained.has(position.id)) continue;
      unexplained.push(position.id);
      this.options.logger.warn({ position_id: position.id }, `${position.symbol}: the exchange has no position any more and no fill explains it; recorded as closed at the last known price`);
      const price = this.prices.get(position.symbol) ?? position.entry_price;
      const outcome = applyExitFill(position, { client_id: `${position.id}-x`, symbol: position.symbol, side: position.side === 'long' ? 'sell' : 'buy', type: 'market', purpose: 'exit', quantity: position.quantity, reduce_only: true, position_id: position.id, status: 'filled', created_at: time, updated_at: time, fill_price: price, filled_quantity: position.quantity, fee: 0 }, 'manual', broker.marketRules(position.symbol).step_size);
      if (outcome.trade !== undefined) await this.closed(outcome.trade, ctx, 'closed outside quantum-trader while it was not running');
    }
    const adopted: string[] = [];
    const known = new Set(this.openPositions().map((p) => p.symbol));
    for (const [symbol, v] of venue) {
      if (known.has(symbol)) continue;
      if (!options.adopt) {
        this.options.logger.warn({ symbol, quantity: v.quantity, entry_price: v.entry_price }, `${symbol}: position opened outside quantum-trader; not managed (adopt_unknown_positions is off)`);
        continue;
      }
      const rules = broker.marketRules(symbol);
      const side = v.quantity > 0 ? 'long' : 'short';
      const params = enforced.exit_params;
      const direction = side === 'long' ? 1 : -1;
      const stop = roundToTick(v.entry_price * (1 - direction * params.sl_pct), rules.tick_size);
      const id = `${symbol}-${time}`;
      const position: Position = {
        id, symbol, side, quantity: Math.abs(v.quantity), initial_quantity: Math.abs(v.quantity), entry_price: v.entry_price, opened_at: time,
        risk_per_unit: Math.abs(v.entry_price - stop), stop_price: stop, take_profit_price: roundToTick(v.entry_price * (1 + direction * params.tp_pct), rules.tick_size),
        best_price: v.entry_price, exit_mode: enforced.exit_mode, trail_pct: params.trail_pct, partial_tp_fraction: 0, partial_tp_price: v.entry_price, partial_taken: true,
        realized_pnl: 0, fees: 0, entry_notional: Math.abs(v.quantity) * v.entry_price,
      };
      this.positions.set(id, position);
      writes.positions.set(id, position);
      this.decide(ctx, symbol, 'adopted', 'POSITION_FOUND_ON_EXCHANGE', { position_id: id, side, quantity: position.quantity, entry_price: v.entry_price, stop_price: stop });
      adopted.push(id);
    }
    const { equity, balance } = await this.markAccount(time);
    this.commit(time, equity, balance, writes);
    return { fills, adopted, unexplained };
  }

  /** Places the stop, the take-profit and the partial take-profit; without a stop the position is closed at once. */
  private async protect(position: Position, ctx: CycleContext): Promise<void> {
    const stopped = await this.placeProtective(position, 'stop', 'stop-loss', position.stop_price, position.quantity, ctx);
    if (!stopped) {
      await this.exit(position, 'policy', ctx, 'the stop-loss could not be placed');
      return;
    }
    await this.placeProtective(position, 'takeProfit', 'take-profit', position.take_profit_price, position.quantity, ctx);
    const rules = this.options.broker.marketRules(position.symbol);
    const partial = roundDown(position.quantity * position.partial_tp_fraction, rules.step_size);
    if (partial >= rules.min_quantity && partial > 0 && partial < position.quantity && partial * position.partial_tp_price >= rules.min_notional) {
      await this.placeProtective(position, 'partial', 'partial-take-profit', position.partial_tp_price, partial, ctx);
    }
  }

  // --- account ----------------------------------------------------------------------------------

  private lastBalance: number | undefined;

  private async equityNow(): Promise<{ equity: number; balance: number }> {
    let balance: number;
    try {
      balance = await this.options.broker.balance();
      this.lastBalance = balance;
    } catch (error) {
      // Marking equity must not stop a cycle that is managing positions; the last balance read stands in.
      if (!(error instanceof VenueUnavailable) || this.lastBalance === undefined) throw error;
      balance = this.lastBalance;
    }
    let unrealized = 0;
    for (const p of this.positions.values()) unrealized += unrealizedPnl(p, this.prices.get(p.symbol) ?? p.entry_price);
    return { equity: balance + unrealized, balance };
  }

  private async markAccount(time: number): Promise<{ equity: number; balance: number }> {
    const now = await this.equityNow();
    const profile = this.engine.profile(this.options.profile);
    this.feedAccount({ type: 'positions', time, positions: this.openPositions().map((p) => ({ symbol: p.symbol, notional: exposureAmount(positionNotional(p), profile) })) });
    this.feedAccount({ type: 'equity', time, equity: now.equity });
    return now;
  }

  private feedAccount(event: AccountEvent): void {
    const result = this.options.builder.onAccount(event);
    if (!result.ok) this.options.logger.warn({ event }, `account event rejected: ${result.reason}`);
  }

  private positionOf(symbol: string): Position | undefined {
    for (const p of this.positions.values()) if (p.symbol === symbol) return p;
    return undefined;
  }



  private decide(ctx: Pick<CycleContext, 'time' | 'mode' | 'version' | 'writes'>, symbol: string, action: string, reason: string, detail: Record<string, unknown>, level: 'info' | 'debug' = 'info'): void {
    const record: DecisionRecord = { id: `${ctx.time}:${symbol}:${action}:${ctx.writes.decisions.length}`, time: ctx.time, symbol, action, reason, mode: ctx.mode, policy_version: ctx.version, detail };
    ctx.writes.decisions.push(record);
    this.options.logger[level]({ decision: record }, `${symbol} ${action}: ${reason}`);
  }

  private commit(time: number, equity: number, balance: number, writes: CycleWrites, cycle?: CycleRecord): void {
    const journal = this.options.journal;
    if (journal === undefined) return;
    journal.transaction(() => {
      for (const order of writes.orders.values()) journal.saveOrder(order);
      for (const trade of writes.trades) journal.closePosition(trade);
      for (const position of writes.positions.values()) if (this.positions.has(position.id)) journal.savePosition(position);
      for (const decision of writes.decisions) journal.recordDecision(decision);
      journal.recordEquity({ time, equity, balance });
      if (cycle !== undefined) journal.recordCycle(cycle);
      journal.saveRiskState(this.options.builder.risk.toJSON());
      journal.saveState('symbol-blocks', this.blocks.toJSON());
      if (this.options.venueState !== undefined) journal.saveState('venue', this.options.venueState());
      journal.saveState('cursor', { time });
    });
  }
}

interface CycleContext {
  readonly time: number;
  readonly mode: ExecutionMode;
  readonly version: string;
  readonly config: OrchestratorConfigDoc;
  readonly profile: RiskProfileDoc;
  readonly enforced: Controls;
  readonly observed: Controls | undefined;
  readonly writes: CycleWrites;
}


function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
