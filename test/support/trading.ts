import { lastValueFrom, toArray } from 'rxjs';
import { replay } from '../../src/backtest/replay.js';
import { PaperBroker, type PaperBrokerSettings } from '../../src/broker/paper/index.js';
import type { ClosedTrade } from '../../src/broker/model.js';
import { Executor, type CycleReport, type ExecutorOptions } from '../../src/execution/executor.js';
import type { Signal } from '../../src/signals/signal.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { Candle } from '../../src/market/candle.js';
import { SyntheticMarket, type SyntheticMarketOptions } from '../../src/market/candles/index.js';
import type { PolicyEngine } from '../../src/policy/policy-engine.js';
import { MarketStateBuilder } from '../../src/state/index.js';
import { roomyLimitsEngine } from './rule-sets.js';
import { stateSettings } from '../../src/policy/classification/index.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Exchange-like rules for every symbol of the tests' markets. */
export const TEST_BROKER: Partial<PaperBrokerSettings> = {
  initial_balance: 10_000,
  taker_fee_rate: 0.0004,
  slippage_pct: 0.0002,
  leverage: 20,
  market_rules: { step_size: 0.0001, tick_size: 0.0001, min_quantity: 0.0001, min_notional: 5 },
};

export async function candlesOf(options: SyntheticMarketOptions): Promise<Candle[]> {
  return lastValueFrom(new SyntheticMarket(options).candles().pipe(toArray()));
}

/** Symbols moving mostly on their own noise, so that the correlation limit stays out of the way. */
export function independentSymbols(names: readonly string[]) {
  return names.map((symbol, i) => ({ symbol, basePrice: 100 + 10 * i, beta: 0.3, idioVol: 1, baseVolume: 1000 }));
}

export interface Rig {
  readonly executor: Executor;
  readonly broker: PaperBroker;
  readonly builder: MarketStateBuilder;
  run(signals: (time: number, candles: readonly Candle[]) => readonly Signal[]): Promise<{ cycles: CycleReport[]; trades: ClosedTrade[] }>;
}

/** The whole pipeline of a backtest (state → policy → executor → paper broker), on given candles; default rules: roomyLimitsEngine(). */
export function rig(candles: readonly Candle[], options: { engine?: PolicyEngine; logger?: Logger; broker?: Partial<PaperBrokerSettings> } & Partial<Omit<ExecutorOptions, 'broker' | 'policy' | 'builder' | 'logger'>> = {}): Rig {
  const engine = options.engine ?? roomyLimitsEngine();
  const broker = new PaperBroker(options.broker ?? TEST_BROKER);
  const builder = new MarketStateBuilder({ settings: stateSettings(() => engine.ruleSet) });
  const { broker: _settings, ...executorOptions } = options;
  const executor = new Executor({ ...executorOptions, broker, policy: { engine }, builder, logger: options.logger ?? silentLogger() });
  return {
    executor,
    broker,
    builder,
    async run(signals) {
      const { cycles, closedAtEnd } = await replay({ executor, venue: broker, candles, signalsAt: signals });
      return { cycles, trades: [...cycles.flatMap((c) => c.trades), ...closedAtEnd] };
    },
  };
}

export const long = (symbol: string, timestamp: number, confidence = 0.9): Signal => ({ symbol, side: 'long', confidence, timestamp });
export const short = (symbol: string, timestamp: number, confidence = 0.9): Signal => ({ symbol, side: 'short', confidence, timestamp });

/**
 * Deterministic signals for any candles: every 12 hours, each symbol gets a long or a short signal with a
 * confidence from 0.5 to 0.9, so that every control has something to act on.
 */
export function scriptedSignals(t: number, batch: readonly Candle[]): Signal[] {
  if (Math.floor(t / HOUR) % 12 !== 0) return [];
  return batch.map((c, i) => ({
    symbol: c.symbol,
    side: (Math.floor(t / (12 * HOUR)) + i) % 2 === 0 ? 'long' : 'short',
    confidence: 0.5 + ((t / HOUR + i) % 5) / 10,
    timestamp: t,
  }));
}
