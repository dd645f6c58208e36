import { lastValueFrom, toArray } from 'rxjs';
import { SyntheticMarket } from '../../src/market/candles/index.js';
import { silentLogger } from '../../src/logger.js';
import { BUNDLED, loadRuleSet, PolicyEngine, stateSettings } from '../../src/policy/index.js';
import { assessments, PolicyStage } from '../../src/policy/policy-stage.js';
import { policyDecisions } from '../../src/policy/policy-stream.js';
import { MarketStateBuilder, marketInstants } from '../../src/state/index.js';
import type { BenchResult } from './measure.js';

/**
 * Candles per second through the whole stream (indicators, YAML classification of every symbol, the
 * market state and a policy evaluation per instant) on the default synthetic market: 5 symbols x 2520
 * 1h bars. One full replay per round; the best of three rounds is reported.
 */
export async function marketStreamBench(): Promise<BenchResult[]> {
  const loaded = loadRuleSet(BUNDLED);
  if (!loaded.ruleSet) throw new Error('bundled rule set invalid');
  const engine = new PolicyEngine(loaded.ruleSet);
  const market = new SyntheticMarket();
  const candles = await lastValueFrom(market.candles().pipe(toArray()));
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const builder = new MarketStateBuilder({ settings: stateSettings(() => engine.ruleSet) });
    const start = performance.now();
    await lastValueFrom(market.candles().pipe(marketInstants(), assessments(new PolicyStage(builder, { engine })), policyDecisions(silentLogger()), toArray()));
    best = Math.max(best, candles.length / ((performance.now() - start) / 1000));
  }
  return [{ name: `market-state stream → policy$ (${market.symbols.length} symbols, 1h)`, unit: 'candles', perSecond: best, iterations: candles.length * 3, heapMb: process.memoryUsage().heapUsed / 2 ** 20 }];
}
