import { lastValueFrom, toArray } from 'rxjs';
import { withInferredRules } from '../backtest/account.js';
import { runBacktest, type RunSpec } from '../backtest/backtest.js';
import { baselineRuns, ON_SWITCHES } from '../backtest/baselines.js';
import type { RunFigures } from '../backtest/study/comparisons.js';
import { silentLogger } from '../logger.js';
import type { Candle } from '../market/candle.js';
import { inferPrecision } from '../market/candles/index.js';
import type { PolicyEngine } from '../policy/index.js';
import { SignalCatalogue } from '../signals/index.js';
import { readBacktestConfig } from './account-config.js';
import { candleSourceFrom, type CandleSourceFlags } from './candle-source-options.js';
import { engineFrom } from './rule-set-options.js';

/** A data set of a study: the synthetic market (its seed is the cell's) or the CSV files given. */
export interface DatasetSpec {
  readonly name: string;
  readonly kind: 'synthetic' | 'csv';
  readonly flags: CandleSourceFlags;
}

/** One point of a study's grid, as a worker runs it: everything is a plain value (it crosses threads). */
export interface StudyCell {
  readonly dataset: DatasetSpec;
  readonly source: string;
  /** The synthetic market's seed and the random entries' seed; null for CSV data with a deterministic strategy. */
  readonly seed: number | null;
  readonly profile: string;
  /** Absolute folders of the rule set. */
  readonly rules: string;
  readonly profiles: string;
  /** Rule-set variants (`--vs-rules`), each run with the orchestrator ON beside the baselines. */
  readonly variants: readonly { readonly id: string; readonly label: string; readonly rules: string }[];
  /** A BacktestConfig file (absolute), else the rule set's rules/backtest.yaml. */
  readonly config?: string;
  /** Trade from (earlier candles warm up) and to, epoch ms; a walk-forward period has its index. */
  readonly from?: number;
  readonly to?: number;
  readonly period?: number;
  readonly cwd: string;
}

export interface CellResult {
  readonly runs: readonly RunFigures[];
}

// A worker runs many cells: rule sets and data sets are loaded once per worker.
const engines = new Map<string, PolicyEngine>();
const datasets = new Map<string, Candle[]>();

function engineOf(rules: string, profiles: string, cwd: string): PolicyEngine {
  const key = `${rules}\u0000${profiles}`;
  let engine = engines.get(key);
  if (engine === undefined) engines.set(key, (engine = engineFrom({ rules, profiles }, cwd)));
  return engine;
}

export async function candlesOf(dataset: DatasetSpec, seed: number | null, engine: PolicyEngine): Promise<Candle[]> {
  const flags = dataset.kind === 'synthetic' && seed !== null ? { ...dataset.flags, seed: String(seed) } : dataset.flags;
  const key = JSON.stringify(flags);
  let candles = datasets.get(key);
  if (candles === undefined) {
    candles = await lastValueFrom(candleSourceFrom(flags, silentLogger(), engine.ruleSet).candles().pipe(toArray()));
    if (dataset.kind === 'csv' && flags.symbols !== undefined && flags.symbols.length > 0) candles = candles.filter((c) => flags.symbols!.includes(c.symbol));
    datasets.set(key, candles);
  }
  return candles;
}

/** The cell's backtest: ON, the STATIC and OFF baselines and each variant, on the same candles and signals. */
export async function runStudyCell(cell: StudyCell): Promise<CellResult> {
  const engine = engineOf(cell.rules, cell.profiles, cell.cwd);
  const all = await candlesOf(cell.dataset, cell.seed, engine);
  const candles = cell.to === undefined ? all : all.filter((c) => c.closeTime <= cell.to!);
  const catalogue = SignalCatalogue.of(engine.ruleSet);
  const signals = catalogue.factory(cell.source, candles, cell.seed ?? undefined);
  const profile = engine.profile(cell.profile).name;
  const runs: RunSpec[] = [
    ...baselineRuns(engine, profile),
    ...cell.variants.map((v) => ({ id: v.id, label: v.label, engine: engineOf(v.rules, cell.profiles, cell.cwd), profile, orchestrator: ON_SWITCHES })),
  ];
  const configured = cell.config === undefined ? engine.ruleSet.backtest : readBacktestConfig(cell.config, cell.config);
  const config = cell.dataset.kind === 'csv' ? withInferredRules(configured, inferPrecision(candles)) : configured;
  const result = await runBacktest({ candles, runs, signals, config, logger: silentLogger(), ...(cell.from === undefined ? {} : { tradeFrom: cell.from }) });
  return {
    runs: result.runs.map((r) => ({
      id: r.id, label: r.label, trades: r.metrics.trades, total_return: r.metrics.total_return,
      max_drawdown: r.metrics.max_drawdown, worst_daily_drawdown: r.metrics.worst_daily_drawdown, sharpe: r.metrics.sharpe,
    })),
  };
}
