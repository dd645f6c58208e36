import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ClosedTrade } from '../broker/model.js';
import type { CycleRecord, DecisionRecord, EquityPoint } from '../execution/journal.js';
import type { Logger } from '../logger.js';
import type { Candle } from '../market/candle.js';
import type { PolicyEngine } from '../policy/policy-engine.js';
import type { BacktestConfigDoc } from '../policy/rule-set.js';
import type { TradingPolicy } from '../policy/trading-policy.js';
import type { SignalSource } from '../signals/index.js';
import type { FundingRate, PaperBrokerJSON } from '../broker/paper/index.js';
import type { BlockPeriod, SymbolBlocksJSON } from '../execution/symbol-blocks.js';
import { paperAccount } from './account.js';
import { HEADLINE_BASELINE, type OrchestratorSwitches } from './baselines.js';
import { drawdownReduction, runMetrics, type ControlSample, type RunMetrics } from './metrics.js';
import { runPaperSession } from './paper-session.js';
import { MemoryJournal, TradingStore } from '../store/index.js';

/** One of the runs compared: a rule set and profile, with the orchestrator's switches (see baselines.ts). */
export interface RunSpec {
  /** Short name used in tables and file names: `on`, `static`, `off`, `vs`. */
  readonly id: string;
  readonly label: string;
  readonly engine: PolicyEngine;
  readonly profile?: string;
  readonly orchestrator: OrchestratorSwitches;
  /** The mode as tables show it, when not the executor's own (the static baseline runs LIVE with only the caps on). */
  readonly mode?: string;
}

export interface RunResult {
  readonly id: string;
  readonly label: string;
  /** LIVE / OBSERVE / OFF, as traded. */
  readonly mode: string;
  readonly rule_set_version: string;
  readonly content_hash: string;
  readonly profile: string;
  readonly metrics: RunMetrics;
  readonly trades: readonly ClosedTrade[];
  readonly equity: readonly EquityPoint[];
  readonly cycles: readonly CycleRecord[];
  readonly decisions: readonly DecisionRecord[];
  /** Policy evaluations (compiled rules, or json-rules-engine where they cannot compile): one per cycle with the orchestrator on. */
  readonly policy_evaluations: number;
  /** Cycles whose policy was the fallback (evaluation failed). */
  readonly fallbacks: number;
  /** Every symbol block of the run: symbol, reason, from, to (null: still in force at the end). */
  readonly blocks: readonly BlockPeriod[];
  /** Funding received (positive) or paid (negative) by the paper venue, in total and per symbol. */
  readonly funding: { readonly total: number; readonly by_symbol: Readonly<Record<string, number>> };
  /** The first close with a market state (earlier closes only warmed the indicators up); undefined if none. */
  readonly warm_up_end?: number;
}

export interface BacktestOptions {
  /**
   * An array, or something iterable once per run that generates or reads the candles as it goes (e.g.
   * SyntheticMarket.stream()), so a long run never holds them all; a stream's progress has no total.
   */
  readonly candles: readonly Candle[] | Iterable<Candle>;
  readonly runs: readonly RunSpec[];
  /** A fresh signal source per run, so every run sees the same signals from the same candles. */
  readonly signals: () => SignalSource;
  /** The simulated account; default: the first run's rule set's rules/backtest.yaml. */
  readonly config?: BacktestConfigDoc;
  /** Folder for each run's SQLite store (replaced on every backtest); default: in memory. */
  readonly storeDir?: string;
  readonly tradeFrom?: number;
  /** Funding-rate histories per symbol (backtest --funding); else the config's rates. */
  readonly funding?: Readonly<Record<string, readonly FundingRate[]>>;
  readonly logger: Logger;
  readonly onProgress?: (run: RunSpec, done: number, total: number) => void;
}

export interface BacktestResult {
  readonly runs: readonly RunResult[];
  /** Id of the run the headline ratios compare with: `static` when there is one, else `off`. */
  readonly baseline?: string;
  /** The design's headline ratios, each other run against the baseline. */
  readonly reduction: Readonly<Record<string, ReturnType<typeof drawdownReduction>>>;
  /** The same ratios against `off` (no controls), when the baseline is another run. */
  readonly reduction_vs_off?: Readonly<Record<string, ReturnType<typeof drawdownReduction>>>;
}

/**
 * Replays the same candles and signals once per run through the whole trading path (market state →
 * policy → executor → paper broker → store) and measures each. The runs differ only in their rule set,
 * profile and orchestrator switch, so every difference in the results is the policy's doing.
 */
export async function runBacktest(options: BacktestOptions): Promise<BacktestResult> {
  const config = options.config ?? options.runs[0]!.engine.ruleSet.backtest;
  const raw: Traded[] = [];
  const seen = new Set<string>();
  const candles = Array.isArray(options.candles) ? options.candles : noting(options.candles, seen);
  for (const run of options.runs) raw.push(await traded(run, config, { ...options, candles }));
  const symbols = [...(Array.isArray(options.candles) ? new Set(options.candles.map((c: Candle) => c.symbol)) : seen)].sort();
  const results = raw.map((r, i): RunResult => {
    const run = options.runs[i]!;
    const warmUpEnd = warmUpEndOf(r, raw, options.runs, run);
    return {
      ...r,
      mode: run.mode ?? r.mode,
      ...(warmUpEnd === undefined ? {} : { warm_up_end: warmUpEnd }),
      metrics: runMetrics(r.equity, r.trades, controlSamples(r.cycles, warmUpEnd, symbols), {
        initialEquity: config.initial_balance,
        dayStartHourUtc: run.engine.ruleSet.manifest.market?.trading_day_start_hour_utc ?? 0,
      }),
    };
  });
  const baseline = results.find((r) => r.id === HEADLINE_BASELINE) ?? results.find((r) => r.id === 'off');
  const off = results.find((r) => r.id === 'off');
  const against = (base: RunResult | undefined) => Object.fromEntries(results.filter((r) => base !== undefined && r !== base).map((r) => [r.id, drawdownReduction(r.metrics, base!.metrics)]));
  return {
    runs: results,
    ...(baseline === undefined ? {} : { baseline: baseline.id }),
    reduction: against(baseline),
    ...(off === undefined || off === baseline ? {} : { reduction_vs_off: against(off) }),
  };
}

async function traded(run: RunSpec, config: BacktestConfigDoc, options: BacktestOptions): Promise<Traded> {
  const profile = run.engine.profile(run.profile);
  const broker = paperAccount(config, profile, options.funding);
  const source = options.signals();
  let evaluations = 0;
  const session = await runPaperSession({
    candles: options.candles,
    signalsAt: (time, candles) => source.signalsAt(time, candles),
    policy: { engine: run.engine },
    broker,
    logger: options.logger,
    orchestrator: run.orchestrator,
    ...(run.profile === undefined ? {} : { profile: run.profile }),
    ...(options.tradeFrom === undefined ? {} : { tradeFrom: options.tradeFrom }),
    keepReports: false,
    onCycle: (report, index, total) => {
      if (report.policy !== undefined) evaluations++;
      options.onProgress?.(run, index + 1, total);
    },
  }, new MemoryJournal());
  const store = session.store;
  if (options.storeDir !== undefined) keepStore(store, join(options.storeDir, `${run.id}.sqlite`));
  const cycles = store.cycles();
  return {
    id: run.id,
    label: run.label,
    mode: cycles[0]?.mode ?? (run.orchestrator.enable_orchestrator === false ? 'OFF' : 'LIVE'),
    rule_set_version: run.engine.version,
    content_hash: run.engine.ruleSet.contentHash,
    profile: profile.name,
    trades: store.trades(),
    equity: store.equityCurve(),
    cycles,
    decisions: store.decisions(),
    policy_evaluations: evaluations,
    fallbacks: cycles.filter((c) => (c.policy as { risk_profile?: string } | undefined)?.risk_profile === 'FALLBACK').length,
    funding: fundingOf(store.loadState<PaperBrokerJSON>('venue')),
    blocks: blockPeriods(store.loadState<SymbolBlocksJSON>('symbol-blocks')),
  };
}

/** The run's record as a SQLite store (for `status --store`, `serve --store`), written once at its end. */
function keepStore(journal: MemoryJournal, path: string): void {
  // A backtest starts from nothing: an older store of the same name is a previous backtest, not a crash.
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const store = TradingStore.open(path);
  try {
    journal.copyInto(store);
  } finally {
    store.close();
  }
}

type Traded = Omit<RunResult, 'metrics' | 'warm_up_end'>;

/** The stream, noting each candle's symbol as a run reads it (a stream is read only by the runs). */
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

/**
 * The first close with a market state. A run with the orchestrator on shows it as its first evaluated
 * policy; a run with it off evaluates nothing, and takes the instant from a run on the same rule set
 * (same indicators, same candles, so the same warm-up), else from the first run.
 */
function warmUpEndOf(run: Traded, all: readonly Traded[], specs: readonly RunSpec[], spec: RunSpec): number | undefined {
  const firstPolicy = (r: Traded) => r.cycles.find((c) => c.policy !== undefined)?.time;
  const own = firstPolicy(run);
  if (own !== undefined || run.policy_evaluations > 0) return own;
  const sameRules = all.find((r, i) => specs[i]!.engine.ruleSet.contentHash === spec.engine.ruleSet.contentHash && r.policy_evaluations > 0);
  return firstPolicy(sameRules ?? all[0]!);
}

/** The cycles as the metrics read them: warm-up marked, and which symbols the policy blocked at each close. */
export function controlSamples(cycles: readonly CycleRecord[], warmUpEnd: number | undefined, symbols: readonly string[]): ControlSample[] {
  return cycles.map((c) => {
    const policy = c.policy as Partial<Pick<TradingPolicy, 'allowed_symbols' | 'disallowed_symbols'>> | undefined;
    const allowed = policy?.allowed_symbols ?? [];
    const blocked = symbols.filter((s) => policy?.disallowed_symbols?.includes(s) === true || (allowed.length > 0 && !allowed.includes(s)));
    return { time: c.time, gate_open: c.gate_open, exit_mode: c.exit_mode, stance: c.stance, warming_up: warmUpEnd === undefined || c.time < warmUpEnd, blocked_symbols: blocked };
  });
}

/** A decision of one run that the other run did not take, keyed by time, symbol, action and reason. */
export interface DecisionDifference {
  readonly time: number;
  readonly symbol: string;
  readonly a?: string;
  readonly b?: string;
}

/**
 * What an edit changed, decision by decision: per (time, symbol), the actions and reasons of two runs
 * where they differ (`a` absent: only run B decided something there).
 */
export function differingDecisions(a: readonly DecisionRecord[], b: readonly DecisionRecord[]): DecisionDifference[] {
  const key = (d: DecisionRecord) => `${d.time}\u0000${d.symbol}`;
  const describe = (list: readonly DecisionRecord[]) => {
    const byKey = new Map<string, string[]>();
    for (const d of list) byKey.set(key(d), [...(byKey.get(key(d)) ?? []), `${d.action}:${d.reason}`]);
    return new Map([...byKey].map(([k, v]) => [k, v.sort().join(', ')]));
  };
  const left = describe(a);
  const right = describe(b);
  const differences: DecisionDifference[] = [];
  for (const k of new Set([...left.keys(), ...right.keys()])) {
    const [time, symbol] = k.split('\u0000') as [string, string];
    const l = left.get(k);
    const r = right.get(k);
    if (l !== r) differences.push({ time: Number(time), symbol, ...(l === undefined ? {} : { a: l }), ...(r === undefined ? {} : { b: r }) });
  }
  return differences.sort((x, y) => x.time - y.time || (x.symbol < y.symbol ? -1 : 1));
}

function fundingOf(venue: PaperBrokerJSON | undefined): RunResult['funding'] {
  const by_symbol = Object.fromEntries((venue?.funding ?? []).map((f) => [f.symbol, f.amount]));
  return { total: Object.values(by_symbol).reduce((sum, x) => sum + x, 0), by_symbol };
}

function blockPeriods(saved: SymbolBlocksJSON | undefined): BlockPeriod[] {
  if (saved === undefined) return [];
  return [...saved.ended, ...saved.blocks.map((b) => ({ symbol: b.symbol, reason: b.reason, from: b.since, to: null }))].sort((a, b) => a.from - b.from || (a.symbol < b.symbol ? -1 : 1));
}
