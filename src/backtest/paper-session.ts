import { PaperBroker, type PaperBrokerSettings } from '../broker/paper/index.js';
import type { CycleReport, ExecutorOptions } from '../execution/executor.js';
import { sessionCursor, TradingSession } from '../execution/trading-session.js';
import type { Signal } from '../signals/signal.js';
import type { Logger } from '../logger.js';
import type { Candle } from '../market/candle.js';
import type { PolicyEngine } from '../policy/policy-engine.js';
import { TradingStore } from '../store/index.js';
import type { ExecutionJournal } from '../execution/journal.js';
import { replay } from './replay.js';

export interface PaperSessionOptions {
  /** An array, or a stream read once (see ReplayOptions). */
  readonly candles: Iterable<Candle>;
  /** Signals at an instant. Called for every instant in order, also those replayed only to warm up after a restart. */
  readonly signalsAt: (time: number, candles: readonly Candle[]) => readonly Signal[] | Promise<readonly Signal[]>;
  readonly policy: { readonly engine: PolicyEngine };
  /** SQLite file; a file holding an interrupted session is resumed where it stopped. Default: in memory. */
  readonly storePath?: string;
  readonly broker: Partial<PaperBrokerSettings>;
  readonly logger: Logger;
  readonly profile?: string;
  readonly orchestrator?: ExecutorOptions['orchestrator'];
  readonly onCycle?: (report: CycleReport, index: number, total: number) => void;
  /** Return the cycles' reports (default true); a backtest reads its journal instead. */
  readonly keepReports?: boolean;
  /** Candles closing before this time only warm the indicators and the strategy up (a backtest's --from). */
  readonly tradeFrom?: number;
}

/** Where a session keeps its record: the SQLite store, or a backtest's MemoryJournal. */
export type SessionJournal = ExecutionJournal & { close(): void };

export interface PaperSessionResult<S extends SessionJournal = TradingStore> {
  readonly store: S;
  /** Cycles run by this call (after a resume, only those after the restart point); empty with keepReports false. */
  readonly cycles: readonly CycleReport[];
  /** The last instant traded before this call, when it resumed an interrupted session. */
  readonly resumedAfter?: number;
}

/**
 * A replay traded through the paper broker with everything committed to the store each cycle. Killed at
 * any point and started again with the same store, it restores the venue, the positions and their
 * stops, the drawdown baseline and the losing streak from the last committed cycle, replays the earlier
 * candles only to warm the indicators up, and continues; the result is the same as an uninterrupted run.
 */
export async function runPaperSession(options: PaperSessionOptions): Promise<PaperSessionResult>;
/** The same, recorded in the journal given (a backtest's in memory) rather than a store opened here. */
export async function runPaperSession<S extends SessionJournal>(options: PaperSessionOptions, journal: S): Promise<PaperSessionResult<S>>;
export async function runPaperSession(options: PaperSessionOptions, journal?: SessionJournal): Promise<PaperSessionResult<SessionJournal>> {
  const store = journal ?? TradingStore.open(options.storePath ?? ':memory:');
  try {
    const venue = store.loadState('venue');
    const broker = sessionCursor(store) !== undefined && venue !== undefined ? PaperBroker.restore(venue, options.broker) : new PaperBroker(options.broker);
    const session = new TradingSession(store, {
      broker,
      policy: options.policy,
      logger: options.logger,
      venueState: () => broker.toJSON(),
      clientIdPrefix: 'qt',
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(options.orchestrator === undefined ? {} : { orchestrator: options.orchestrator }),
    });
    const { executor, cursor } = session;
    if (cursor !== undefined) options.logger.info({ resumed_after: new Date(cursor).toISOString(), open_positions: executor.openPositions().length }, 'resuming an interrupted session');
    const { cycles } = await replay({
      executor,
      venue: broker,
      candles: options.candles,
      signalsAt: options.signalsAt,
      ...(cursor === undefined && options.tradeFrom === undefined ? {} : { resumeAfter: Math.max(cursor ?? Number.NEGATIVE_INFINITY, (options.tradeFrom ?? Number.NEGATIVE_INFINITY) - 1) }),
      warmUp: (instant, inputs) => session.warm(instant, inputs),
      ...(options.onCycle === undefined ? {} : { onCycle: options.onCycle }),
      ...(options.keepReports === undefined ? {} : { keepReports: options.keepReports }),
    });
    return { store, cycles, ...(cursor === undefined ? {} : { resumedAfter: cursor }) };
  } catch (error) {
    store.close();
    throw error;
  }
}
