import type { ClosedTrade, ExitReason, Order, Position } from '../broker/model.js';
import type { Candle } from '../market/candle.js';
import type { PolicyEngine } from '../policy/policy-engine.js';
import { PolicyStage, type Assessment } from '../policy/policy-stage.js';
import type { OrchestratorConfigDoc, RiskProfileDoc } from '../policy/rule-set.js';
import type { TradingPolicy } from '../policy/trading-policy.js';
import { ClientIds } from './client-ids.js';
import { controlsFor } from './controls.js';
import { crashPoint } from './crash-points.js';
import type { CycleReport } from './cycle-report.js';
import { quoteEvents } from './entry-costs.js';
import type { ExecutorOptions } from './executor-options.js';
import { HardLimits } from './hard-limits.js';
import type { Instant } from './instant.js';
import { SymbolBlocks } from './symbol-blocks.js';
import { Desk, type CycleContext, type ExecutionMode } from './desk.js';
import { applyExitOrderFill, cancelStale, exitAtMarket } from './exits.js';
import { Ledger } from './ledger.js';
import { OrderGateway } from './order-gateway.js';
import { PositionBook } from './position-book.js';
import { ensureStops, manage } from './protection.js';
import { ProtectiveOrders } from './protective-orders.js';
import { actOnSignals } from './signal-handling.js';
import { pollVenue, reconcile, reconcilePositions, settle, type ReconcileReport } from './reconciliation.js';

export type { ExecutionMode } from './desk.js';
export type { CycleReport } from './cycle-report.js';
export type { ExecutorOptions } from './executor-options.js';
export type { Instant } from './instant.js';

/**
 * The design's event-driven executor and trade lifecycle manager. Each cycle: settle orders whose outcome
 * was unknown, apply the venue's fills, update the market state, evaluate the policy, manage open
 * positions (exit mode, trailing stop), make sure every position has a full-size stop, process exit
 * signals, then entry signals through the filter chain (gate → confidence → symbol filters → limits →
 * sizing). With the gate closed, everything but new entries goes on. Every order goes through the
 * gateway, which records it before it is sent; a signal is traded at most once.
 */
export class Executor {
  private readonly desk: Desk;
  /** The market state and the policy: the same stage `watch` runs. */
  private readonly stage: PolicyStage;
  private readonly maxSignalAgeBars: number;
  private timeframe = Number.POSITIVE_INFINITY;

  constructor(private readonly options: ExecutorOptions) {
    const journal = options.journal;
    const ids = ClientIds.restore(journal, options.clientIdPrefix);
    const limits = new HardLimits(options.builder.risk, options.logger);
    limits.announce(this.config());
    const blocks = new SymbolBlocks(options.logger, journal?.loadState('symbol-blocks'));
    const ledger = new Ledger(journal, options.durability ?? 'cycle', () => ({
      risk: options.builder.risk.toJSON(), ids, states: { 'symbol-blocks': () => blocks.toJSON() },
      ...(options.venueState === undefined ? {} : { venue: options.venueState }),
    }));
    const gateway = new OrderGateway(options.broker, ledger, ids, options.logger, () => this.clockNow(), options.settleMs ?? 0, journal?.unresolvedOrders() ?? []);
    const book = new PositionBook(journal?.openPositions() ?? []);
    const protective = new ProtectiveOrders(gateway);
    protective.restore([...(journal?.openOrders() ?? []), ...gateway.pending()], (id) => book.get(id) !== undefined);
    this.desk = new Desk(options.broker, gateway, ledger, book, protective, ids, options.builder, options.logger, limits, blocks, options.onDecision);
    const desk = this.desk;
    this.stage = new PolicyStage(options.builder, options.policy, {
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      onRejected: (event, reason) => desk.rejected(event, reason),
      evaluates: () => this.config().enable_orchestrator,
      beforeEvaluation: (time) => desk.limits.observe(time, this.profile(), this.config()),
    });
    this.maxSignalAgeBars = options.policy.engine.ruleSet.execution.signals.max_age_bars;
  }

  /** Learns the last prices from candles of instants already traded (replayed after a restart). */
  notePrices(candles: readonly Candle[]): void {
    this.desk.book.notePrices(candles);
    this.learnTimeframe(candles);
  }

  openPositions(): Position[] {
    return this.desk.book.all();
  }

  /** The symbol's last known price (last close, or the last fill). */
  lastPrice(symbol: string): number | undefined {
    return this.desk.book.price(symbol);
  }

  /** LIVE, OBSERVE, or OFF when the orchestrator is disabled. */
  mode(): ExecutionMode {
    const config = this.config();
    return config.enable_orchestrator ? config.mode : 'OFF';
  }

  /** The venue's news about our resting orders (stops and take-profits that fired or went): the next cycle's fills. */
  async pollVenue(): Promise<Order[]> {
    return pollVenue(this.desk);
  }

  /**
   * One cycle, in the pipeline's stages: the venue's news (orders settled, fills applied), the market
   * state and the policy (the PolicyStage `watch` runs too), then execution and the commit.
   */
  async step(instant: Instant): Promise<CycleReport> {
    this.learnTimeframe(instant.candles);
    const base = this.context(instant.time, undefined);
    await this.venueNews(instant, base);
    const assessment = await this.assessMarket(instant);
    return this.execute(instant, assessment, base);
  }

  /** Stage 1: orders whose outcome was unknown are settled, the venue's fills applied (told to the risk state as they come), stale orders cancelled. */
  private async venueNews(instant: Instant, base: CycleContext): Promise<void> {
    const desk = this.desk;
    await settle(desk, base);
    for (const fill of instant.fills) await applyExitOrderFill(desk, fill, base);
    await cancelStale(desk, base);
  }

  /**
   * Stage 2: the market state and the policy. The instant's candles go in with the account events the
   * desk produces at them (quotes, shadow trades of blocked symbols, positions and the equity mark) as
   * one batch; the daily-drawdown circuit latches on the risk just formed, before the evaluation.
   */
  private async assessMarket(instant: Instant): Promise<Assessment> {
    const { time, candles } = instant;
    const desk = this.desk;
    desk.book.notePrices(candles);
    const quotes = await quoteEvents(desk.broker, candles, time);
    const shadows = desk.blocks.onCandles(candles);
    const marks = await desk.accountMarks(time, this.profile());
    return this.stage.run({ time, candles, events: [...quotes, ...shadows, ...marks.events] });
  }

  /**
   * Stage 3: execution under the controls of the policy and the hard limits: positions managed, every
   * position given a stop, exit signals, then entry signals; the cycle committed to the ledger (a crash
   * point before the commit: what was sent is recorded, the cycle is replayed).
   */
  private async execute(instant: Instant, assessment: Assessment, base: CycleContext): Promise<CycleReport> {
    const { time } = instant;
    const desk = this.desk;
    const { state, evaluation } = assessment;
    const config = this.config();
    const policy = evaluation?.policy;
    desk.blocks.note(evaluation, time);
    const ctx = this.context(time, policy, base, (controls) => desk.limits.apply(controls, {
      time, profile: this.profile(), config, ruleSet: this.engine.ruleSet, ...(evaluation === undefined ? {} : { evaluation }), ...(state === undefined ? {} : { state }),
    }));
    // On an exchange, sizes are compared at every close: a manual close, a liquidation or a lost fill is found within a bar.
    if (this.options.durability === 'write-through' && instant.candles.length > 0) await reconcilePositions(desk, ctx, { adoptUnknown: this.adoptUnknown() });
    for (const candle of instant.candles) {
      const position = desk.book.of(candle.symbol);
      if (position !== undefined && position.opened_at < time) await manage(desk, position, candle, ctx);
    }
    await ensureStops(desk, ctx);
    await actOnSignals(desk, instant.signals, ctx, this.maxSignalAgeBars * this.timeframe);

    crashPoint('cycle');
    const { equity, balance } = await this.markAccount(time);
    const controls = ctx.enforced;
    desk.ledger.commit({ time, equity, balance }, {
      time, mode: ctx.mode, gate_open: controls.gate_open, exit_mode: controls.exit_mode, stance: controls.stance, min_confidence: controls.min_confidence, max_risk_pct: controls.max_risk_pct,
      ...(policy === undefined ? {} : { policy }),
    });
    return { time, mode: ctx.mode, equity, balance, ...(policy === undefined ? {} : { policy }), controls, decisions: ctx.decisions, trades: ctx.trades, positions: desk.book.all() };
  }

  /** Closes every open position at market (end of a backtest). */
  async closeAll(time: number, reason: ExitReason): Promise<ClosedTrade[]> {
    return this.closePositions(time, reason, reason);
  }

  /** Closes open positions at market through the normal exit path: all, or those with the given ids (an operator's close). */
  async closePositions(time: number, reason: ExitReason, detail: string, ids?: readonly string[]): Promise<ClosedTrade[]> {
    const ctx = this.context(time, undefined);
    for (const position of this.desk.book.all()) if (ids === undefined || ids.includes(position.id)) await exitAtMarket(this.desk, position, reason, ctx, detail);
    const { equity, balance } = await this.markAccount(time);
    this.desk.ledger.commit({ time, equity, balance });
    return ctx.trades;
  }

  /**
   * After a restart, before any new order: resolves every order whose outcome is unknown, applies fills
   * that happened while away, compares positions with the venue by signed size (the venue is right),
   * adopts unknown positions with the current policy's exit mode (unless adoption is off),
   * cancels orders of ours that protect nothing, and gives every position a full-size stop. `complete`
   * is false while any of that could not be finished (the venue did not answer): call again.
   */
  async reconcile(time: number): Promise<ReconcileReport> {
    const policy = (await this.stage.assess()).evaluation?.policy;
    const ctx = this.context(time, policy);
    const report = await reconcile(this.desk, ctx, { adoptUnknown: this.adoptUnknown() });
    const { equity, balance } = await this.markAccount(time);
    this.desk.ledger.commit({ time, equity, balance });
    return report;
  }

  // --- plumbing -----------------------------------------------------------------------------------

  private adoptUnknown(): boolean {
    return this.options.adoptUnknownPositions ?? this.engine.ruleSet.execution.reconciliation.adopt_unknown_positions;
  }

  private get engine(): PolicyEngine {
    return this.options.policy.engine;
  }

  private config(): OrchestratorConfigDoc {
    return { ...this.engine.ruleSet.orchestrator, ...this.options.orchestrator };
  }

  private clockNow(): number {
    return this.options.clock?.() ?? this.lastTime;
  }

  private lastTime = 0;

  /**
   * The controls of a cycle; `share` carries the decisions and trades recorded before the policy was
   * known; `bound` puts the hard limits on them.
   */
  private context(time: number, policy: TradingPolicy | undefined, share?: CycleContext, bound: (c: ReturnType<typeof controlsFor>) => ReturnType<typeof controlsFor> = (c) => c): CycleContext {
    this.lastTime = Math.max(this.lastTime, time);
    const config = this.config();
    const profile = this.profile();
    const { enforced, observed } = bound(controlsFor(policy, profile, config, this.engine.ruleSet.exitModes));
    const paused = this.options.paused?.();
    return {
      time, now: this.options.clock?.() ?? time, mode: this.mode(), version: this.engine.version, config, profile, enforced, observed,
      decisions: share?.decisions ?? [], trades: share?.trades ?? [], ...(paused === undefined ? {} : { paused }),
    };
  }

  private async markAccount(time: number): Promise<{ equity: number; balance: number }> {
    return this.desk.markAccount(time, this.profile());
  }

  private profile(): RiskProfileDoc {
    return this.engine.profile(this.options.profile);
  }

  /** The bar length, from the candles themselves: what "one bar" means for a signal's age. */
  private learnTimeframe(candles: readonly Candle[]): void {
    for (const c of candles) if (c.closeTime > c.openTime) this.timeframe = Math.min(this.timeframe, c.closeTime - c.openTime);
  }
}
