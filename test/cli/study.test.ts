import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runMain, type CliResult } from '../support/cli.js';
import { RuleSetCopy } from '../support/rule-sets.js';

interface Distribution { n: number; median: number; p5: number; p95: number; ci_low: number; ci_high: number; better_share: number; values: number[] }
interface StudyJson {
  grid: { datasets: string[]; sources: string[]; seeds: number; profiles: string[]; cells: number; workers: number; walk_forward: number | null };
  comparisons: { id: string; group: string; cells: number; compared: number; a_no_trades: number; b_no_trades: number; metrics: Record<string, Distribution> }[];
  cells: { key: Record<string, string>; runs: { id: string; trades: number; total_return: number; max_drawdown: number }[] }[];
  walk_forward_steps?: { chosen_on: number; reported_on: number; chosen: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'qt-study-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOMY = new RuleSetCopy().roomyLimits();
afterAll(() => ROOMY.remove());
const study = (out: string) => JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')) as StudyJson;
// A tiny grid on the shortest synthetic market, so each study takes seconds.
const TINY = ['--symbols', 'BTCUSDT,ETHUSDT', '--bars', '480', '--risk-profiles', 'safe', '--workers', '2'];

describe('quantum-trader study: a tiny grid (2 sources × 2 seeds × 1 profile) under margin-basis caps', () => {
  const out = join(dir, 'tiny');
  let run: CliResult;
  beforeAll(async () => {
    run = await runCli(['study', ...TINY, '--seeds', '2', '--sources', 'ema-cross,random', '--profiles', ROOMY.profilesDir, '--out', out]);
  });

  it('prints per comparison the figures with median, bootstrap interval, 5-95% range and share better, then by group', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^4 backtests \(each ON \+ STATIC \+ OFF\) in 2 worker\(s\)/m);
    for (const heading of ['ON vs STATIC (the design’s headline', 'ON vs OFF (against no controls at all)']) expect(run.stdout).toContain(heading);
    expect(run.stdout).toMatch(/^ {2}max-DD reduction +[+-]\d+\.\d% +\[[+-]?\d+\.\d%, [+-]?\d+\.\d%\] +[+-]?\d+\.\d% … [+-]?\d+\.\d% +\d+% +\d$/m);
    expect(run.stdout).toMatch(/^ {2}source=random +\d\/2 /m);
    expect(run.stdout).toContain(`study: ${join(out, 'study.html')} (also study.json)`);
  });

  it('writes study.json: the grid, every cell with its three runs, and distributions consistent with the cells', () => {
    const s = study(out);
    expect(s.grid).toMatchObject({ sources: ['ema-cross', 'random'], seeds: 2, profiles: ['SAFE'], cells: 4, walk_forward: null });
    expect(s.cells.map((c) => [c.key.source, c.key.seed])).toEqual([['ema-cross', '1'], ['ema-cross', '2'], ['random', '1'], ['random', '2']]);
    for (const c of s.cells) expect(c.runs.map((r) => r.id)).toEqual(['on', 'static', 'off']);
    const onVsOff = s.comparisons.find((c) => c.id === 'on_vs_off' && c.group === 'all')!;
    const traded = s.cells.filter((c) => c.runs.every((r) => r.trades > 0));
    expect(onVsOff.compared).toBe(traded.length);
    const expected = traded.map((c) => c.runs[0]!.total_return - c.runs[2]!.total_return).sort((a, b) => a - b);
    expect(onVsOff.metrics.return_difference!.values.map((v) => v.toFixed(12))).toEqual(expected.map((v) => v.toFixed(12)));
    // Random entries differ by seed, so do the markets: no two cells are the same run.
    expect(new Set(s.cells.map((c) => c.runs[2]!.total_return)).size).toBe(4);
  });

  it('writes study.html with a chart per figure and the tables', () => {
    const html = readFileSync(join(out, 'study.html'), 'utf8');
    for (const id of ['chart-max_dd_reduction', 'chart-worst_day_reduction', 'chart-return_difference', 'chart-sharpe_difference', 'chart-return_cost']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('>ON vs OFF (against no controls at all)</h2>');
  });
});

describe('quantum-trader study with the shipped profiles', () => {
  it('reports runs without trades as such, not as drawdown wins', async () => {
    const out = join(dir, 'shipped');
    const run = await runCli(['study', ...TINY, '--seeds', '1', '--sources', 'ema-cross', '--out', out]);
    expect(run.status).toBe(0);
    // SAFE's notional caps refuse every entry of the design's sizing: ON and STATIC never trade.
    expect(run.stdout).toContain('1 cells · ON made no trade in 1, STATIC made no trade in 1: left out (no trading is no drawdown win) · 0 compared');
    const s = study(out);
    expect(s.comparisons.find((c) => c.id === 'on_vs_static')!.metrics).toEqual({});
  });
});

describe('quantum-trader study: the signal sources are those of the rules folder', () => {
  it('runs a source added to a copy of rules/ (--rules) in the worker cells', async () => {
    const copy = new RuleSetCopy();
    try {
      copy.write('rules/strategies/turtle.yaml', 'apiVersion: quantum-trader/v1\nkind: BreakoutStrategy\nversion: 1.0.0\nname: turtle\nchannel_bars: 55\n');
      const out = join(dir, 'turtle');
      const run = await runCli(['study', ...TINY, '--seeds', '1', '--sources', 'turtle', '--rules', copy.rulesDir, '--profiles', ROOMY.profilesDir, '--out', out]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const s = study(out);
      expect(s.grid.sources).toEqual(['turtle']);
      expect(s.cells.map((c) => [c.key.source, c.runs.map((r) => r.id).join(',')])).toEqual([['turtle', 'on,static,off']]);
      expect(s.cells[0]!.runs[2]!.trades).toBeGreaterThan(0);
    } finally {
      copy.remove();
    }
  });
});

describe('quantum-trader study --vs-rules --walk-forward', () => {
  it('chooses a rule set on each period and reports it on the next, against ON and STATIC', async () => {
    const edit = new RuleSetCopy();
    try {
      edit.edit('rules/confidence.yaml', 'min_confidence: 0.45', 'min_confidence: 0.55');
      const out = join(dir, 'walk');
      const run = await runCli(['study', ...TINY, '--seeds', '1', '--sources', 'ema-cross', '--profiles', ROOMY.profilesDir, '--vs-rules', edit.rulesDir, '--walk-forward', '2', '--choose-by', 'return', '--out', out]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('walk-forward: rules chosen by return on the period before vs ON');
      expect(run.stdout).toMatch(/^walk-forward choices: on [01]×, vs1 [01]× \(of 1\)$/m);
      const s = study(out);
      expect(s.grid.walk_forward).toBe(2);
      expect(s.cells.map((c) => [c.key.period, c.runs.map((r) => r.id).join(',')])).toEqual([['0', 'on,static,off,vs1'], ['1', 'on,static,off,vs1']]);
      expect(s.walk_forward_steps).toHaveLength(1);
      const [first] = s.cells;
      const best = first!.runs.filter((r) => r.id === 'on' || r.id === 'vs1').reduce((a, b) => (b.total_return > a.total_return ? b : a));
      expect(s.walk_forward_steps![0]).toEqual({ key: expect.any(Object), chosen_on: 0, reported_on: 1, chosen: best.id });
    } finally {
      edit.remove();
    }
  });
});

describe('quantum-trader study: bad options are bad input (exit 2) with a clear message', () => {
  it.each([
    [['--sources', 'ema-cross,turtle'], '--sources: no signal source turtle (known: ema-cross, breakout, mean-reversion, random)'],
    [['--risk-profiles', 'reckless'], '--risk-profiles: no profile reckless (known: AGGRESSIVE, MODERATE, SAFE)'],
    [['--walk-forward', '3'], '--walk-forward: needs at least 2 periods and at least one --vs-rules variant to choose from'],
    [['--choose-by', 'luck'], "--choose-by: expected one of sharpe, return, max_dd, got 'luck'"],
    [['--seeds', '0'], '--seeds must be a positive integer'],
    [['--seed', '7'], '--seed: a study runs the seeds 1..--seeds (one market per seed); give --seeds instead'],
    [['--bars', '100'], '--bars: the synthetic market needs at least 480 bars'],
    [['--data', 'test/fixtures/candles/BTCUSDT-1h-2024-01.csv', '--symbols', 'ETHUSDT'], '--symbols: no data for ETHUSDT (the files hold BTCUSDT)'],
  ])('%j', async (args, message) => {
    // In-process: every one of these fails before a worker starts.
    const run = await runMain(['study', ...args, '--out', join(dir, 'bad')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
