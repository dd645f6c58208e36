import type { ClosedTrade } from '../broker/model.js';
import type { DecisionRecord, EquityPoint } from '../execution/journal.js';
import type { Logger } from '../logger.js';
import type { Candle } from '../market/candle.js';
import type { PolicyEngine } from '../policy/policy-engine.js';
import type { BacktestConfigDoc } from '../policy/rule-set.js';
import type { SignalSource } from '../signals/index.js';
import type { FundingRate } from '../broker/paper/index.js';
import type { BlockPeriod } from '../execution/symbol-blocks.js';
import { HEADLINE_BASELINE, type OrchestratorSwitches } from './baselines.js';
import type { MonthlyReturn, ShutdownEvent } from './breakdown.js';
import { assembleMetrics, drawdownReduction, type RunMetrics } from './metrics.js';
import type { ControlChange, PendingControl } from './run-record.js';
import { ControlTally, tradeFigures } from './running-metrics.js';
import { warmUpEnd, WarmUpBoard } from './warm-up.js';
import { tradeRun, type TradedRun } from './trade-run.js';

/** One of the runs compared: a rule set and profile, with the orchestrator's switches (see baselines.ts). */
export interface RunSpec {
  /** Short name used in tables and file names: `on`, `static`, `off`, `vs`. */
  readonly id: string;
  readonly label: string;
  readonly engine: PolicyEngine;
  readonly profile?: string;
  readonly orchestrator: OrchestratorSwitches;
  /** The mode as tables show it, when not the executor's own (the static baseline runs LIVE with only the caps on). */
  readonly mode?: string;
}

export interface RunResult {
  readonly id: string;
  readonly label: string;
  /** LIVE / OBSERVE / OFF, as traded. */
  readonly mode: string;
  readonly rule_set_version: string;
  readonly content_hash: string;
  readonly profile: string;
  readonly metrics: RunMetrics;
  readonly trades: readonly ClosedTrade[];
  /** The equity curve for charts: every point of a short run, else a bounded sample keeping each stretch's lowest and highest (SampledSeries). */
  readonly equity: readonly EquityPoint[];
  /** Equity at the end of each month (UTC) against the month before. */
  readonly monthly: readonly MonthlyReturn[];
  /** The controls at each close where they changed, and at the last close. */
  readonly timeline: readonly ControlChange[];
  /** Every closing of the gate after the run's own first policy. */
  readonly shutdowns: readonly ShutdownEvent[];
  readonly decisions: readonly DecisionRecord[];
  /** Policy evaluations (compiled rules, or json-rules-engine where they cannot compile): one per cycle with the orchestrator on. */
  readonly policy_evaluations: number;
  /** Cycles whose policy was the fallback (evaluation failed). */
  readonly fallbacks: number;
  /** Every symbol block of the run: symbol, reason, from, to (null: still in force at the end). */
  readonly blocks: readonly BlockPeriod[];
  /** Funding received (positive) or paid (negative) by the paper venue, in total and per symbol. */
  readonly funding: { readonly total: number; readonly by_symbol: Readonly<Record<string, number>> };
  /** The first close with a market state (earlier closes only warmed the indicators up); undefined if none. */
  readonly warm_up_end?: number;
}

export interface BacktestOptions {
  /**
   * An array, or something iterable once per run that generates or reads the candles as it goes (e.g.
   * SyntheticMarket.stream()), so a long run never holds them all; a stream's progress has no total.
   */
  readonly candles: readonly Candle[] | Iterable<Candle>;
  readonly runs: readonly RunSpec[];
  /** A fresh signal source per run, so every run sees the same signals from the same candles. */
  readonly signals: () => SignalSource;
  /** The simulated account; default: the first run's rule set's rules/backtest.yaml. */
  readonly config?: BacktestConfigDoc;
  /** Folder for each run's SQLite store (replaced on every backtest); default: in memory. */
  readonly storeDir?: string;
  readonly tradeFrom?: number;
  /** Funding-rate histories per symbol (backtest --funding); else the config's rates. */
  readonly funding?: Readonly<Record<string, readonly FundingRate[]>>;
  readonly logger: Logger;
  readonly onProgress?: (run: RunSpec, done: number, total: number) => void;
}

export interface BacktestResult {
  readonly runs: readonly RunResult[];
  /** Id of the run the headline ratios compare with: `static` when there is one, else `off`. */
  readonly baseline?: string;
  /** The design's headline ratios, each other run against the baseline. */
  readonly reduction: Readonly<Record<string, ReturnType<typeof drawdownReduction>>>;
  /** The same ratios against `off` (no controls), when the baseline is another run. */
  readonly reduction_vs_off?: Readonly<Record<string, ReturnType<typeof drawdownReduction>>>;
}

/**
 * Replays the same candles and signals once per run through the whole trading path (market state →
 * policy → executor → paper broker → store) and measures each. The runs differ only in their rule set,
 * profile and orchestrator switch, so every difference in the results is the policy's doing. Here the
 * runs go one after the other in this thread; `backtest` runs them in worker threads (run-in-workers).
 */
export async function runBacktest(options: BacktestOptions): Promise<BacktestResult> {
  const config = options.config ?? options.runs[0]!.engine.ruleSet.backtest;
  const plan = runPlan(options.runs);
  const board = WarmUpBoard.create(options.runs.length);
  const traded: TradedRun[] = [];
  for (const [index, run] of options.runs.entries()) {
    const { onProgress, runs: _runs, ...common } = options;
    traded.push(await tradeRun(run, {
      ...common, config, index, hashes: plan.map((p) => p.content_hash), board,
      ...(onProgress === undefined ? {} : { onProgress: (done: number, total: number) => onProgress(run, done, total) }),
    }));
  }
  return assembleResult(traded, plan, config);
}

/** What the assembly of the results needs to know of each run besides what it traded (plain values: it crosses threads). */
export interface RunPlanEntry {
  readonly id: string;
  readonly mode?: string;
  readonly content_hash: string;
  readonly day_start_hour_utc: number;
}

export function runPlan(runs: readonly RunSpec[]): RunPlanEntry[] {
  return runs.map((run) => ({
    id: run.id, ...(run.mode === undefined ? {} : { mode: run.mode }), content_hash: run.engine.ruleSet.contentHash,
    day_start_hour_utc: run.engine.ruleSet.manifest.market?.trading_day_start_hour_utc ?? 0,
  }));
}

/** The comparison from the runs' records: warm-up ends, metrics, the headline ratios against the baselines. */
export function assembleResult(traded: readonly TradedRun[], plan: readonly RunPlanEntry[], config: BacktestConfigDoc): BacktestResult {
  const symbols = [...new Set(traded.flatMap((r) => r.symbols))].sort();
  const hashes = plan.map((p) => p.content_hash);
  const results = traded.map((r, i): RunResult => {
    const { record, symbols: _seen, ...rest } = r;
    const warmUp = warmUpEnd(i, hashes, (run) => traded[run]!.record.first_policy ?? null);
    const warmUpEnd_ = warmUp === 'pending' ? undefined : warmUp;
    const controls = 'figures' in record.controls ? record.controls.figures : pendingFigures(record.controls.pending, warmUpEnd_, symbols);
    return {
      ...rest,
      mode: plan[i]!.mode ?? record.first_mode ?? rest.mode,
      ...(warmUpEnd_ === undefined ? {} : { warm_up_end: warmUpEnd_ }),
      metrics: assembleMetrics(config.initial_balance, record.equity_figures, tradeFigures(r.trades), controls),
      equity: record.equity,
      monthly: record.monthly,
      timeline: record.timeline,
      shutdowns: record.shutdowns,
      fallbacks: record.fallbacks,
    };
  });
  const baseline = results.find((r) => r.id === HEADLINE_BASELINE) ?? results.find((r) => r.id === 'off');
  const off = results.find((r) => r.id === 'off');
  const against = (base: RunResult | undefined) => Object.fromEntries(results.filter((r) => base !== undefined && r !== base).map((r) => [r.id, drawdownReduction(r.metrics, base!.metrics)]));
  return {
    runs: results,
    ...(baseline === undefined ? {} : { baseline: baseline.id }),
    reduction: against(baseline),
    ...(off === undefined || off === baseline ? {} : { reduction_vs_off: against(off) }),
  };
}

function pendingFigures(pending: readonly PendingControl[], warmUp: number | undefined, symbols: readonly string[]) {
  const tally = new ControlTally();
  for (const { sample, lists } of pending) tally.add({ ...sample, warming_up: warmUp === undefined || sample.time < warmUp }, lists);
  return tally.figures(symbols);
}

/** A decision of one run that the other run did not take, keyed by time, symbol, action and reason. */
export interface DecisionDifference {
  readonly time: number;
  readonly symbol: string;
  readonly a?: string;
  readonly b?: string;
}

/**
 * What an edit changed, decision by decision: per (time, symbol), the actions and reasons of two runs
 * where they differ (`a` absent: only run B decided something there).
 */
export function differingDecisions(a: readonly DecisionRecord[], b: readonly DecisionRecord[]): DecisionDifference[] {
  const key = (d: DecisionRecord) => `${d.time}\u0000${d.symbol}`;
  const describe = (list: readonly DecisionRecord[]) => {
    const byKey = new Map<string, string[]>();
    for (const d of list) byKey.set(key(d), [...(byKey.get(key(d)) ?? []), `${d.action}:${d.reason}`]);
    return new Map([...byKey].map(([k, v]) => [k, v.sort().join(', ')]));
  };
  const left = describe(a);
  const right = describe(b);
  const differences: DecisionDifference[] = [];
  for (const k of new Set([...left.keys(), ...right.keys()])) {
    const [time, symbol] = k.split('\u0000') as [string, string];
    const l = left.get(k);
    const r = right.get(k);
    if (l !== r) differences.push({ time: Number(time), symbol, ...(l === undefined ? {} : { a: l }), ...(r === undefined ? {} : { b: r }) });
  }
  return differences.sort((x, y) => x.time - y.time || (x.symbol < y.symbol ? -1 : 1));
}
