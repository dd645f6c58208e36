import { catchError, defer, EMPTY, filter, from, lastValueFrom, race, repeat, tap, timer, type Observable } from 'rxjs';
import type { Broker } from '../broker/broker.js';
import type { Order } from '../broker/model.js';
import { PaperBroker } from '../broker/paper/index.js';
import type { TradingSession } from '../execution/trading-session.js';
import type { ClockedInstant, CycleInputs, CycleOutcome } from '../execution/trading-cycles.js';
import type { Candle } from '../market/candle.js';
import { groupByCloseTime } from '../market/time-batches.js';
import type { Signal } from '../signals/signal.js';
import { recordFunding, type FundingVenue } from './funding-record.js';
import type { LiveSessionOptions } from './live-session.js';
import type { SessionHooks } from './session-hooks.js';

export interface WallClockOptions extends Pick<LiveSessionOptions, 'feed' | 'symbols' | 'timeframe' | 'signals' | 'store' | 'logger' | 'pollMs' | 'stop' | 'onCycle'> {
  readonly hooks: SessionHooks;
}

/**
 * Live trading's clock: every `pollMs` (sooner when the operator queues an action) the exchange's closed
 * bars are fetched, and each close every symbol has published (or that is a whole bar late, so one halted
 * symbol cannot stop the others) is an instant traded through the session's trading stage, the same
 * `tradingCycles` a backtest runs on its virtual clock. Between closes, a poll that finds fills of the
 * venue's stops and take-profits, or signals that arrived, makes an instant without candles (the
 * design's every-N-seconds cycle), at a time kept inside the current bar. A poll that fails (the
 * exchange, a cycle) is logged and retried at the next one: what a failed cycle sent is recorded, its
 * fills stay pending, the same closes are fetched and traded again.
 */
export class WallClock {
  private readonly paper: PaperBroker | undefined;
  /** The last close traded (or warmed up on). */
  private lastClose: number;
  /** The last instant any cycle or operator action used: times only move forward. */
  private lastUsed: number;
  /** Fills not yet applied by a cycle. */
  private pending: Order[] = [];
  /** Signals released between closes and not yet acted on. */
  private waiting: readonly Signal[] = [];
  /** A close's signals are computed once: a retried cycle must not feed the strategy the same bars twice. */
  private signalled: { time: number; signals: readonly Signal[] } | undefined;
  private stopped = false;
  readonly inputs: CycleInputs = {
    fills: async ({ candles }) => {
      if (candles.length > 0) this.pending = [...this.pending, ...(await this.venueNews(candles))];
      return this.pending;
    },
    signals: ({ time, candles }) => {
      if (candles.length === 0) return this.waiting;
      if (this.signalled?.time !== time) this.signalled = { time, signals: this.options.signals.signalsAt(time, candles) };
      return this.signalled.signals;
    },
  };

  constructor(
    private readonly session: TradingSession,
    private readonly broker: Broker,
    private readonly options: WallClockOptions,
    startedAfter: { readonly lastClose: number; readonly lastCycle: number },
  ) {
    this.paper = broker instanceof PaperBroker ? broker : undefined;
    this.lastClose = startedAfter.lastClose;
    this.lastUsed = startedAfter.lastCycle;
    void options.stop.then(() => (this.stopped = true));
  }

  /** Trades until the session is stopped; a stop waits for the poll in progress to finish. */
  async run(): Promise<void> {
    const polls = defer(() => this.poll()).pipe(
      repeat({ delay: () => (this.stopped ? EMPTY : this.nextPoll()) }),
    );
    await lastValueFrom(polls, { defaultValue: undefined });
  }

  /** One poll: the closes it found ready (or a tick between closes) through the trading stage, then funding and the operator's actions. */
  private poll(): Observable<void> {
    return defer(async () => {
      const { feed, logger, hooks } = this.options;
      await feed.sync?.().catch((error: unknown) => logger.debug({ err: error }, 'clock sync failed; the last offset stands'));
      const closes = await this.readyCloses();
      await this.trade(closes);
      if (closes.length > 0 && 'fundingSince' in this.broker) {
        await recordFunding(this.broker as FundingVenue, this.options.store, logger, closes[0]!.time - this.options.timeframe).catch((error: unknown) => logger.warn({ err: error }, `funding payments not read this time: ${(error as Error).message}`));
      }
      if (closes.length === 0 && Number.isFinite(this.lastClose)) await this.trade(await this.midBarTick(), true);
      // The operator's closes and reloads, between cycles, at an instant no cycle has used.
      const operatorTime = this.insideBar();
      if (hooks.operator?.waiting() === true && Number.isFinite(this.lastClose) && operatorTime > this.lastUsed) {
        await hooks.operator.run(this.session.executor, operatorTime);
        this.lastUsed = operatorTime;
      }
    }).pipe(
      catchError((error: unknown) => {
        this.options.logger.error({ err: error }, `cycle failed, retrying at the next poll: ${(error as Error).message}`);
        this.options.hooks.failed?.(error);
        return EMPTY;
      }),
    );
  }

  /** The wait before the next poll: the poll interval, cut short by an operator's action; nothing once stopped. */
  private nextPoll(): Observable<unknown> {
    const operator = this.options.hooks.operator;
    return race(timer(this.options.pollMs), from(this.options.stop), ...(operator === undefined ? [] : [from(operator.queued())])).pipe(filter(() => !this.stopped));
  }

  /** Instants through the session's trading stage, in order; the first that fails stops the rest (the next poll fetches them again). */
  private async trade(instants: readonly ClockedInstant[], midBar = false): Promise<void> {
    if (instants.length === 0) return;
    await lastValueFrom(from(instants).pipe(this.session.cycles(this.inputs), tap((outcome) => this.cycled(outcome, midBar))), { defaultValue: undefined });
  }

  /** The closes every symbol has published since the last one traded (or that are a whole bar late). */
  private async readyCloses(): Promise<ClockedInstant[]> {
    const { feed, timeframe } = this.options;
    const fresh: Candle[] = [];
    let complete = Number.POSITIVE_INFINITY;
    const last = this.lastClose;
    for (const symbol of this.options.symbols) {
      const since = Number.isFinite(last) ? last - timeframe + 1 : undefined;
      const bars = (await feed.closed(symbol, timeframe, since, 100)).filter((c) => c.closeTime > last);
      fresh.push(...bars);
      complete = Math.min(complete, bars.at(-1)?.closeTime ?? last);
    }
    const ready = Math.max(complete, feed.now() - timeframe);
    fresh.sort((a, b) => a.closeTime - b.closeTime || (a.symbol < b.symbol ? -1 : 1));
    return groupByCloseTime(fresh.filter((c) => c.closeTime <= ready));
  }

  /** Between closes: an instant without candles when the venue reported fills or signals arrived. */
  private async midBarTick(): Promise<ClockedInstant[]> {
    if (this.paper === undefined) this.pending = [...this.pending, ...(await this.session.executor.pollVenue())];
    const time = this.insideBar();
    if (time <= this.lastUsed) return [];
    this.waiting = [...this.waiting, ...this.options.signals.signalsAt(time, [])];
    return this.pending.length > 0 || this.waiting.length > 0 ? [{ time, candles: [] }] : [];
  }

  private cycled({ time, report, durationMs }: CycleOutcome, midBar: boolean): void {
    if (report === undefined) return;
    this.pending = [];
    if (midBar) this.waiting = [];
    else this.lastClose = time;
    this.lastUsed = time;
    this.options.logger.info({ time: new Date(time).toISOString(), mid_bar: midBar, equity: Math.round(report.equity * 100) / 100, positions: report.positions.length, decisions: report.decisions.length, gate: report.controls.gate_open }, 'cycle');
    this.options.onCycle?.(time);
    this.options.hooks.cycled?.(report, { durationMs: durationMs ?? 0, midBar });
  }

  private async venueNews(candles: readonly Candle[]): Promise<Order[]> {
    return this.paper !== undefined ? candles.flatMap((c) => this.paper!.onCandle(c)) : this.session.executor.pollVenue();
  }

  /** Now, kept inside the bar after the last close. */
  private insideBar(): number {
    return Math.min(this.options.feed.now(), this.lastClose + this.options.timeframe - 1);
  }
}
