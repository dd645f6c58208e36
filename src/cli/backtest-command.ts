import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { differingDecisions, runBacktest, type BacktestResult, type RunSpec } from '../backtest/backtest.js';
import { baselineRuns } from '../backtest/baselines.js';
import { InputError } from '../config/problem.js';
import { createLogger, type Logger } from '../logger.js';
import type { Candle } from '../market/candle.js';
import { inferPrecision } from '../market/candles/index.js';
import { withInferredRules } from '../backtest/account.js';
import { readFundingCsv, type FundingRatePoint } from '../market/funding-rates.js';
import { JsonLinesSignalSource, SignalCatalogue, type SignalSource } from '../signals/index.js';
import { referenceSymbol } from '../state/index.js';
import { candleSourceFrom, checkSymbolsHeld, timeFlag, type CandleSourceFlags } from './candle-source-options.js';
import { EXIT } from './exit-codes.js';
import { RuleSetError, type Output } from './output.js';
import { renderReport } from '../report/index.js';
import { Progress } from './progress.js';
import { shortDataWarnings } from './short-data.js';
import { readBacktestConfig } from './account-config.js';
import { backtestTable, tradesCsv, verdicts } from './backtest-output.js';
import { reportData } from './backtest-report.js';
import { symbolPrecisions } from '../backtest/precision.js';
import { engineFrom, type RuleSetFlags } from './rule-set-options.js';

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
  readonly logger?: Logger;
}

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

  const source = candleSourceFrom(params, logger, engine.ruleSet);
  const from = params.from === undefined ? undefined : timeFlag('--from', params.from);
  const to = params.to === undefined ? undefined : timeFlag('--to', params.to);
  let candles: Candle[] = await lastValueFrom(source.candles().pipe(toArray()));
  if (params.data !== undefined && params.data.length > 0 && params.symbols !== undefined && params.symbols.length > 0) {
    checkSymbolsHeld(params.symbols, source.symbols);
    candles = candles.filter((c) => params.symbols!.includes(c.symbol));
  }
  if (to !== undefined) candles = candles.filter((c) => c.closeTime <= to);
  if (candles.length === 0 || (from !== undefined && !candles.some((c) => c.closeTime >= from))) throw new InputError('no candles in the range given (--from/--to)');
  for (const warning of shortDataWarnings(candles, engine.ruleSet)) logger.warn(warning);
  // CSV prices and volumes carry the instrument's own precision; the YAML's per-symbol rules still win.
  const config = params.data !== undefined && params.data.length > 0 ? withInferredRules(configured, inferPrecision(candles)) : configured;

  const funding = fundingFiles(params.funding ?? [], cwd);
  const signalFile = params.signals === undefined ? undefined : JsonLinesSignalSource.read(params.signals, (p) => logger.warn({ problem: p }, `${p.file}:${p.line}: ${p.message}`));
  if (signalFile !== undefined && params.strategy !== undefined) throw new InputError('--signals and --strategy: choose one signal source');
  const catalogue = SignalCatalogue.of(engine.ruleSet);
  if (params.strategy !== undefined) catalogue.check([params.strategy], '--strategy');
  // Without --signals or --strategy: the rule set's reference strategy, from the same catalogue.
  const named = signalFile === undefined ? catalogue.factory(params.strategy ?? engine.ruleSet.strategy.name, candles) : undefined;
  const signals = (): SignalSource => (signalFile !== undefined ? signalFile.fresh() : named!());

  const runs: RunSpec[] = baselineRuns(engine, profile.name);
  if (vsEngine !== undefined || params.vsProfile !== undefined) {
    const what = [vsEngine === undefined ? '' : `rules ${params.vsRules}`, params.vsProfile === undefined ? '' : `profile ${params.vsProfile.toUpperCase()}`].filter(Boolean).join(', ');
    runs.push({ id: 'vs', label: `${what} ON (${(vsEngine ?? engine).ruleSet.orchestrator.mode})`, engine: vsEngine ?? engine, profile: params.vsProfile ?? profile.name, orchestrator: { enable_orchestrator: true } });
  }

  const out = resolve(cwd, params.out);
  mkdirSync(out, { recursive: true });
  const progress = new Progress(params.progress, runs.length);
  let result: BacktestResult;
  try {
    result = await runBacktest({
      candles, runs, signals, config, logger, ...(funding === undefined ? {} : { funding }),
      storeDir: join(out, 'stores'),
      ...(from === undefined ? {} : { tradeFrom: from }),
      onProgress: (run, done, total) => progress.update(run.label, done, total),
    });
  } finally {
    progress.stop();
  }

  const symbols = [...new Set(candles.map((c) => c.symbol))].sort();
  const reference = referenceSymbol(engine.ruleSet.manifest.market ?? {}, symbols)!;
  const tradedFrom = candles.find((c) => from === undefined || c.closeTime >= from)!.closeTime;
  const description = `${params.data?.length ? 'CSV data' : 'synthetic market'}: ${symbols.join(', ')} · ${iso(tradedFrom)} → ${iso(candles.at(-1)!.closeTime)} · ${candles.length} candles`;
  const [runA, runB] = [result.runs.find((r) => r.id === 'on')!, result.runs.find((r) => r.id === 'vs')];
  const differences = runB === undefined ? undefined : differingDecisions(runA.decisions, runB.decisions);

  output.out(backtestTable(result, { description, profile: profile.name, signals: signals().name }));
  if (differences !== undefined) {
    output.out(`\n${differences.length} decision(s) differ between ${runA.label} (A) and ${runB!.label} (B)${differences.length > 20 ? '; the first 20:' : ':'}`);
    for (const d of differences.slice(0, 20)) output.out(`  ${iso(d.time)}  ${d.symbol.padEnd(10)}  A: ${d.a ?? '-'}  B: ${d.b ?? '-'}`);
  }

  const results = {
    generated_at: new Date().toISOString(),
    data: { description, symbols, candles: candles.length, from: iso(tradedFrom), to: iso(candles.at(-1)!.closeTime) },
    profile: profile.name,
    signals: signals().name,
    config,
    runs: result.runs.map((r) => ({ id: r.id, label: r.label, mode: r.mode, profile: r.profile, rule_set_version: r.rule_set_version, content_hash: r.content_hash, policy_evaluations: r.policy_evaluations, fallbacks: r.fallbacks, funding: r.funding, blocks: r.blocks, metrics: r.metrics })),
    baseline: result.baseline,
    reduction_vs_baseline: result.reduction,
    ...(result.reduction_vs_off === undefined ? {} : { reduction_vs_off: result.reduction_vs_off }),
    verdicts: verdicts(result),
    ...(differences === undefined ? {} : { differing_decisions: differences }),
  };
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const precision = symbolPrecisions(candles, config);
  writeFileSync(join(out, 'trades.csv'), tradesCsv(result, precision));
  writeFileSync(join(out, 'report.html'), renderReport(reportData(result, { candles, reference, description, profile: profile.name, precision, ...(differences === undefined ? {} : { differences }) })));
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
