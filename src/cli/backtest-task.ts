import type { RunSpec } from '../backtest/backtest.js';
import type { OrchestratorSwitches } from '../backtest/baselines.js';
import { tradeRun, type TradedRun } from '../backtest/trade-run.js';
import { WarmUpBoard } from '../backtest/warm-up.js';
import { createLogger, silentLogger } from '../logger.js';
import type { FundingRatePoint } from '../market/funding-rates.js';
import type { PolicyEngine } from '../policy/index.js';
import type { BacktestConfigDoc } from '../policy/rule-set.js';
import { JsonLinesSignalSource, ScheduledSignals, SignalCatalogue, type Signal, type SignalSource } from '../signals/index.js';
import { candleStream, type DataPlan } from './backtest-data.js';
import { engineFrom } from './rule-set-options.js';

/** Absolute folders of a rule set. */
export interface RuleSetFolders {
  readonly rules: string;
  readonly profiles: string;
}

/**
 * The signals every run sees: a named source of the backtest's rule set (each run builds its own from the
 * candles it reads), or signals known before the runs (a --signals file, released at their timestamps;
 * a RandomEntries schedule, released where their symbol's candle closes).
 */
export type SignalPlan =
  | { readonly kind: 'named'; readonly name: string }
  | { readonly kind: 'file' | 'scheduled'; readonly name: string; readonly signals: readonly Signal[] };

/** One run of a backtest as a worker thread runs it: everything is a plain value (it crosses threads). */
export interface BacktestRunTask {
  readonly cwd: string;
  /** The backtest's rule set (its signal sources), and the run's own (another with --vs-rules). */
  readonly ruleSet: RuleSetFolders;
  readonly runRuleSet: RuleSetFolders;
  readonly run: { readonly id: string; readonly label: string; readonly mode?: string; readonly profile?: string; readonly orchestrator: OrchestratorSwitches };
  readonly data: DataPlan;
  readonly tradeFrom?: number;
  readonly config: BacktestConfigDoc;
  readonly signals: SignalPlan;
  readonly funding?: Readonly<Record<string, readonly FundingRatePoint[]>>;
  readonly storeDir?: string;
  /** The run's place among the runs, their content hashes, and the board where they tell each other their first policy. */
  readonly index: number;
  readonly hashes: readonly string[];
  readonly board: SharedArrayBuffer;
  /** Progress is reported every this many close instants. */
  readonly progressEvery: number;
  readonly logLevel: string;
}

/** A run's progress as the worker reports it: close instants done. */
export interface RunProgress {
  readonly done: number;
}

// A worker may run several runs of one backtest: rule sets are loaded once per worker.
const engines = new Map<string, PolicyEngine>();

function engineOf(folders: RuleSetFolders, cwd: string): PolicyEngine {
  const key = `${folders.rules}\u0000${folders.profiles}\u0000${cwd}`;
  let engine = engines.get(key);
  if (engine === undefined) engines.set(key, (engine = engineFrom(folders, cwd)));
  return engine;
}

export function signalsOf(plan: SignalPlan, engine: PolicyEngine): () => SignalSource {
  if (plan.kind === 'file') return () => JsonLinesSignalSource.of(plan.name, plan.signals);
  if (plan.kind === 'scheduled') return () => new ScheduledSignals(plan.name, plan.signals);
  return SignalCatalogue.of(engine.ruleSet).factory(plan.name, []);
}

/** The task of a backtest's worker threads (backtest-worker.ts): one run, its candles read as a stream. */
export async function runBacktestTask(task: BacktestRunTask, progress: (note: RunProgress) => void): Promise<TradedRun> {
  const engine = engineOf(task.ruleSet, task.cwd);
  const runEngine = engineOf(task.runRuleSet, task.cwd);
  const spec: RunSpec = { ...task.run, engine: runEngine };
  // The data was read and checked before the runs, its issues logged there once.
  const candles = candleStream(task.data, silentLogger(), engine.ruleSet);
  return tradeRun(spec, {
    candles,
    signals: signalsOf(task.signals, engine),
    config: task.config,
    logger: createLogger({ level: task.logLevel }),
    ...(task.funding === undefined ? {} : { funding: task.funding }),
    ...(task.storeDir === undefined ? {} : { storeDir: task.storeDir }),
    ...(task.tradeFrom === undefined ? {} : { tradeFrom: task.tradeFrom }),
    index: task.index,
    hashes: task.hashes,
    board: new WarmUpBoard(task.board),
    onProgress: (done) => {
      if (done % task.progressEvery === 0) progress({ done });
    },
  });
}
