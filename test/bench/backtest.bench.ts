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
