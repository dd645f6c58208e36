import type { Broker } from '../broker/broker.js';
import type { Order } from '../broker/model.js';
import { PaperBroker } from '../broker/paper/index.js';
import type { CycleReport } from '../execution/executor.js';
import { TradingSession } from '../execution/trading-session.js';
import type { Logger } from '../logger.js';
import type { Candle, TimeframeMs } from '../market/candle.js';
import { groupByCloseTime } from '../market/time-batches.js';
import type { PolicyEngine } from '../policy/policy-engine.js';
import type { SignalSource } from '../signals/index.js';
import type { TradingStore } from '../store/index.js';
import { recordFunding, type FundingVenue } from './funding-record.js';
import type { SessionHooks } from './session-hooks.js';
import { StartUp, type Backoff } from './start-up.js';

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
 * full-size stop, each step retried until it succeeds (a transient fault never ends the daemon). Then:
 * poll closed candles; at each candle close run one executor cycle with the venue's fills, the signals
 * and the live rule set; between closes, a poll that finds fills or signals runs a cycle without
 * candles. A cycle that fails is retried at the next poll; what it sent is known to the store.
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

  // Warm-up: every closed bar up to the last traded instant (or all but the newest on a first start).
  const history = await startUp.attempt('fetching recent candles', async () => {
    const bars: Candle[] = [];
    for (const symbol of options.symbols) bars.push(...(await feed.closed(symbol, options.timeframe, undefined, options.warmupBars ?? 300)));
    return bars.sort((a, b) => a.closeTime - b.closeTime || (a.symbol < b.symbol ? -1 : 1));
  });
  if (history === undefined) return startUp.abandoned();
  const instants = groupByCloseTime(history);
  const warmUntil = cursor ?? instants.at(-2)?.time ?? Number.NEGATIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const { time, candles } of instants) {
    if (time > warmUntil) break;
    await session.warm(time, candles, (t, c) => options.signals.signalsAt(t, c));
    last = time;
  }
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

  let stopped = false;
  void options.stop.then(() => (stopped = true));
  let lastCycle = Math.max(last, cursor ?? Number.NEGATIVE_INFINITY);
  let pending: Order[] = [];
  // Signals of an instant are computed once: a retried cycle must not feed the strategy the same bars twice.
  let signalled: { time: number; signals: ReturnType<SignalSource['signalsAt']> } | undefined;
  /** Signals released between closes and not yet acted on (kept if their cycle fails). */
  let waiting: ReturnType<SignalSource['signalsAt']> = [];
  const cycled = (time: number, report: CycleReport, midBar: boolean, began: number) => {
    lastCycle = time;
    logger.info({ time: new Date(time).toISOString(), mid_bar: midBar, equity: Math.round(report.equity * 100) / 100, positions: report.positions.length, decisions: report.decisions.length, gate: report.controls.gate_open }, 'cycle');
    options.onCycle?.(time);
    hooks.cycled?.(report, { durationMs: performance.now() - began, midBar });
  };
  const venueNews = async (candles: readonly Candle[]): Promise<Order[]> => (paper !== undefined ? candles.flatMap((c) => paper.onCandle(c)) : executor.pollVenue());
  while (!stopped) {
    try {
      await feed.sync?.().catch((error: unknown) => logger.debug({ err: error }, 'clock sync failed; the last offset stands'));
      const fresh: Candle[] = [];
      let complete = Number.POSITIVE_INFINITY;
      for (const symbol of options.symbols) {
        const since = Number.isFinite(last) ? last - options.timeframe + 1 : undefined;
        const bars = (await feed.closed(symbol, options.timeframe, since, 100)).filter((c) => c.closeTime > last);
        fresh.push(...bars);
        complete = Math.min(complete, bars.at(-1)?.closeTime ?? last);
      }
      // An instant is traded once every symbol has published its bar (the exchange publishes them one by
      // one), or once it is a whole bar late, so one halted symbol cannot stop the others.
      const ready = Math.max(complete, feed.now() - options.timeframe);
      fresh.sort((a, b) => a.closeTime - b.closeTime || (a.symbol < b.symbol ? -1 : 1));
      const closes = groupByCloseTime(fresh.filter((c) => c.closeTime <= ready));
      for (const { time, candles } of closes) {
        // Fills stay pending until a cycle has applied them: a failed cycle must not lose them.
        pending = [...pending, ...(await venueNews(candles))];
        if (signalled?.time !== time) signalled = { time, signals: options.signals.signalsAt(time, candles) };
        const began = performance.now();
        const report = await executor.step({ time, candles, signals: signalled.signals, fills: pending });
        pending = [];
        last = time;
        cycled(time, report, false, began);
      }
      if (closes.length > 0 && 'fundingSince' in broker) await recordFunding(broker as FundingVenue, store, logger, closes[0]!.time - options.timeframe).catch((error: unknown) => logger.warn({ err: error }, `funding payments not read this time: ${(error as Error).message}`));
      if (closes.length === 0 && Number.isFinite(last)) {
        // Between closes (the design's every-N-seconds cycle): fills of the exchange's stops and take-profits
        // and signals that arrived are acted on now, at a time kept inside the current bar.
        if (paper === undefined) pending = [...pending, ...(await venueNews([]))];
        const time = Math.min(feed.now(), last + options.timeframe - 1);
        if (time > lastCycle) {
          waiting = [...waiting, ...options.signals.signalsAt(time, [])];
          if (pending.length > 0 || waiting.length > 0) {
            const began = performance.now();
            const report = await executor.step({ time, candles: [], signals: waiting, fills: pending });
            pending = [];
            waiting = [];
            cycled(time, report, true, began);
          }
        }
      }
      // The operator's closes and reloads, between cycles, at an instant no cycle has used.
      const operatorTime = Math.min(feed.now(), last + options.timeframe - 1);
      if (hooks.operator?.waiting() === true && Number.isFinite(last) && operatorTime > lastCycle) {
        await hooks.operator.run(executor, operatorTime);
        lastCycle = operatorTime;
      }
    } catch (error) {
      // What a failed cycle sent is recorded; the same closes are fetched and traded next time.
      logger.error({ err: error }, `cycle failed, retrying at the next poll: ${(error as Error).message}`);
      hooks.failed?.(error);
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, options.pollMs)), options.stop, ...(hooks.operator === undefined ? [] : [hooks.operator.queued()])]);
  }
  logger.info({ open_positions: executor.openPositions().length }, 'session stopped; open positions keep their stops at the venue');
}
