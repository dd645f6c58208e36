import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { withInferredRules } from '../backtest/account.js';
import { assembleResult, differingDecisions, runBacktest, runPlan, type BacktestResult, type RunSpec } from '../backtest/backtest.js';
import { baselineRuns } from '../backtest/baselines.js';
import { WarmUpBoard } from '../backtest/warm-up.js';
import { defaultWorkers } from '../backtest/worker-pool.js';
import { InputError } from '../config/problem.js';
import { createLogger, type Logger } from '../logger.js';
import { readFundingCsv, type FundingRatePoint } from '../market/funding-rates.js';
import { renderReport } from '../report/index.js';
import { JsonLinesSignalSource, SignalCatalogue } from '../signals/index.js';
import { referenceSymbol } from '../state/index.js';
import { readBacktestConfig } from './account-config.js';
import { candleStream, surveyCandles, type DataPlan } from './backtest-data.js';
import { backtestTable, tradesCsv, verdicts } from './backtest-output.js';
import { reportData } from './backtest-report.js';
import { candleFlags, ruleSetFolders, runsInWorkers, signalPlan } from './backtest-runs.js';
import { signalsOf, type BacktestRunTask } from './backtest-task.js';
import { timeFlag, type CandleSourceFlags } from './candle-source-options.js';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';
import { Progress } from './progress.js';
import { engineFrom, type RuleSetFlags } from './rule-set-options.js';
import { shortDataWarningsOf } from './short-data.js';

export interface BacktestParams extends RuleSetFlags, CandleSourceFlags {
  readonly from?: string;
  readonly to?: string;
  readonly profile?: string;
  readonly config?: string;
  readonly out: string;
  readonly vsRules?: string;
  readonly vsProfile?: string;
  /** JSON-lines signals (file or `-`) instead of the reference strategy. */
  readonly signals?: string;
  /** A signal source by name (the reference strategy or one of rules/strategies/). */
  readonly strategy?: string;
  /** Funding-rate histories, `SYMBOL=FILE`. */
  readonly funding?: readonly string[];
  readonly progress: boolean;
  /** Worker threads for the runs; 0: one after the other in this thread. Default: every core once the data is large enough (WORKERS_FROM). */
  readonly workers?: number;
  readonly logger?: Logger;
}

/**
 * Candles × runs from which the runs go to worker threads by default: a worker spends a second or so
 * loading the trading path before its first candle, more than runs of a few ten thousand candles take.
 */
export const WORKERS_FROM = 300_000;

/**
 * `backtest`: the same candles and signals through the whole trading path with the orchestrator ON (as
 * configured) and two baselines (backtest/baselines.ts: STATIC = the profile's static policy with its caps,
 * the headline ratios' reference; OFF = no controls at all), optionally a run with other rules or profile;
 * prints the comparison and writes results.json, trades.csv and report.html.
 */
export async function backtestCommand(params: BacktestParams, output: Output, cwd = process.cwd()): Promise<number> {
  const started = Date.now();
  const logger = params.logger ?? createLogger({ level: process.env.QT_LOG_LEVEL ?? 'warn' });
  const engine = engineFrom(params, cwd);
  const profile = engine.profile(params.profile);
  const vsEngine = params.vsRules === undefined ? undefined : engineFrom({ rules: params.vsRules, ...(params.profiles === undefined ? {} : { profiles: params.profiles }) }, cwd);
  if (params.vsProfile !== undefined) (vsEngine ?? engine).profile(params.vsProfile);
  const configured = params.config === undefined ? engine.ruleSet.backtest : readBacktestConfig(resolve(cwd, params.config), params.config);

  const from = params.from === undefined ? undefined : timeFlag('--from', params.from);
  const to = params.to === undefined ? undefined : timeFlag('--to', params.to);
  const csv = params.data !== undefined && params.data.length > 0;
  const data: DataPlan = { flags: candleFlags(params), ...(to === undefined ? {} : { to }) };
  const catalogue = SignalCatalogue.of(engine.ruleSet);
  const sourceName = params.strategy ?? engine.ruleSet.strategy.name;
  // One pass over the data before the runs (each run reads it again as a stream of its own): what the
  // table, the files and the report say of it, and the CSV data's own precision, which the runs trade with.
  const candles = candleStream(data, logger, engine.ruleSet);
  const survey = surveyCandles(candles, {
    ...(from === undefined ? {} : { from }), inferPrecision: csv, hold: params.signals === undefined && catalogue.isRandom(sourceName),
  });
  if (survey.tradedFrom === undefined || survey.last === undefined) throw new InputError('no candles in the range given (--from/--to)');
  for (const warning of shortDataWarningsOf(survey.counts, engine.ruleSet)) logger.warn(warning);
  // CSV prices and volumes carry the instrument's own precision; the YAML's per-symbol rules still win.
  const config = csv ? withInferredRules(configured, survey.precision) : configured;

  const funding = fundingFiles(params.funding ?? [], cwd);
  const signalFile = params.signals === undefined ? undefined : JsonLinesSignalSource.read(params.signals, (p) => logger.warn({ problem: p }, `${p.file}:${p.line}: ${p.message}`));
  if (signalFile !== undefined && params.strategy !== undefined) throw new InputError('--signals and --strategy: choose one signal source');
  if (params.strategy !== undefined) catalogue.check([params.strategy], '--strategy');
  // Without --signals or --strategy: the rule set's reference strategy, from the same catalogue.
  const signals = signalPlan(signalFile, catalogue, sourceName, survey.held);
  const signalsName = signals.kind === 'named' ? catalogue.factory(signals.name, [])().name : signals.name;

  const runs: RunSpec[] = baselineRuns(engine, profile.name);
  const folders = ruleSetFolders(params, cwd);
  const runFolders = runs.map(() => folders);
  if (vsEngine !== undefined || params.vsProfile !== undefined) {
    const what = [vsEngine === undefined ? '' : `rules ${params.vsRules}`, params.vsProfile === undefined ? '' : `profile ${params.vsProfile.toUpperCase()}`].filter(Boolean).join(', ');
    runs.push({ id: 'vs', label: `${what} ON (${(vsEngine ?? engine).ruleSet.orchestrator.mode})`, engine: vsEngine ?? engine, profile: params.vsProfile ?? profile.name, orchestrator: { enable_orchestrator: true } });
    runFolders.push(params.vsRules === undefined ? folders : ruleSetFolders({ rules: params.vsRules, ...(params.profiles === undefined ? {} : { profiles: params.profiles }) }, cwd));
  }

  const out = resolve(cwd, params.out);
  mkdirSync(out, { recursive: true });
  const storeDir = join(out, 'stores');
  const workers = params.workers ?? (survey.candles * runs.length >= WORKERS_FROM ? defaultWorkers() : 0);
  let result: BacktestResult;
  if (workers === 0) {
    const progress = new Progress(params.progress, runs.length);
    try {
      result = await runBacktest({
        candles, runs, signals: signalsOf(signals, engine), config, logger, storeDir, ...(funding === undefined ? {} : { funding }), ...(from === undefined ? {} : { tradeFrom: from }),
        onProgress: (run, done) => progress.update(run.label, done, survey.instants),
      });
    } finally {
      progress.stop();
    }
  } else {
    const plan = runPlan(runs);
    const board = WarmUpBoard.create(runs.length);
    const tasks = runs.map((run, index): BacktestRunTask => ({
      cwd, ruleSet: folders, runRuleSet: runFolders[index]!, data, config, signals, index, board: board.buffer,
      run: { id: run.id, label: run.label, orchestrator: run.orchestrator, ...(run.mode === undefined ? {} : { mode: run.mode }), ...(run.profile === undefined ? {} : { profile: run.profile }) },
      hashes: plan.map((p) => p.content_hash), storeDir, logLevel: logger.level, progressEvery: Math.max(1, Math.floor(survey.instants / 200)),
      ...(from === undefined ? {} : { tradeFrom: from }), ...(funding === undefined ? {} : { funding }),
    }));
    result = assembleResult(await runsInWorkers(tasks, workers, survey.instants, new Progress(params.progress, 1)), plan, config);
  }

  const symbols = survey.symbols;
  const reference = referenceSymbol(engine.ruleSet.manifest.market ?? {}, symbols)!;
  const tradedFrom = survey.tradedFrom;
  const description = `${csv ? 'CSV data' : 'synthetic market'}: ${symbols.join(', ')} · ${iso(tradedFrom)} → ${iso(survey.last)} · ${survey.candles} candles`;
  const [runA, runB] = [result.runs.find((r) => r.id === 'on')!, result.runs.find((r) => r.id === 'vs')];
  const differences = runB === undefined ? undefined : differingDecisions(runA.decisions, runB.decisions);

  output.out(backtestTable(result, { description, profile: profile.name, signals: signalsName }));
  if (differences !== undefined) {
    output.out(`\n${differences.length} decision(s) differ between ${runA.label} (A) and ${runB!.label} (B)${differences.length > 20 ? '; the first 20:' : ':'}`);
    for (const d of differences.slice(0, 20)) output.out(`  ${iso(d.time)}  ${d.symbol.padEnd(10)}  A: ${d.a ?? '-'}  B: ${d.b ?? '-'}`);
  }

  const results = {
    generated_at: new Date().toISOString(),
    data: { description, symbols, candles: survey.candles, from: iso(tradedFrom), to: iso(survey.last) },
    profile: profile.name,
    signals: signalsName,
    config,
    runs: result.runs.map((r) => ({ id: r.id, label: r.label, mode: r.mode, profile: r.profile, rule_set_version: r.rule_set_version, content_hash: r.content_hash, policy_evaluations: r.policy_evaluations, fallbacks: r.fallbacks, funding: r.funding, blocks: r.blocks, metrics: r.metrics })),
    baseline: result.baseline,
    reduction_vs_baseline: result.reduction,
    ...(result.reduction_vs_off === undefined ? {} : { reduction_vs_off: result.reduction_vs_off }),
    verdicts: verdicts(result),
    ...(differences === undefined ? {} : { differing_decisions: differences }),
  };
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const precision = survey.decimals.precisions(config);
  writeFileSync(join(out, 'trades.csv'), tradesCsv(result, precision));
  writeFileSync(join(out, 'report.html'), renderReport(reportData(result, { prices: survey.prices, reference, description, profile: profile.name, precision, ...(differences === undefined ? {} : { differences }) })));
  const inside = relative(cwd, out);
  const shown = inside === '' ? '.' : inside.startsWith('..') ? out : inside;
  output.out(`\nreport: ${join(shown, 'report.html')}  (also results.json, trades.csv in ${shown}/) · ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return EXIT.OK;
}

function fundingFiles(specs: readonly string[], cwd: string): Record<string, FundingRatePoint[]> | undefined {
  if (specs.length === 0) return undefined;
  const out: Record<string, FundingRatePoint[]> = {};
  for (const spec of specs) {
    const at = spec.indexOf('=');
    if (at <= 0) throw new InputError(`--funding: expected SYMBOL=FILE, got "${spec}"`);
    const symbol = spec.slice(0, at).toUpperCase();
    out[symbol] = [...(out[symbol] ?? []), ...readFundingCsv(resolve(cwd, spec.slice(at + 1)), spec.slice(at + 1))].sort((a, b) => a.time - b.time);
  }
  return out;
}

function iso(time: number): string {
  return new Date(time).toISOString().replace(':00.000Z', 'Z');
}
