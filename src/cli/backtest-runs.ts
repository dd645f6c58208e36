import type { TradedRun } from '../backtest/trade-run.js';
import { runInWorkers } from '../backtest/worker-pool.js';
import type { Candle } from '../market/candle.js';
import type { JsonLinesSignalSource, SignalCatalogue } from '../signals/index.js';
import { ScheduledSignals } from '../signals/index.js';
import type { BacktestRunTask, RuleSetFolders, RunProgress, SignalPlan } from './backtest-task.js';
import type { CandleSourceFlags } from './candle-source-options.js';
import type { Progress } from './progress.js';
import { locationFrom, type RuleSetFlags } from './rule-set-options.js';

/**
 * Old space of each run's worker thread, in MB. A run holds its indicators, its open positions, and its
 * orders, trades and decisions (as many as the signals), never the candles nor a record per close. The
 * cap keeps V8 from letting garbage pile up as far as it would with the machine's memory (a 50-symbol
 * 30-day ON+OFF: peak RSS 482 MB side by side, 673 MB in one uncapped thread; 128 or 512 MB made no
 * difference in time at 10 days).
 */
export const RUN_OLD_SPACE_MB = 192;

/**
 * The runs of a backtest side by side in worker threads (at most one per run), each reading the candles
 * as a stream of its own, with one progress bar for all of them: close instants done over every run's.
 */
export async function runsInWorkers(tasks: readonly BacktestRunTask[], workers: number, instants: number, progress: Progress): Promise<TradedRun[]> {
  const done = tasks.map(() => 0);
  const label = `runs ${tasks.map((t) => t.run.id.toUpperCase()).join(', ')}`;
  const show = () => progress.update(label, done.reduce((sum, n) => sum + n, 0), instants * tasks.length);
  try {
    return await runInWorkers<BacktestRunTask, TradedRun>(new URL('./backtest-worker.ts', import.meta.url), tasks, {
      workers: Math.min(workers, tasks.length),
      resourceLimits: { maxOldGenerationSizeMb: RUN_OLD_SPACE_MB },
      onProgress: (index, note) => {
        done[index] = (note as RunProgress).done;
        show();
      },
      onResult: (_result, index) => {
        done[index] = instants;
        show();
      },
    });
  } finally {
    progress.stop();
  }
}

/** The signals of the runs: the --signals file's, a RandomEntries schedule drawn from the whole data, or a named strategy each run builds. */
export function signalPlan(file: JsonLinesSignalSource | undefined, catalogue: SignalCatalogue, name: string, held: readonly Candle[] | undefined): SignalPlan {
  if (file !== undefined) return { kind: 'file', name: file.name, signals: file.signals };
  if (!catalogue.isRandom(name)) return { kind: 'named', name };
  const schedule = catalogue.factory(name, held ?? [])();
  if (!(schedule instanceof ScheduledSignals)) throw new Error(`signal source ${name}: random entries without a schedule`);
  return { kind: 'scheduled', name: schedule.name, signals: schedule.signals };
}

export function ruleSetFolders(flags: RuleSetFlags, cwd: string): RuleSetFolders {
  const location = locationFrom(flags, cwd);
  return { rules: location.rulesDir, profiles: location.profilesDir };
}

/** The data flags alone (a worker opens the data from them). */
export function candleFlags(flags: CandleSourceFlags): CandleSourceFlags {
  return {
    ...(flags.data === undefined ? {} : { data: flags.data }), ...(flags.symbols === undefined ? {} : { symbols: flags.symbols }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }), ...(flags.bars === undefined ? {} : { bars: flags.bars }),
    ...(flags.timeframe === undefined ? {} : { timeframe: flags.timeframe }), ...(flags.sort === undefined ? {} : { sort: flags.sort }),
  };
}
