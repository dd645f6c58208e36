import type { Broker } from '../broker/broker.js';
import { PaperBroker } from '../broker/paper/index.js';
import type { ClockedInstant } from '../execution/trading-cycles.js';
import { TradingSession } from '../execution/trading-session.js';
import type { Logger } from '../logger.js';
import type { Candle, TimeframeMs } from '../market/candle.js';
import { groupByCloseTime } from '../market/time-batches.js';
import type { PolicyEngine } from '../policy/policy-engine.js';
import type { SignalSource } from '../signals/index.js';
import type { TradingStore } from '../store/index.js';
import type { SessionHooks } from './session-hooks.js';
import { StartUp, type Backoff } from './start-up.js';
import { WallClock } from './wall-clock.js';
import { from, lastValueFrom } from 'rxjs';

/** Closed candles and the exchange's clock: the market data of `run`. */
export interface LiveFeed {
  closed(symbol: string, timeframe: TimeframeMs, since: number | undefined, limit: number): Promise<Candle[]>;
  /** The exchange's clock (local clock corrected by the offset last measured). */
  now(): number;
  /** Measures the clock offset again; called at every poll. */
  sync?(): Promise<void>;
}

export interface LiveSessionOptions {
  readonly feed: LiveFeed;
  /** Opens the venue: the paper broker (fills simulated on the live candles) or the exchange adapter. Retried until it succeeds. */
  readonly venue: () => Promise<Broker>;
  readonly symbols: readonly string[];
  readonly timeframe: TimeframeMs;
  readonly policy: { readonly engine: PolicyEngine };
  readonly signals: SignalSource;
  readonly store: TradingStore;
  readonly logger: Logger;
  readonly profile?: string;
  /** Closed bars fetched per symbol at start-up to warm the indicators up. */
  readonly warmupBars?: number;
  /** Take over positions found on the exchange that the store does not know (else warn on every cycle). */
  readonly adoptUnknownPositions: boolean;
  readonly pollMs: number;
  /** How start-up attempts are spaced (start-up is retried until it succeeds or the session is stopped). */
  readonly startupRetry: Backoff;
  /** How long after sending an unanswered order can still reach the exchange (its recvWindow, plus a margin). */
  readonly settleMs: number;
  /** Ends the session when it resolves (SIGINT/SIGTERM), at any moment, start-up included. */
  readonly stop: Promise<void>;
  readonly onCycle?: (time: number) => void;
  /** The monitor's taps and the operator's actions (status page, metrics, alerts, pause, closes). */
  readonly hooks?: SessionHooks;
}

/**
 * `quantum-trader run`. Start-up: open the venue, restore the store, warm the indicators up on recent
 * history, and (on an exchange) reconcile with the venue until every open position has a confirmed
 * full-size stop, each step retried until it succeeds (a transient fault never ends the daemon). Then
 * trade on the wall clock (live/wall-clock.ts): the exchange's closes, and ticks between them for fills
 * and signals, through the same trading stage (execution/trading-cycles.ts) a backtest runs on its
 * virtual clock.
 */
export async function runLiveSession(options: LiveSessionOptions): Promise<void> {
  const { store, logger, feed } = options;
  const hooks = options.hooks ?? {};
  const startUp = new StartUp(options.stop, logger, options.startupRetry);
  const broker = await startUp.attempt('opening the venue', () => options.venue());
  if (broker === undefined) return startUp.abandoned();
  const paper = broker instanceof PaperBroker ? broker : undefined;
  const session = new TradingSession(store, {
    broker, policy: options.policy, logger, clock: () => feed.now(), settleMs: paper === undefined ? options.settleMs : 0,
    adoptUnknownPositions: options.adoptUnknownPositions,
    ...(hooks.paused === undefined ? {} : { paused: () => hooks.paused!() }),
    ...(hooks.decided === undefined ? {} : { onDecision: (record) => hooks.decided!(record) }),
    durability: paper === undefined ? 'write-through' : 'cycle',
    ...(paper === undefined ? {} : { venueState: () => paper.toJSON() }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  const { executor, cursor } = session;

  // Warm-up: every closed bar up to the last traded instant (or all but the newest on a first start),
  // through the same trading stage, which only warms the session up on instants already traded.
  const history = await startUp.attempt('fetching recent candles', async () => {
    const bars: Candle[] = [];
    for (const symbol of options.symbols) bars.push(...(await feed.closed(symbol, options.timeframe, undefined, options.warmupBars ?? 300)));
    return bars.sort((a, b) => a.closeTime - b.closeTime || (a.symbol < b.symbol ? -1 : 1));
  });
  if (history === undefined) return startUp.abandoned();
  const instants = groupByCloseTime(history);
  const warmUntil = cursor ?? instants.at(-2)?.time ?? Number.NEGATIVE_INFINITY;
  const warming = instants.filter((instant) => instant.time <= warmUntil);
  const warmInputs = { fills: () => [], signals: (instant: ClockedInstant) => options.signals.signalsAt(instant.time, instant.candles) };
  await lastValueFrom(from(warming).pipe(session.cycles(warmInputs, warmUntil)), { defaultValue: undefined });
  const last = warming.at(-1)?.time ?? Number.NEGATIVE_INFINITY;
  logger.info({ warmed_up_to: Number.isFinite(last) ? new Date(last).toISOString() : null, resumed_after: cursor === undefined ? null : new Date(cursor).toISOString(), open_positions: executor.openPositions().length }, 'session started');

  if (paper === undefined) {
    const done = await startUp.attempt('reconciling with the exchange', async () => {
      // At the latest instant the stored state has seen (a cycle's writes may be checkpointed past its cursor).
      const seen = Math.max(last, cursor ?? Number.NEGATIVE_INFINITY, session.riskSeenAt ?? Number.NEGATIVE_INFINITY);
      const report = await executor.reconcile(Number.isFinite(seen) ? seen : feed.now());
      const changed = report.fills.length + report.adopted.length + report.resized.length + report.closed.length + report.cancelled.length + report.ignored.length;
      if (changed > 0) logger.warn({ fills_while_away: report.fills, adopted: report.adopted, resized: report.resized, closed: report.closed, cancelled: report.cancelled, ignored: report.ignored }, 'reconciled with the exchange');
      if (!report.complete) throw new StartUp.NotYet('orders in flight, unconfirmed cancels or positions without a confirmed full-size stop remain');
      return report;
    });
    if (done === undefined) return startUp.abandoned();
  }
  logger.info({ open_positions: executor.openPositions().map((p) => ({ id: p.id, symbol: p.symbol, side: p.side, quantity: p.quantity, stop_price: p.stop_price })) }, 'start-up complete');
  hooks.started?.({ executor, broker });

  const clock = { feed, symbols: options.symbols, timeframe: options.timeframe, signals: options.signals, store, logger, pollMs: options.pollMs, stop: options.stop, hooks, ...(options.onCycle === undefined ? {} : { onCycle: options.onCycle }) };
  await new WallClock(session, broker, clock, { lastClose: last, lastCycle: Math.max(last, cursor ?? Number.NEGATIVE_INFINITY) }).run();
  logger.info({ open_positions: executor.openPositions().length }, 'session stopped; open positions keep their stops at the venue');
}
