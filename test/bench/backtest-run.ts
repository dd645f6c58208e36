// One backtest run in a process of its own, so that its peak RSS is its own: `npx tsx
// test/bench/backtest-run.ts <symbols> <days> <on|off|both> [warm] [stream]` prints one JSON line with
// the candles, the wall-clock and CPU seconds of the backtest (synthetic 1m market, generated beforehand
// and not timed) and the process's peak resident set size. `warm`: a one-day backtest runs first,
// untimed, so that the figure is the steady cost per candle rather than the JIT compiler's warm-up.
// `stream`: the candles are generated as the runs read them (SyntheticMarket.stream()), never all held,
// and the time includes generating them (once per run). `workers`: the runs side by side in worker threads,
// as `backtest` runs a large comparison, each generating its own stream; with the time to start them.
import { assembleResult, runBacktest, runPlan, type BacktestResult, type RunSpec } from '../../src/backtest/backtest.js';
import { WarmUpBoard } from '../../src/backtest/warm-up.js';
import { runsInWorkers } from '../../src/cli/backtest-runs.js';
import type { BacktestRunTask } from '../../src/cli/backtest-task.js';
import { Progress } from '../../src/cli/progress.js';
import { SyntheticMarket } from '../../src/market/candles/index.js';
import { silentLogger } from '../../src/logger.js';
import { BUNDLED, loadRuleSet, PolicyEngine } from '../../src/policy/index.js';
import { ReferenceStrategy } from '../../src/signals/index.js';

const [symbolCount, days, which] = [Number(process.argv[2] ?? 10), Number(process.argv[3] ?? 2), process.argv[4] ?? 'on'];
const flags = process.argv.slice(5);
const [warm, streamed, parallel] = [flags.includes('warm'), flags.includes('stream'), flags.includes('workers')];
const loaded = loadRuleSet(BUNDLED);
if (!loaded.ruleSet) throw new Error('bundled rule set invalid');
const engine = new PolicyEngine(loaded.ruleSet);
const symbols = Array.from({ length: symbolCount }, (_, i) => ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT'][i] ?? `SYM${i}USDT`);
const market = (bars: number) => new SyntheticMarket({ symbols, timeframe: '1m', bars });
const on: RunSpec = { id: 'on', label: 'ON', engine, orchestrator: { enable_orchestrator: true } };
const off: RunSpec = { id: 'off', label: 'OFF', engine, orchestrator: { enable_orchestrator: false } };
const runs = which === 'both' ? [on, off] : which === 'off' ? [off] : [on];
const signals = () => new ReferenceStrategy(() => engine.ruleSet.strategy);
if (warm) await runBacktest({ candles: market(1440).toArray(), runs, signals, logger: silentLogger() });
const source = market(days * 1440);
const candles = parallel ? [] : streamed ? source.stream() : source.toArray();
const count = source.bars * symbols.length;
const cpu = process.cpuUsage();
const start = performance.now();
const result = parallel ? await inWorkers() : await runBacktest({ candles, runs, signals, logger: silentLogger() });
const seconds = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({
  candles: count, runs: runs.length, seconds, cpu_seconds: (used.user + used.system) / 1e6,
  max_rss_mb: process.resourceUsage().maxRSS / 1024, trades: result.runs.map((r) => r.trades.length),
}));

/** The runs as `backtest` runs them side by side: each worker opens the synthetic market as a stream of its own. */
async function inWorkers(): Promise<BacktestResult> {
  const plan = runPlan(runs);
  const board = WarmUpBoard.create(runs.length);
  const folders = { rules: BUNDLED.rulesDir, profiles: BUNDLED.profilesDir };
  const tasks = runs.map((run, index): BacktestRunTask => ({
    cwd: process.cwd(), ruleSet: folders, runRuleSet: folders, run: { id: run.id, label: run.label, orchestrator: run.orchestrator },
    data: { flags: { symbols, timeframe: '1m', bars: days * 1440 } }, config: engine.ruleSet.backtest, signals: { kind: 'named', name: engine.ruleSet.strategy.name },
    index, hashes: plan.map((p) => p.content_hash), board: board.buffer, progressEvery: 1440, logLevel: 'silent',
  }));
  return assembleResult(await runsInWorkers(tasks, runs.length, days * 1440, new Progress(false, 1)), plan, engine.ruleSet.backtest);
}
