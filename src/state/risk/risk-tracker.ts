import type { AccountEvent } from '../account-events.js';
import type { RiskState, SymbolStats } from '../market-state.js';
import { adverseSlippage, spreadFraction } from './costs.js';
import { eventProblem } from './event-checks.js';
import type { DrawdownLatch, RiskSnapshot } from './risk-snapshot.js';
import { riskTrackerSettings, type RiskTrackerSettings } from './settings.js';
import { SymbolRecord } from './symbol-record.js';
import { parseRiskTrackerJSON, RISK_TRACKER_FORMAT, type RiskTrackerJSON } from './tracker-json.js';
import { formatTime, tradingDayStart } from './trading-day.js';

/**
 * Outcome of applying one event. A bad event is reported, not thrown: one malformed quote from an
 * exchange must not stop the stream that feeds the trading gate, and the caller decides how loudly to
 * complain. A rejected event leaves the tracker exactly as it was.
 */
export type ApplyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

type Position = { readonly symbol: string; readonly notional: number };

const ACCEPTED: ApplyResult = Object.freeze({ ok: true });

/**
 * Folds account events into the risk state and per-symbol performance the policy rules read. A
 * deterministic reducer: its only clock is the events' `time`, so a replay gives the same snapshots.
 *
 * Ordering: events are applied in arrival order, except that an event older than the current trading
 * day is rejected (its day's drawdown is closed), and an equity mark or positions snapshot older than
 * the last one of its kind is rejected as stale (they replace state, so a late one would roll it back).
 */
export class RiskTracker {
  readonly settings: RiskTrackerSettings;
  private clock: number | null = null;
  private day: number | null = null;
  private baseline: number | null = null;
  private equityNow: number | null = null;
  private equityTime: number | null = null;
  private positions: readonly Position[] = [];
  private positionsNotional = 0;
  private positionsTime: number | null = null;
  private streak = 0;
  private latch: DrawdownLatch | null = null;
  private readonly records = new Map<string, SymbolRecord>();
  private symbolsView: Readonly<Record<string, SymbolStats>> | undefined;
  private last: RiskSnapshot | undefined;

  constructor(settings: Partial<RiskTrackerSettings> = {}) {
    this.settings = riskTrackerSettings(settings);
  }

  /**
   * Continues from `toJSON()` output. Without `settings` the saved ones apply. With other settings, the
   * windows keep their newest entries, and a new day start hour re-anchors the current day on the new
   * hour while keeping the baseline (the day in progress was measured from it).
   */
  static restore(json: unknown, settings?: Partial<RiskTrackerSettings>): RiskTracker {
    const saved = parseRiskTrackerJSON(json);
    const tracker = new RiskTracker(settings ?? saved.settings);
    const hour = tracker.settings.day_start_hour_utc;
    if (saved.clock !== null && saved.day_start !== tradingDayStart(saved.clock, saved.settings.day_start_hour_utc)) {
      throw new Error(`RiskTracker.restore: day_start ${formatTime(saved.day_start)} does not match clock ${formatTime(saved.clock)}`);
    }
    tracker.clock = saved.clock;
    tracker.day = saved.clock === null ? null : tradingDayStart(saved.clock, hour);
    tracker.baseline = saved.day_start_equity;
    tracker.equityNow = saved.equity;
    tracker.equityTime = saved.equity_time;
    tracker.setPositions(saved.positions, saved.positions_time);
    tracker.streak = saved.losing_streak;
    tracker.latch = saved.drawdown_latch ?? null;
    for (const [i, s] of saved.symbols.entries()) {
      tracker.records.set(s.symbol, SymbolRecord.fromJSON(s, tracker.settings, `RiskTracker.restore: symbols[${i}] (${s.symbol})`));
    }
    return tracker;
  }

  get dayStart(): number | null {
    return this.day;
  }

  get dayStartEquity(): number | null {
    return this.baseline;
  }

  get equity(): number | null {
    return this.equityNow;
  }

  /** The tripped daily-drawdown circuit, or null. */
  get drawdownLatch(): DrawdownLatch | null {
    return this.latch;
  }

  /**
   * Trips the daily-drawdown circuit until `until` (epoch ms): the risk state says daily_dd_latched until
   * the clock reaches it, whatever the drawdown does meanwhile. Who decides the limit and the length is
   * the caller (the hard-limit layer, from the profile); the tracker only keeps the latch and persists it.
   * A latch already set is kept (its start time matters), unless the new one lasts longer.
   */
  latchDrawdown(latch: DrawdownLatch): void {
    if (!(latch.until > latch.since)) throw new RangeError(`RiskTracker.latchDrawdown: until ${formatTime(latch.until)} must be after since ${formatTime(latch.since)}`);
    if (this.latch !== null && this.latch.until >= latch.until) return;
    this.latch = Object.freeze({ ...latch, since: this.latch?.since ?? latch.since });
    this.last = undefined;
  }

  apply(event: AccountEvent): ApplyResult {
    // Everything is checked before anything changes, so a rejection cannot leave a half-applied event.
    const problem = eventProblem(event) ?? this.orderProblem(event);
    if (problem !== undefined) return { ok: false, reason: problem };
    this.advanceClock(event.time);
    switch (event.type) {
      case 'equity':
        this.equityNow = event.equity;
        this.equityTime = event.time;
        // Tracking started mid-day (or nothing was known at the boundary): the first mark is the best baseline.
        this.baseline ??= event.equity;
        break;
      case 'positions':
        this.setPositions(event.positions, event.time);
        break;
      case 'trade-closed':
        // Breakeven neither extends nor resets the streak: it is no evidence that the losing run ended,
        // and fees make exact zero rare enough that counting it either way would mostly add noise.
        if (event.shadow !== true) {
          if (event.pnl < 0) this.streak += 1;
          else if (event.pnl > 0) this.streak = 0;
        }
        this.record(event.symbol).addTrade(event.pnl, event.r_multiple, event.time);
        this.symbolsView = undefined;
        break;
      case 'quote':
        // A spread like the ones before it leaves the symbol's stats, and so the symbols view, as they were.
        if (this.record(event.symbol).addSpread(spreadFraction(event))) this.symbolsView = undefined;
        break;
      case 'fill':
        this.record(event.symbol).addSlippage(adverseSlippage(event));
        this.symbolsView = undefined;
        break;
    }
    this.last = undefined;
    return ACCEPTED;
  }

  /**
   * Moves the clock to `time` without an event: a candle close in a new trading day starts the day (the
   * drawdown baseline becomes the last known equity) even when the account had nothing to report.
   * Times at or before the clock change nothing.
   */
  advanceTo(time: number): void {
    if (!Number.isFinite(time)) throw new RangeError(`RiskTracker.advanceTo: time must be a finite epoch ms, got ${time}`);
    if (this.clock !== null && time <= this.clock) return;
    this.advanceClock(time);
    this.last = undefined;
  }

  /** The current state; the same object is returned until an event is accepted. */
  snapshot(): RiskSnapshot {
    if (!this.last) {
      const equity = this.equityNow;
      const drawdown = equity !== null && this.baseline !== null ? Math.min(0, equity / this.baseline - 1) : 0;
      const risk: RiskState = Object.freeze({
        daily_dd_pct: drawdown === 0 ? 0 : drawdown, // no -0 in the output
        open_positions: this.positions.length,
        // Without a known positive equity there is nothing to relate the notional to; 0 rather than
        // Infinity or NaN keeps the state schema-valid, and the drawdown gate still sees the account.
        exposure_pct: equity !== null && equity > 0 ? this.positionsNotional / equity : 0,
        losing_streak: this.streak,
        ...(this.latch === null ? {} : { daily_dd_latched: true }),
      });
      this.symbolsView ??= this.symbolStats();
      this.last = Object.freeze({ time: this.clock, risk, symbols: this.symbolsView, dayStart: this.day, dayStartEquity: this.baseline, equity, drawdownLatch: this.latch });
    }
    return this.last;
  }

  /** Every symbol's stats, in the order the symbols were first seen (rebuilt whenever one changed). */
  private symbolStats(): Readonly<Record<string, SymbolStats>> {
    const view: Record<string, SymbolStats> = {};
    for (const [symbol, record] of this.records) view[symbol] = record.stats();
    return Object.freeze(view);
  }

  toJSON(): RiskTrackerJSON {
    return {
      format: RISK_TRACKER_FORMAT,
      settings: { ...this.settings },
      clock: this.clock,
      day_start: this.day,
      day_start_equity: this.baseline,
      equity: this.equityNow,
      equity_time: this.equityTime,
      positions: this.positions.map((p) => ({ symbol: p.symbol, notional: p.notional })),
      positions_time: this.positionsTime,
      losing_streak: this.streak,
      ...(this.latch === null ? {} : { drawdown_latch: { ...this.latch } }),
      symbols: [...this.records.values()].map((r) => r.toJSON()),
    };
  }

  private orderProblem(event: AccountEvent): string | undefined {
    if (this.day !== null && event.time < this.day) return `${eventAt(event)}: time is before the current trading day, which started ${formatTime(this.day)}`;
    if (event.type === 'equity' && this.equityTime !== null && event.time < this.equityTime) {
      return `${eventAt(event)}: time is older than the last equity mark (${formatTime(this.equityTime)})`;
    }
    if (event.type === 'positions' && this.positionsTime !== null && event.time < this.positionsTime) {
      return `${eventAt(event)}: time is older than the last positions snapshot (${formatTime(this.positionsTime)})`;
    }
    return undefined;
  }

  /**
   * A new trading day takes the last equity known before its boundary as its baseline, so a loss carried
   * over in open positions still counts from the boundary, not from whenever the next mark arrives.
   */
  private advanceClock(time: number): void {
    const day = tradingDayStart(time, this.settings.day_start_hour_utc);
    if (this.day === null) this.day = day;
    else if (day > this.day) {
      this.day = day;
      this.baseline = this.equityNow;
    }
    this.clock = this.clock === null ? time : Math.max(this.clock, time);
    if (this.latch !== null && this.clock >= this.latch.until) this.latch = null;
    if (this.settings.performance_days !== undefined) {
      // A window of days moves with the clock: trades that fell out of it stop counting.
      let changed = false;
      for (const record of this.records.values()) changed = record.prune(this.clock) || changed;
      if (changed) this.symbolsView = undefined;
    }
  }

  private setPositions(positions: readonly Position[], time: number | null): void {
    // Copied: the event's array belongs to the caller, who may reuse it.
    this.positions = Object.freeze(positions.map((p) => Object.freeze({ symbol: p.symbol, notional: p.notional })));
    this.positionsNotional = this.positions.reduce((sum, p) => sum + p.notional, 0);
    this.positionsTime = time;
  }

  private record(symbol: string): SymbolRecord {
    let record = this.records.get(symbol);
    if (!record) {
      record = SymbolRecord.empty(symbol, this.settings);
      this.records.set(symbol, record);
      this.symbolsView = undefined;
    }
    return record;
  }
}

// Built only for a rejected event: formatting a date for every accepted one showed in backtest profiles.
function eventAt(event: AccountEvent): string {
  return `${event.type} event at ${formatTime(event.time)}`;
}
