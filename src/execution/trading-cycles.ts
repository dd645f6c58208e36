import { concatMap, type OperatorFunction } from 'rxjs';
import type { Order } from '../broker/model.js';
import type { Candle } from '../market/candle.js';
import type { Signal } from '../signals/signal.js';
import type { CycleReport } from './cycle-report.js';
import type { Executor } from './executor.js';

/**
 * An instant of a trading session's clock: the candles of every symbol that closed then, or none for a
 * tick between closes (the live session's cycle for fills and signals that arrived mid-bar). A backtest's
 * clock is virtual (the replayed candles' close times, as fast as the cycles run); live trading's is the
 * wall clock (the exchange's bars as it publishes them).
 */
export interface ClockedInstant {
  readonly time: number;
  readonly candles: readonly Candle[];
}

/** What a cycle needs besides the candles, asked for at each instant in order. */
export interface CycleInputs {
  /**
   * The venue's news up to the instant: resting orders (stops, take-profits) it filled or dropped, in fill
   * order. The paper venue learns them from the bars; an exchange is asked.
   */
  fills(instant: ClockedInstant): readonly Order[] | Promise<readonly Order[]>;
  /** The signals released at the instant (a strategy sees every instant, warm-up ones included). */
  signals(instant: ClockedInstant): readonly Signal[] | Promise<readonly Signal[]>;
}

export interface TradingCyclesOptions {
  /**
   * Instants at or before this time are not traded: they were traded before a restart, or lie before the
   * trading window (a backtest's --from). They only warm the market state, the last prices and the
   * strategy up.
   */
  readonly tradeAfter?: number;
  /** How an untraded instant warms the session up (TradingSession.warm); default: the strategy sees it. */
  readonly warm?: (instant: ClockedInstant, inputs: CycleInputs) => Promise<void>;
}

/** What the trading stage made of one instant: its cycle's report and how long the cycle took, or nothing for a warm-up instant. */
export interface CycleOutcome {
  readonly time: number;
  readonly report?: CycleReport;
  readonly durationMs?: number;
}

/**
 * The trading end of the pipeline, the same for backtests, `run --paper` and `run --live`: per instant,
 * the venue's news first (stops and take-profits rest at the venue and act inside the bar), then the
 * signals released at that instant, then the executor's cycle (settle → fills → market state and policy,
 * the PolicyStage `watch` runs too → management, exits, entries → commit). One outcome per instant, in
 * order: a virtual clock paces itself on them. A cycle that fails errors the stream; what it sent is
 * recorded, and the instant can be traded again.
 */
export function tradingCycles(executor: Executor, inputs: CycleInputs, options: TradingCyclesOptions = {}): OperatorFunction<ClockedInstant, CycleOutcome> {
  const { tradeAfter } = options;
  const warm = options.warm ?? (async (instant: ClockedInstant) => void (await inputs.signals(instant)));
  return concatMap(async (instant): Promise<CycleOutcome> => {
    if (tradeAfter !== undefined && instant.time <= tradeAfter) {
      await warm(instant, inputs);
      return { time: instant.time };
    }
    const fills = await inputs.fills(instant);
    const signals = await inputs.signals(instant);
    const began = performance.now();
    const report = await executor.step({ time: instant.time, candles: instant.candles, signals, fills });
    return { time: instant.time, report, durationMs: performance.now() - began };
  });
}
