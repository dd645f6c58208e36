import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PaperBrokerJSON } from '../broker/paper/index.js';
import type { BlockPeriod, SymbolBlocksJSON } from '../execution/symbol-blocks.js';
import type { Candle } from '../market/candle.js';
import type { BacktestConfigDoc } from '../policy/rule-set.js';
import { TradingStore } from '../store/index.js';
import { paperAccount } from './account.js';
import type { BacktestOptions, RunResult, RunSpec } from './backtest.js';
import { runPaperSession } from './paper-session.js';
import { RunRecorder, type RunRecord } from './run-record.js';
import type { WarmUpBoard } from './warm-up.js';

/** One run as traded, before the comparison: plain values, so a worker thread can hand it back. */
export interface TradedRun extends Pick<RunResult, 'id' | 'label' | 'rule_set_version' | 'content_hash' | 'profile' | 'trades' | 'decisions' | 'policy_evaluations' | 'funding' | 'blocks'> {
  /** The mode the run would show without cycles (see RunRecord.first_mode). */
  readonly mode: string;
  readonly record: RunRecord;
  /** Every symbol the run's candles had. */
  readonly symbols: readonly string[];
}

export interface RunContext extends Omit<BacktestOptions, 'runs' | 'onProgress' | 'config'> {
  readonly config: BacktestConfigDoc;
  /** The run's place among the runs, their rule sets' content hashes, and where they tell each other their first policy. */
  readonly index: number;
  readonly hashes: readonly string[];
  readonly board: WarmUpBoard;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One run of the comparison, from the candles to its record (the SQLite store too, with a storeDir). */
export async function tradeRun(run: RunSpec, context: RunContext): Promise<TradedRun> {
  const profile = run.engine.profile(run.profile);
  const broker = paperAccount(context.config, profile, context.funding);
  const source = context.signals();
  const store = context.storeDir === undefined ? undefined : freshStore(join(context.storeDir, `${run.id}.sqlite`));
  const evaluates = run.orchestrator.enable_orchestrator !== false;
  const journal = new RunRecorder({
    index: context.index, hashes: context.hashes, board: context.board, evaluates, initialEquity: context.config.initial_balance,
    dayStartHourUtc: run.engine.ruleSet.manifest.market?.trading_day_start_hour_utc ?? 0, ...(store === undefined ? {} : { store }),
  });
  const symbols = new Set<string>();
  let evaluations = 0;
  try {
    await runPaperSession({
      candles: noting(context.candles, symbols),
      signalsAt: (time, candles) => source.signalsAt(time, candles),
      policy: { engine: run.engine },
      broker,
      logger: context.logger,
      orchestrator: run.orchestrator,
      ...(run.profile === undefined ? {} : { profile: run.profile }),
      ...(context.tradeFrom === undefined ? {} : { tradeFrom: context.tradeFrom }),
      keepReports: false,
      onCycle: (report, index, total) => {
        if (report.policy !== undefined) evaluations++;
        context.onProgress?.(index + 1, total);
      },
    }, journal);
    const record = journal.finish([...symbols].sort());
    if (store !== undefined) journal.copyInto(store);
    return {
      id: run.id,
      label: run.label,
      mode: evaluates ? 'LIVE' : 'OFF',
      rule_set_version: run.engine.version,
      content_hash: run.engine.ruleSet.contentHash,
      profile: profile.name,
      trades: journal.trades(),
      decisions: journal.decisions(),
      policy_evaluations: evaluations,
      funding: fundingOf(journal.loadState<PaperBrokerJSON>('venue')),
      blocks: blockPeriods(journal.loadState<SymbolBlocksJSON>('symbol-blocks')),
      record,
      symbols: [...symbols].sort(),
    };
  } finally {
    store?.close();
  }
}

/** A run's SQLite store (for `status --store`, `serve --store`), written as the run goes. */
function freshStore(path: string): TradingStore {
  // A backtest starts from nothing: an older store of the same name is a previous backtest, not a crash.
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return TradingStore.open(path);
}

/** The stream, noting each candle's symbol as the run reads it. */
function noting(candles: Iterable<Candle>, symbols: Set<string>): Iterable<Candle> {
  return {
    *[Symbol.iterator]() {
      for (const candle of candles) {
        symbols.add(candle.symbol);
        yield candle;
      }
    },
  };
}

function fundingOf(venue: PaperBrokerJSON | undefined): RunResult['funding'] {
  const by_symbol = Object.fromEntries((venue?.funding ?? []).map((f) => [f.symbol, f.amount]));
  return { total: Object.values(by_symbol).reduce((sum, x) => sum + x, 0), by_symbol };
}

function blockPeriods(saved: SymbolBlocksJSON | undefined): BlockPeriod[] {
  if (saved === undefined) return [];
  return [...saved.ended, ...saved.blocks.map((b) => ({ symbol: b.symbol, reason: b.reason, from: b.since, to: null }))].sort((a, b) => a.from - b.from || (a.symbol < b.symbol ? -1 : 1));
}
