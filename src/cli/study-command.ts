import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compareByGroup, type CellFigures, type Comparison } from '../backtest/study/comparisons.js';
import { CHOOSE_BY, walkForward, type ChooseBy, type WalkForwardStep } from '../backtest/study/walk-forward.js';
import { defaultWorkers, runInWorkers } from '../backtest/worker-pool.js';
import { InputError } from '../config/problem.js';
import { renderStudy } from '../report/index.js';
import { SignalCatalogue } from '../signals/index.js';
import { readBacktestConfig } from './account-config.js';
import { checkSymbolsHeld, timeFlag, type CandleSourceFlags } from './candle-source-options.js';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';
import { Progress } from './progress.js';
import { engineFrom, locationFrom, type RuleSetFlags } from './rule-set-options.js';
import { candlesOf, type CellResult, type DatasetSpec, type StudyCell } from './study-cell.js';
import { studyTable } from './study-output.js';
import { studyPage } from './study-report.js';

export interface StudyParams extends RuleSetFlags, CandleSourceFlags {
  /** Seeds 1..n: the synthetic market's and the random entries'. */
  readonly seeds: number;
  /** Signal sources by name; default: every source of the catalogue. */
  readonly sources?: readonly string[];
  /** Risk profiles by name; default: every profile of the rule set. */
  readonly riskProfiles?: readonly string[];
  readonly vsRules?: readonly string[];
  readonly walkForward?: number;
  readonly chooseBy?: string;
  readonly config?: string;
  /** With --data: the synthetic market as a second data set. */
  readonly synthetic?: boolean;
  readonly from?: string;
  readonly to?: string;
  readonly workers?: number;
  readonly resamples?: number;
  readonly out: string;
  readonly progress: boolean;
}

/** The synthetic market's length per run in a study unless --bars says otherwise: 20 days of 1h, its shortest story. */
export const STUDY_BARS = 480;

/**
 * `study`: the grid data sets × signal sources × seeds × profiles (× rule-set variants, × walk-forward
 * periods) backtested in worker threads; per comparison (ON vs STATIC, ON vs OFF, each variant vs ON,
 * or the walk-forward choice vs ON and STATIC) the distributions of the drawdown reductions, return and
 * Sharpe differences and the return cost, with bootstrap intervals. Writes study.json and study.html.
 */
export async function studyCommand(params: StudyParams, output: Output, cwd = process.cwd()): Promise<number> {
  const started = Date.now();
  const engine = engineFrom(params, cwd);
  const location = locationFrom(params, cwd);
  const catalogue = SignalCatalogue.of(engine.ruleSet);
  const sources = params.sources ?? catalogue.names();
  catalogue.check(sources, '--sources');
  const profiles = (params.riskProfiles ?? [...engine.ruleSet.profiles.keys()]).map((p) => {
    if (!engine.ruleSet.profiles.has(p.toUpperCase())) throw new InputError(`--risk-profiles: no profile ${p} (known: ${[...engine.ruleSet.profiles.keys()].join(', ')})`);
    return p.toUpperCase();
  });
  const variants = (params.vsRules ?? []).map((dir, i) => {
    engineFrom({ rules: dir, ...(params.profiles === undefined ? {} : { profiles: params.profiles }) }, cwd);
    return { id: `vs${i + 1}`, label: `rules ${dir} ON`, rules: resolve(cwd, dir) };
  });
  const chooseBy = (params.chooseBy ?? 'sharpe') as ChooseBy;
  if (!CHOOSE_BY.includes(chooseBy)) throw new InputError(`--choose-by: expected one of ${CHOOSE_BY.join(', ')}, got '${params.chooseBy}'`);
  if (params.walkForward !== undefined && (params.walkForward < 2 || variants.length === 0)) throw new InputError('--walk-forward: needs at least 2 periods and at least one --vs-rules variant to choose from');
  if (params.seed !== undefined) throw new InputError('--seed: a study runs the seeds 1..--seeds (one market per seed); give --seeds instead');
  if (!(params.seeds >= 1)) throw new InputError(`--seeds: expected a positive integer, got ${params.seeds}`);
  const config = params.config === undefined ? undefined : resolve(cwd, params.config);
  if (config !== undefined) readBacktestConfig(config, params.config!);

  const datasets = datasetsOf(params);
  const seeds = Array.from({ length: params.seeds }, (_, i) => i + 1);
  const from = params.from === undefined ? undefined : timeFlag('--from', params.from);
  const to = params.to === undefined ? undefined : timeFlag('--to', params.to);
  const base = { rules: location.rulesDir, profiles: location.profilesDir, variants, cwd, ...(config === undefined ? {} : { config }) };
  const cells: StudyCell[] = [];
  for (const dataset of datasets) {
    const span = await spanOf(dataset, engine, from, to);
    const periods = params.walkForward === undefined ? [{ from: span.from, to: span.to }] : split(span, params.walkForward);
    for (const source of sources) {
      // On fixed data a deterministic strategy gives the same run for every seed: one run is enough.
      const cellSeeds = dataset.kind === 'csv' && !catalogue.isRandom(source) ? [null] : seeds;
      for (const seed of cellSeeds) for (const profile of profiles) periods.forEach((p, i) => cells.push({ ...base, dataset, source, seed, profile, from: p.from, to: p.to, ...(params.walkForward === undefined ? {} : { period: i }) }));
    }
  }

  const workers = params.workers ?? defaultWorkers();
  const progress = new Progress(params.progress, 1, 2000, process.stderr, 'backtests');
  let results: CellResult[];
  try {
    results = await runInWorkers<StudyCell, CellResult>(new URL('./study-worker.ts', import.meta.url), cells, { workers, onResult: (_r, _i, done) => progress.update('study', done, cells.length) });
  } finally {
    progress.stop();
  }
  const figures: CellFigures[] = cells.map((c, i) => ({ key: keyOf(c), runs: results[i]!.runs }));
  const bootstrap = { resamples: params.resamples ?? 2000, seed: 'study' };
  const dimensions = ['dataset', 'source', 'profile'];
  const comparisons: Comparison[] = [
    ...compareByGroup('on_vs_static', 'ON vs STATIC (the design’s headline: against the pre-orchestrator system with its caps)', 'on', 'static', figures, dimensions, bootstrap),
    ...compareByGroup('on_vs_off', 'ON vs OFF (against no controls at all)', 'on', 'off', figures, dimensions, bootstrap),
  ];
  let steps: WalkForwardStep[] | undefined;
  if (params.walkForward !== undefined) {
    const forward = walkForward(figures, ['on', ...variants.map((v) => v.id)], chooseBy);
    steps = forward.steps;
    comparisons.push(...compareByGroup('chosen_vs_on', `walk-forward: rules chosen by ${chooseBy} on the period before vs ON`, 'chosen', 'on', forward.cells, dimensions, bootstrap));
    comparisons.push(...compareByGroup('chosen_vs_static', `walk-forward: rules chosen by ${chooseBy} on the period before vs STATIC`, 'chosen', 'static', forward.cells, dimensions, bootstrap));
  } else {
    for (const v of variants) comparisons.push(...compareByGroup(`${v.id}_vs_on`, `${v.label} vs ON (the A/B of a rule-set edit)`, v.id, 'on', figures, dimensions, bootstrap));
  }

  const seconds = (Date.now() - started) / 1000;
  const grid = {
    datasets: datasets.map((d) => d.name), sources, seeds: params.seeds, profiles,
    variants: variants.map((v) => ({ id: v.id, rules: v.rules })), walk_forward: params.walkForward ?? null, choose_by: params.walkForward === undefined ? null : chooseBy,
    cells: cells.length, workers, seconds,
  };
  const header = [
    `Study · ${datasets.map((d) => d.name).join(' + ')}`,
    `sources ${sources.join(', ')} · seeds 1–${params.seeds} · profiles ${profiles.join(', ')}${variants.length > 0 ? ` · variants ${variants.map((v) => `${v.id} = ${relative(cwd, v.rules) || '.'}`).join(', ')}` : ''}${params.walkForward === undefined ? '' : ` · walk-forward over ${params.walkForward} periods, chosen by ${chooseBy}`}`,
    `${cells.length} backtests (each ON + STATIC + OFF${variants.length > 0 ? ' + variants' : ''}) in ${workers} worker(s), ${seconds.toFixed(1)} s`,
    ...(steps === undefined ? [] : [`walk-forward choices: ${['on', ...variants.map((v) => v.id)].map((id) => `${id} ${steps!.filter((x) => x.chosen === id).length}×`).join(', ')} (of ${steps.length})`]),
  ];
  const names = (c: Comparison) => ({ a: c.a.toUpperCase(), b: c.b.toUpperCase() });
  output.out(studyTable(header, comparisons, names));

  const out = resolve(cwd, params.out);
  mkdirSync(out, { recursive: true });
  const json = { generated_at: new Date().toISOString(), grid, comparisons, ...(steps === undefined ? {} : { walk_forward_steps: steps }), cells: figures };
  writeFileSync(join(out, 'study.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(out, 'study.html'), renderStudy(studyPage('Quantum Trader study: what the policy does to risk', header.join(' · '), comparisons, names)));
  const shown = relative(cwd, out) || '.';
  output.out(`study: ${join(shown.startsWith('..') ? out : shown, 'study.html')} (also study.json)`);
  return EXIT.OK;
}

function datasetsOf(params: StudyParams): DatasetSpec[] {
  const bars = params.bars ?? STUDY_BARS;
  const synthetic = (symbols: readonly string[] | undefined, timeframe: string | undefined): DatasetSpec => ({
    name: `synthetic market (${symbols?.length ?? 5} symbols, ${bars} bars of ${timeframe ?? '1h'} per run)`,
    kind: 'synthetic',
    flags: { bars, ...(symbols === undefined ? {} : { symbols }), ...(timeframe === undefined ? {} : { timeframe }) },
  });
  if (params.data === undefined || params.data.length === 0) return [synthetic(params.symbols, params.timeframe)];
  const csv: DatasetSpec = {
    name: `CSV data (${params.data.join(', ')})`,
    kind: 'csv',
    flags: { data: params.data, ...(params.symbols === undefined ? {} : { symbols: params.symbols }), ...(params.timeframe === undefined ? {} : { timeframe: params.timeframe }), ...(params.sort === true ? { sort: true } : {}) },
  };
  // Beside CSV data, the synthetic market has its own five symbols at 1h: --symbols and --timeframe are the CSV's.
  return params.synthetic === true ? [csv, synthetic(undefined, undefined)] : [csv];
}

function withoutSymbols(flags: CandleSourceFlags): CandleSourceFlags {
  const { symbols: _symbols, ...rest } = flags;
  return rest;
}

/** The traded span of a data set: its candles (seed 1 for the synthetic market, whose times do not depend on the seed) within --from/--to. */
async function spanOf(dataset: DatasetSpec, engine: ReturnType<typeof engineFrom>, from: number | undefined, to: number | undefined): Promise<{ from: number; to: number }> {
  const candles = await candlesOf(dataset, 1, engine);
  const wanted = dataset.kind === 'csv' ? (dataset.flags.symbols ?? []) : [];
  if (wanted.length > 0) {
    // Only CSV files can lack a symbol asked for (the synthetic market makes any): read them unfiltered once to say which they hold.
    checkSymbolsHeld(wanted, [...new Set((await candlesOf({ ...dataset, flags: withoutSymbols(dataset.flags) }, 1, engine)).map((c) => c.symbol))]);
  }
  const inside = candles.filter((c) => (from === undefined || c.closeTime >= from) && (to === undefined || c.closeTime <= to));
  if (inside.length === 0) throw new InputError(`${dataset.name}: no candles in the range given (--from/--to)`);
  return { from: inside[0]!.closeTime, to: inside.at(-1)!.closeTime };
}

/** `count` consecutive periods of equal length covering the span. */
function split(span: { from: number; to: number }, count: number): { from: number; to: number }[] {
  const length = (span.to - span.from) / count;
  return Array.from({ length: count }, (_, i) => ({ from: Math.round(span.from + i * length) + (i === 0 ? 0 : 1), to: i === count - 1 ? span.to : Math.round(span.from + (i + 1) * length) }));
}

function keyOf(cell: StudyCell): Record<string, string> {
  return { dataset: cell.dataset.name, source: cell.source, seed: String(cell.seed ?? '-'), profile: cell.profile, ...(cell.period === undefined ? {} : { period: String(cell.period) }) };
}
