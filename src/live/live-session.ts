import type { Broker } from '../broker/broker.js';
import type { Order } from '../broker/model.js';
import { PaperBroker } from '../broker/paper/index.js';
import { groupByCloseTime } from '../backtest/replay.js';
import { Executor } from '../execution/executor.js';
import type { Logger } from '../logger.js';
import type { Candle, TimeframeMs } from '../market/candle.js';
import type { ExchangeCandleFeed } from '../market/candles/exchange-feed.js';
import type { PolicyEngine } from '../policy/policy-engine.js';
import type { SignalSource } from '../signals/index.js';
import { MarketStateBuilder } from '../state/index.js';
import { RiskTracker } from '../state/risk/index.js';
import type { TradingStore } from '../store/index.js';

/** A venue that reports the fills of its resting orders when asked (the exchange adapter). */
export interface PolledVenue extends Broker {
  collectFills(): Promise<Order[]>;
}

export interface LiveSessionOptions {
  readonly feed: Pick<ExchangeCandleFeed, 'closed'>;
  /** The paper broker (fills simulated on the live candles) or the exchange adapter. */
  readonly broker: PaperBroker | PolledVenue;
  readonly symbols: readonly string[];
  readonly timeframe: TimeframeMs;
  readonly policy: { readonly engine: PolicyEngine };
  readonly signals: SignalSource;
  readonly store: TradingStore;
  readonly logger: Logger;
  readonly profile?: string;
  /** Closed bars fetched per symbol at start-up to warm the indicators up. */
  readonly warmupBars?: number;
  /** Adopt positions found on the exchange that the store does not know (else only report them). */
  readonly adoptUnknownPositions?: boolean;
  readonly pollMs: number;
  /** Ends the session when it resolves. */
  readonly stop: Promise<void>;
  readonly onCycle?: (time: number) => void;
  /** Wall clock (tests replay old bars). */
  readonly clock?: () => number;
}

/**
 * `quantum-trader run`: polls closed candles, and at each new candle close runs one executor cycle with
 * the venue's fills, the signals and the live rule set, committing to the store; between closes, a poll
 * that finds fills or signals runs a cycle without candles. On start it restores
 * the store, warms the indicators up on recent history, and (on an exchange) reconciles positions and
 * orders with the venue before trading. An instant whose cycle could not complete is retried next poll.
 */
export async function runLiveSession(options: LiveSessionOptions): Promise<void> {
  const { store, logger, broker } = options;
  const clock = options.clock ?? Date.now;
  const cursor = store.loadState<{ time: number }>('cursor')?.time;
  const saved = store.loadRiskState();
  const builder = new MarketStateBuilder({ ruleSet: () => options.policy.engine.ruleSet, ...(saved === undefined ? {} : { risk: RiskTracker.restore(saved) }) });
  const paper = broker instanceof PaperBroker ? broker : undefined;
  const executor = new Executor({
    broker, policy: options.policy, builder, logger, journal: store,
    ...(paper === undefined ? {} : { venueState: () => paper.toJSON() }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });

  // Warm-up: every closed bar up to the last traded instant (or all but the newest on a first start).
  const history: Candle[] = [];
  for (const symbol of options.symbols) history.push(...(await options.feed.closed(symbol, options.timeframe, undefined, options.warmupBars ?? 300)));
  history.sort((a, b) => a.closeTime - b.closeTime || (a.symbol < b.symbol ? -1 : 1));
  const instants = groupByCloseTime(history);
  const warmUntil = cursor ?? instants.at(-2)?.time ?? Number.NEGATIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const { time, candles } of instants) {
    if (time > warmUntil) break;
    await builder.onCandles(candles);
    executor.notePrices(candles);
    options.signals.signalsAt(time, candles);
    last = time;
  }
  logger.info({ warmed_up_to: Number.isFinite(last) ? new Date(last).toISOString() : null, resumed_after: cursor === undefined ? null : new Date(cursor).toISOString(), open_positions: executor.openPositions().length }, 'session started');

  let pending: Order[] = [];
  // Signals of an instant are computed once: a retried cycle must not feed the strategy the same bars twice.
  let signalled: { time: number; signals: ReturnType<SignalSource['signalsAt']> } | undefined;
  if (paper === undefined) {
    const reconciled = await executor.reconcile(Number.isFinite(last) ? last : Date.now(), { adopt: options.adoptUnknownPositions ?? false });
    pending = reconciled.fills;
    if (reconciled.fills.length + reconciled.adopted.length + reconciled.unexplained.length > 0) {
      logger.warn({ fills_while_away: reconciled.fills.map((f) => f.client_id), adopted: reconciled.adopted, unexplained: reconciled.unexplained }, 'reconciled with the exchange');
    }
  }

  let stopped = false;
  void options.stop.then(() => (stopped = true));
  let lastCycle = Math.max(last, cursor ?? Number.NEGATIVE_INFINITY);
  /** Signals released between closes and not yet acted on (kept if their cycle fails). */
  let waiting: ReturnType<SignalSource['signalsAt']> = [];
  const cycled = (time: number, report: Awaited<ReturnType<Executor['step']>>, midBar: boolean) => {
    lastCycle = time;
    logger.info({ time: new Date(time).toISOString(), mid_bar: midBar, equity: Math.round(report.equity * 100) / 100, positions: report.positions.length, decisions: report.decisions.length, gate: report.controls.gate_open }, 'cycle');
    options.onCycle?.(time);
  };
  while (!stopped) {
    try {
      const fresh: Candle[] = [];
      let complete = Number.POSITIVE_INFINITY;
      for (const symbol of options.symbols) {
        const since = Number.isFinite(last) ? last - options.timeframe + 1 : undefined;
        const bars = (await options.feed.closed(symbol, options.timeframe, since, 100)).filter((c) => c.closeTime > last);
        fresh.push(...bars);
        complete = Math.min(complete, bars.at(-1)?.closeTime ?? last);
      }
      // An instant is traded once every symbol has published its bar (the exchange publishes them one by
      // one), or once it is a whole bar late, so one halted symbol cannot stop the others.
      const ready = Math.max(complete, clock() - options.timeframe);
      fresh.sort((a, b) => a.closeTime - b.closeTime || (a.symbol < b.symbol ? -1 : 1));
      const instants = groupByCloseTime(fresh.filter((c) => c.closeTime <= ready));
      for (const { time, candles } of instants) {
        // Fills stay pending until a cycle has applied them: a failed cycle must not lose them.
        pending = paper !== undefined ? [...pending, ...candles.flatMap((c) => paper.onCandle(c))] : [...pending, ...(await (broker as PolledVenue).collectFills())];
        if (signalled?.time !== time) signalled = { time, signals: options.signals.signalsAt(time, candles) };
        const report = await executor.step({ time, candles, signals: signalled.signals, fills: pending });
        pending = [];
        last = time;
        cycled(time, report, false);
      }
      if (instants.length === 0 && Number.isFinite(last)) {
        // Between closes (the design's every-N-seconds cycle): fills of the exchange's stops and take-profits
        // and signals that arrived are acted on now, at a time kept inside the current bar.
        if (paper === undefined) pending = [...pending, ...(await (broker as PolledVenue).collectFills())];
        const time = Math.min(clock(), last + options.timeframe - 1);
        if (time > lastCycle) {
          waiting = [...waiting, ...options.signals.signalsAt(time, [])];
          if (pending.length > 0 || waiting.length > 0) {
            const report = await executor.step({ time, candles: [], signals: waiting, fills: pending });
            pending = [];
            waiting = [];
            cycled(time, report, true);
          }
        }
      }
    } catch (error) {
      // Nothing of an unfinished poll was committed; the same closes are fetched and traded next time.
      logger.error({ err: error }, `cycle failed, retrying at the next poll: ${(error as Error).message}`);
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, options.pollMs)), options.stop]);
  }
  logger.info({ open_positions: executor.openPositions().length }, 'session stopped; open positions keep their stops at the venue');
}
