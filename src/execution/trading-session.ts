import type { OperatorFunction } from 'rxjs';
import { MarketStateBuilder } from '../state/market-state-builder.js';
import { RiskTracker } from '../state/risk/index.js';
import { Executor, type ExecutorOptions } from './executor.js';
import type { ExecutionJournal } from './journal.js';
import { tradingCycles, type ClockedInstant, type CycleInputs, type CycleOutcome } from './trading-cycles.js';
import { stateSettings } from '../policy/classification/index.js';

/** The last instant a journal's session traded (its committed cursor); undefined on a first start. */
export function sessionCursor(journal: ExecutionJournal): number | undefined {
  return journal.loadState<{ time: number }>('cursor')?.time;
}

/**
 * The one start-up of a trading session, shared by the paper session (a backtest, `run --paper` resumed
 * from its store) and the live daemon: the market state continues the journal's saved risk state (drawdown
 * baseline, losing streak, the latch), the executor its positions, orders and client ids; instants already
 * traded (or before the trading window) then only warm the indicators, the last prices and the strategy up.
 */
export class TradingSession {
  readonly builder: MarketStateBuilder;
  readonly executor: Executor;
  /** The last instant traded before this start (see sessionCursor). */
  readonly cursor: number | undefined;
  /** When the saved risk state last saw the account: a cycle's writes may be checkpointed past its cursor. */
  readonly riskSeenAt: number | undefined;

  constructor(journal: ExecutionJournal, options: Omit<ExecutorOptions, 'builder' | 'journal'>) {
    this.cursor = sessionCursor(journal);
    const saved = journal.loadRiskState();
    this.riskSeenAt = saved?.equity_time ?? undefined;
    this.builder = new MarketStateBuilder({
      settings: stateSettings(() => options.policy.engine.ruleSet, options.profile === undefined ? {} : { profile: options.profile }),
      ...(saved === undefined ? {} : { risk: RiskTracker.restore(saved) }),
    });
    this.executor = new Executor({ ...options, builder: this.builder, journal });
  }

  /** An instant that is not traded (again): its candles go into the state and the last prices, and the strategy sees them. */
  async warm(instant: ClockedInstant, inputs: CycleInputs): Promise<void> {
    await this.builder.onCandles(instant.candles);
    this.executor.notePrices(instant.candles);
    await inputs.signals(instant);
  }

  /** The trading stage of the pipeline for this session: instants up to `tradeAfter` warm it up, the later ones are traded. */
  cycles(inputs: CycleInputs, tradeAfter?: number): OperatorFunction<ClockedInstant, CycleOutcome> {
    return tradingCycles(this.executor, inputs, { ...(tradeAfter === undefined ? {} : { tradeAfter }), warm: (instant) => this.warm(instant, inputs) });
  }
}
