import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import { runBacktest } from '../../src/backtest/backtest.js';
import { SyntheticMarket } from '../../src/market/candles/index.js';
import { silentLogger } from '../../src/logger.js';
import { BUNDLED, loadRuleSet, PolicyEngine } from '../../src/policy/index.js';
import { ReferenceStrategy } from '../../src/signals/index.js';
import type { BenchResult } from './measure.js';

/**
 * Candles per second through the full backtest pipeline of `npm start` (state stream, json-rules-engine
 * policy per candle close, reference strategy, executor, paper broker, SQLite store in memory), orchestrator
 * ON, on the default synthetic market; and the json-rules-engine policy evaluations per second within it.
 */
export async function backtestBench(): Promise<BenchResult[]> {
  const loaded = loadRuleSet(BUNDLED);
  if (!loaded.ruleSet) throw new Error('bundled rule set invalid');
  const engine = new PolicyEngine(loaded.ruleSet);
  const candles = await lastValueFrom(new SyntheticMarket().candles().pipe(toArray()));
  const start = performance.now();
  const result = await runBacktest({
    candles,
    runs: [{ id: 'on', label: 'ON', engine, orchestrator: { enable_orchestrator: true } }],
    signals: () => new ReferenceStrategy(() => engine.ruleSet.strategy),
    logger: silentLogger(),
  });
  const seconds = (performance.now() - start) / 1000;
  const evaluations = result.runs[0]!.policy_evaluations;
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  return [
    { name: 'backtest pipeline, ON (5 symbols, 1h)', unit: 'candles', perSecond: candles.length / seconds, iterations: candles.length, heapMb },
    { name: 'backtest pipeline: policy evaluations within it', unit: 'evaluations', perSecond: evaluations / seconds, iterations: evaluations, heapMb },
  ];
}

interface ChildRun {
  readonly candles: number;
  readonly runs: number;
  readonly seconds: number;
  readonly cpu_seconds: number;
  readonly max_rss_mb: number;
}

/** A backtest of the synthetic 1m market in a process of its own (test/bench/backtest-run.ts), for its peak RSS. */
function childRun(symbols: number, days: number, runs: 'on' | 'off' | 'both', ...flags: ('warm' | 'stream' | 'capped' | 'workers')[]): ChildRun {
  const script = fileURLToPath(new URL('./backtest-run.ts', import.meta.url));
  // `capped`: V8's old generation limited to OLD_SPACE_MB, so that the peak RSS shows what the run needs
  // rather than how far V8 lets garbage accumulate before collecting it when memory is plentiful.
  const node = flags.includes('capped') ? [`--max-old-space-size=${OLD_SPACE_MB}`] : [];
  const out = execFileSync(process.execPath, [...node, '--import', 'tsx', script, String(symbols), String(days), runs, ...flags.filter((f) => f !== 'capped')], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildRun;
}

const OLD_SPACE_MB = 192;

const perCpuSecond = (r: ChildRun) => (r.candles * r.runs) / r.cpu_seconds;

/**
 * Issue 12's backtest targets, each run in a child process: 10 symbols of 1m candles with the orchestrator
 * ON (candles per wall-clock second; per CPU second in the detail), the cost per candle of a 64-day run
 * against a 2-day one, the 64-day run's peak RSS with the candles held and streamed, and
 * (QT_BENCH_LARGE=1, minutes) 50 symbols × 30 days, ON and OFF, streamed: one after the other in one
 * thread, and side by side in worker threads as `backtest` runs a comparison this large.
 */
export function longBacktestBench(): BenchResult[] {
  const short = childRun(10, 2, 'on', 'warm');
  const long = childRun(10, 64, 'on', 'warm');
  const cold = childRun(10, 64, 'on');
  const streamed = childRun(10, 64, 'on', 'stream');
  const capped = childRun(10, 64, 'on', 'stream', 'capped');
  const rate = (r: ChildRun) => `${Math.round(perCpuSecond(r)).toLocaleString('en-US')} candles per CPU second`;
  const results: BenchResult[] = [
    {
      name: 'backtest, ON, 10 symbols × 2 days × 1m (after a warm-up run)', unit: 'candles', perSecond: short.candles / short.seconds, iterations: short.candles,
      detail: `${rate(short)}; peak RSS ${short.max_rss_mb.toFixed(0)} MB`,
    },
    {
      name: 'backtest, ON, 10 symbols × 64 days × 1m (after a warm-up run)', unit: 'candles', perSecond: long.candles / long.seconds, iterations: long.candles,
      detail: `${rate(long)}; CPU per candle ${((perCpuSecond(short) / perCpuSecond(long)) * 100).toFixed(0)}% of the 2-day run's`,
    },
    {
      name: 'backtest, ON, 10 symbols × 64 days × 1m (a fresh process)', unit: 'candles', perSecond: cold.candles / cold.seconds, iterations: cold.candles,
      detail: `${rate(cold)}; peak RSS ${cold.max_rss_mb.toFixed(0)} MB (the process, all candles held)`,
    },
    {
      name: 'backtest, ON, 10 symbols × 64 days × 1m (candles streamed)', unit: 'candles', perSecond: streamed.candles / streamed.seconds, iterations: streamed.candles,
      detail: `${rate(streamed)} (generating them included); peak RSS ${streamed.max_rss_mb.toFixed(0)} MB`,
    },
    {
      name: `the same, node --max-old-space-size=${OLD_SPACE_MB}`, unit: 'candles', perSecond: capped.candles / capped.seconds, iterations: capped.candles,
      detail: `${rate(capped)}; peak RSS ${capped.max_rss_mb.toFixed(0)} MB`,
    },
  ];
  if (process.env.QT_BENCH_LARGE === '1') {
    const large = childRun(50, 30, 'both', 'stream');
    const parallel = childRun(50, 30, 'both', 'workers');
    results.push({
      name: 'backtest, ON and OFF, 50 symbols × 30 days × 1m, one after the other', unit: 'candles', perSecond: (large.candles * 2) / large.seconds, iterations: large.candles * 2,
      detail: `${large.seconds.toFixed(1)} s for both runs (${large.cpu_seconds.toFixed(1)} CPU s; candles streamed, generating them included); peak RSS ${large.max_rss_mb.toFixed(0)} MB`,
    }, {
      name: 'the same, side by side in two worker threads', unit: 'candles', perSecond: (parallel.candles * 2) / parallel.seconds, iterations: parallel.candles * 2,
      detail: `${parallel.seconds.toFixed(1)} s for both runs (${parallel.cpu_seconds.toFixed(1)} CPU s, starting the workers included); peak RSS ${parallel.max_rss_mb.toFixed(0)} MB`,
    });
  }
  return results;
}
