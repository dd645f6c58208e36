import type { CycleRecord, EquityPoint } from '../execution/journal.js';
import { MemoryJournal, type TradingStore } from '../store/index.js';
import { MonthEnds, ShutdownLog, type MonthlyReturn, type ShutdownEvent } from './breakdown.js';
import type { ControlSample } from './metrics.js';
import { ControlTally, EquityTally, type SymbolLists } from './running-metrics.js';
import { SampledSeries } from './sampled-series.js';
import { warmUpEnd, type WarmUpBoard } from './warm-up.js';

/** The controls of the first run at a close where one of them changed (and at the last close): what the timeline bands draw. */
export interface ControlChange {
  readonly time: number;
  readonly exit_mode: string;
  readonly gate_open: boolean;
  readonly stance: string;
}

/** A close whose warm-up state is not known yet: the run without a policy of its own waits for another's. */
export interface PendingControl {
  readonly sample: Omit<ControlSample, 'warming_up'>;
  readonly lists?: SymbolLists;
}

/** What a run keeps of its cycles and equity points: bounded whatever its length. */
export interface RunRecord {
  readonly first_mode?: string;
  /** The first close with an evaluated policy, if the run had one. */
  readonly first_policy?: number;
  readonly fallbacks: number;
  /** The equity curve for charts: whole while short, else each bucket's lowest and highest point (SampledSeries). */
  readonly equity: readonly EquityPoint[];
  readonly monthly: readonly MonthlyReturn[];
  readonly timeline: readonly ControlChange[];
  /** Gate closings after the run's own first policy. */
  readonly shutdowns: readonly ShutdownEvent[];
  readonly equity_figures: ReturnType<EquityTally['figures']>;
  /** The control figures, or the closes still waiting for the warm-up end of a run that had not said it when this one ended. */
  readonly controls: { readonly figures: ReturnType<ControlTally['figures']> } | { readonly pending: readonly PendingControl[] };
}

export interface RunRecorderOptions {
  /** This run's place among the runs, their rule sets' content hashes, and where they tell their first policy. */
  readonly index: number;
  readonly hashes: readonly string[];
  readonly board: WarmUpBoard;
  /** False: the run evaluates no policy, and takes its warm-up end from another run. */
  readonly evaluates: boolean;
  readonly initialEquity: number;
  readonly dayStartHourUtc: number;
  /** The run's SQLite store, written as the run goes (cycles and equity) and completed at its end. */
  readonly store?: TradingStore;
}

const STORE_BATCH = 1024;

/**
 * A backtest run's journal: the MemoryJournal's records of orders, positions, trades, decisions and
 * signals (as many as the signals), while every cycle and equity point (one per candle close) is folded
 * into the run's figures, charts and shutdown list as it comes and, with a store, written to it in
 * batches, never held.
 */
export class RunRecorder extends MemoryJournal {
  private readonly equityTally: EquityTally;
  private readonly controlTally = new ControlTally();
  private readonly equitySeries = new SampledSeries<EquityPoint>((p) => p.equity);
  private readonly monthEnds = new MonthEnds();
  private lastEquity: EquityPoint | undefined;
  private firstMode: string | undefined;
  private firstPolicy: number | undefined;
  private fallbacks = 0;
  private warmUp: number | undefined | 'pending' = 'pending';
  private pending: PendingControl[] = [];
  private readonly timeline: ControlChange[] = [];
  private lastControls: ControlChange | undefined;
  private readonly shutdowns = new ShutdownLog();
  private cycleBatch: CycleRecord[] = [];
  private equityBatch: EquityPoint[] = [];

  constructor(private readonly options: RunRecorderOptions) {
    super();
    this.equityTally = new EquityTally(options.initialEquity, options.dayStartHourUtc);
  }

  override recordEquity(point: EquityPoint): void {
    const copy = { time: point.time, equity: point.equity, balance: point.balance };
    if (this.options.store !== undefined && this.equityBatch.push(copy) >= STORE_BATCH) this.flush();
    // The end of a backtest marks the account again at the last close: a point replaces the one of its time.
    const last = this.lastEquity;
    if (last !== undefined && copy.time < last.time) throw new Error(`equity out of time order: ${copy.time} after ${last.time}`);
    if (last !== undefined && copy.time > last.time) this.foldEquity(last);
    this.lastEquity = copy;
  }

  override recordCycle(cycle: CycleRecord): void {
    if (this.options.store !== undefined && this.cycleBatch.push(cycle) >= STORE_BATCH) this.flush();
    this.firstMode ??= cycle.mode;
    const policy = cycle.policy as (SymbolLists & { risk_profile?: string }) | undefined;
    if (policy !== undefined && this.firstPolicy === undefined) {
      if (!this.options.evaluates) throw new Error('a run with the orchestrator off evaluated a policy');
      this.firstPolicy = cycle.time;
      this.options.board.publish(this.options.index, cycle.time);
    }
    if (policy?.risk_profile === 'FALLBACK') this.fallbacks++;
    this.noteTimeline(cycle);
    if (this.firstPolicy !== undefined) this.shutdowns.add(cycle);
    const sample = { time: cycle.time, gate_open: cycle.gate_open, exit_mode: cycle.exit_mode, stance: cycle.stance };
    if (this.warmUp === 'pending') this.warmUp = this.resolveWarmUp(false);
    if (this.warmUp === 'pending') this.pending.push({ sample, ...(policy === undefined ? {} : { lists: policy }) });
    else this.controlTally.add({ ...sample, warming_up: this.warmUp === undefined || sample.time < this.warmUp }, policy);
  }

  /** After the run: the record, with every figure that this run alone decides. `symbols`: every symbol of the data. */
  finish(symbols: readonly string[]): RunRecord {
    this.flush();
    if (this.firstPolicy === undefined) this.options.board.publish(this.options.index, null);
    if (this.lastEquity !== undefined) this.foldEquity(this.lastEquity);
    this.lastEquity = undefined;
    if (this.warmUp === 'pending') this.warmUp = this.resolveWarmUp(true);
    const last = this.lastControls;
    const timeline = last === undefined || this.timeline.at(-1) === last ? this.timeline : [...this.timeline, last];
    return {
      ...(this.firstMode === undefined ? {} : { first_mode: this.firstMode }),
      ...(this.firstPolicy === undefined ? {} : { first_policy: this.firstPolicy }),
      fallbacks: this.fallbacks,
      equity: this.equitySeries.points(),
      monthly: this.monthEnds.returns(this.options.initialEquity),
      timeline,
      shutdowns: this.shutdowns.events,
      equity_figures: this.equityTally.figures(),
      controls: this.warmUp === 'pending' ? { pending: this.pending } : { figures: this.controlTally.figures(symbols) },
    };
  }

  private foldEquity(point: EquityPoint): void {
    this.equityTally.add(point.time, point.equity);
    this.equitySeries.add(point);
    this.monthEnds.add(point.time, point.equity);
  }

  private resolveWarmUp(ended: boolean): number | undefined | 'pending' {
    const { index, hashes, board, evaluates } = this.options;
    const resolved = warmUpEnd(index, hashes, (run) => {
      if (run !== index) return board.read(run);
      return this.firstPolicy ?? (ended || !evaluates ? null : 'pending');
    });
    if (resolved !== 'pending') {
      for (const { sample, lists } of this.pending) this.controlTally.add({ ...sample, warming_up: resolved === undefined || sample.time < resolved }, lists);
      this.pending = [];
    }
    return resolved;
  }

  private noteTimeline(cycle: CycleRecord): void {
    const point = { time: cycle.time, exit_mode: cycle.exit_mode, gate_open: cycle.gate_open, stance: cycle.stance };
    const kept = this.timeline.at(-1);
    if (kept === undefined || kept.exit_mode !== point.exit_mode || kept.gate_open !== point.gate_open || kept.stance !== point.stance) this.timeline.push(point);
    this.lastControls = point;
  }

  private flush(): void {
    const store = this.options.store;
    if (store === undefined || (this.cycleBatch.length === 0 && this.equityBatch.length === 0)) return;
    const [cycles, equity] = [this.cycleBatch, this.equityBatch];
    this.cycleBatch = [];
    this.equityBatch = [];
    store.transaction(() => {
      for (const point of equity) store.recordEquity(point);
      for (const cycle of cycles) store.recordCycle(cycle);
    });
  }
}
