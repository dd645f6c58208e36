import { replay } from '../../src/backtest/replay.js';
import { PaperBroker } from '../../src/broker/paper/index.js';
import { Executor } from '../../src/execution/executor.js';
import { silentLogger } from '../../src/logger.js';
import { PolicyEngine, stateSettings } from '../../src/policy/index.js';
import { roomyLimitsRuleSet } from '../support/rule-sets.js';
import { MarketStateBuilder } from '../../src/state/index.js';
import { TEST_BROKER, candlesOf, scriptedSignals } from '../support/trading.js';
import type { BenchResult } from './measure.js';

const SYMBOLS = Array.from({ length: 50 }, (_, i) => `S${String(i).padStart(2, '0')}USDT`);

/**
 * The executor cycle with 50 symbols: 1h bars, a signal per symbol every 12 hours (scriptedSignals), each
 * cycle doing fills, the market state of 50 symbols, one policy evaluation with 50 per-symbol rule runs,
 * position management and the entry filter chain. Reported per executor decision (opened, blocked,
 * closed, exit-mode change …) and per cycle.
 */
export async function executorBench(): Promise<BenchResult[]> {
  // Roomy limits: under the shipped notional caps every entry is refused and nothing would be managed.
  const engine = new PolicyEngine(roomyLimitsRuleSet());
  const candles = await candlesOf({ symbols: SYMBOLS, bars: 480 });
  const broker = new PaperBroker(TEST_BROKER);
  const builder = new MarketStateBuilder({ settings: stateSettings(() => engine.ruleSet) });
  const executor = new Executor({ broker, policy: { engine }, builder, logger: silentLogger() });
  const start = performance.now();
  const { cycles } = await replay({ executor, venue: broker, candles, signalsAt: scriptedSignals });
  const seconds = (performance.now() - start) / 1000;
  const decisions = cycles.reduce((n, c) => n + c.decisions.length, 0);
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  return [
    { name: 'executor, 50 symbols: decisions', unit: 'decisions', perSecond: decisions / seconds, iterations: decisions, heapMb },
    { name: 'executor, 50 symbols: cycles (candle closes)', unit: 'cycles', perSecond: cycles.length / seconds, iterations: cycles.length, heapMb },
  ];
}
