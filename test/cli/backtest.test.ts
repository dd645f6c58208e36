import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleRecord, DecisionRecord } from '../../src/execution/journal.js';
import { TradingStore } from '../../src/store/index.js';
import { runCli, runMain, type CliResult } from '../support/cli.js';
import { RuleSetCopy } from '../support/rule-sets.js';
import { candlesOf } from '../support/trading.js';

interface Results {
  runs: { id: string; label: string; mode: string; rule_set_version: string; content_hash: string; policy_evaluations: number; metrics: Record<string, unknown> }[];
  baseline: string;
  reduction_vs_baseline: Record<string, { daily_dd: number | null; max_dd: number | null }>;
  reduction_vs_off: Record<string, { daily_dd: number | null; max_dd: number | null }>;
  verdicts: string[];
  differing_decisions?: { time: number; symbol: string; a?: string; b?: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'qt-backtest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Tests that need ON to trade use roomy limits (see roomyLimitsRuleSet): the shipped notional caps refuse the design's sizes.
const ROOMY_PROFILES = new RuleSetCopy().roomyLimits();
afterAll(() => ROOMY_PROFILES.remove());
const results = (out: string) => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
function stored(out: string, run: string): { cycles: CycleRecord[]; decisions: DecisionRecord[] } {
  const store = TradingStore.open(join(out, 'stores', `${run}.sqlite`));
  try {
    return { cycles: store.cycles(), decisions: store.decisions() };
  } finally {
    store.close();
  }
}

// The main job on its embedded default, as `npm start` runs it, with an A/B of an edited rule set: one
// backtest (shorter than the default, to keep the suite quick) that every test of this block reads.
describe('quantum-trader backtest (synthetic market) with an A/B of edited rules', () => {
  const out = join(dir, 'default');
  const copy = new RuleSetCopy();
  let run: CliResult;
  beforeAll(async () => {
    copy.edit('rules/confidence.yaml', 'min_confidence: 0.45', 'min_confidence: 0.55');
    run = await runCli(['backtest', '--symbols', 'BTCUSDT,ETHUSDT,SOLUSDT', '--bars', '600', '--out', out, '--vs-rules', copy.rulesDir, '--profiles', ROOMY_PROFILES.profilesDir]);
  });
  afterAll(() => copy.remove());

  it('prints the table of the four runs (ON, the STATIC and OFF baselines, B), a verdict per comparison, and where the report is', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const row of ['total return', 'max drawdown', 'worst daily drawdown', 'Sharpe (daily, ×√365)', 'Sortino', 'trades', 'win rate', 'average R', 'longest losing streak', 'warm-up closes', 'shutdown events', 'time with the gate closed', 'time with a symbol blocked', 'exit mode', 'stance', 'daily-DD reduction vs STATIC', 'max-DD reduction vs STATIC', 'daily-DD reduction vs OFF', 'max-DD reduction vs OFF', 'policy evaluations']) {
      expect(run.stdout).toContain(row);
    }
    expect(run.stdout).toMatch(/orchestrator ON \(LIVE\) +baseline STATIC \(caps\) +baseline OFF \(no caps\) +rules .* ON \(LIVE\)/);
    expect(run.stdout).toMatch(/^· orchestrator ON \(LIVE\) (earned|lost|ended) .* baseline STATIC \(caps\) with .*: total return [+-]?\d+\.\d\d% vs [+-]?\d+\.\d\d%, .* trades\.$/m);
    expect(run.stdout).toMatch(/^· orchestrator ON \(LIVE\) (earned|lost|ended) .* baseline OFF \(no caps\) with /m);
    expect(run.stdout).toMatch(/^· rules .* ON \(LIVE\) (earned|lost|ended) .* orchestrator ON \(LIVE\) with /m);
    expect(run.stdout).toContain(`report: ${join(out, 'report.html')}`);
  });

  it('writes results.json with the rule-set versions, content hashes and verdicts, and trades.csv at each symbol’s precision', () => {
    const r = results(out);
    expect(r.runs.map((x) => [x.id, x.mode])).toEqual([['on', 'LIVE'], ['static', 'STATIC'], ['off', 'OFF'], ['vs', 'LIVE']]);
    expect(r.runs[0]!.rule_set_version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    expect(r.runs[0]!.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.runs[3]!.content_hash).not.toBe(r.runs[0]!.content_hash);
    expect(r.runs[0]!.policy_evaluations).toBeGreaterThan(450);
    expect(r.runs[2]!.policy_evaluations).toBe(0);
    expect(r.runs[0]!.metrics.warm_up_bars).toBeGreaterThan(0);
    // The headline ratios are against STATIC; OFF gets its own.
    expect(r.baseline).toBe('static');
    expect(Object.keys(r.reduction_vs_baseline)).toEqual(['on', 'off', 'vs']);
    expect(Object.keys(r.reduction_vs_off)).toEqual(['on', 'static', 'vs']);
    // ON vs STATIC, B vs STATIC, ON vs OFF, B vs A.
    expect(r.verdicts).toHaveLength(4);
    const csv = readFileSync(join(out, 'trades.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('run,position_id,symbol,side,quantity,entry_price,exit_price,opened_at,closed_at,pnl,fees,r_multiple,exit_reason,exit_mode');
    expect(csv.filter((l) => l.startsWith('on,')).length).toBe(r.runs[0]!.metrics.trades);
    // rules/backtest.yaml gives BTCUSDT a tick of 0.1 and a step of 0.001: fills with slippage are shown at that precision.
    const btc = csv.filter((l) => l.split(',')[2] === 'BTCUSDT').map((l) => l.split(','));
    expect(btc.length).toBeGreaterThan(0);
    for (const cells of btc) {
      expect(cells[4]).toMatch(/^\d+\.\d{3}$/);
      expect(cells[5]).toMatch(/^\d+\.\d$/);
      expect(cells[6]).toMatch(/^\d+\.\d$/);
    }
  });

  it('ON really differs from OFF where the policy acted: no entry while ON’s gate was closed', () => {
    const on = stored(out, 'on');
    const off = stored(out, 'off');
    const closed = new Set(on.cycles.filter((c) => !c.gate_open).map((c) => c.time));
    expect(closed.size).toBeGreaterThan(0);
    expect(on.decisions.filter((d) => d.action === 'opened' && closed.has(d.time))).toEqual([]);
    expect(on.decisions.some((d) => d.reason === 'TRADE SHUTDOWN ACTIVE')).toBe(true);
    expect(off.cycles.every((c) => c.gate_open && c.mode === 'OFF')).toBe(true);
    // The same signals reached OFF at those closes and were judged without the gate.
    const shutdowns = on.decisions.filter((d) => d.reason === 'TRADE SHUTDOWN ACTIVE');
    for (const d of shutdowns) {
      const same = off.decisions.filter((o) => o.time === d.time && o.symbol === d.symbol && (o.action === 'opened' || o.action === 'blocked'));
      expect(same).toHaveLength(1);
      expect(same[0]!.reason).not.toBe('TRADE SHUTDOWN ACTIVE');
    }
  });

  it('STATIC is the profile’s static policy with its caps: entries checked against the limits, no gate, no filters, no circuit', () => {
    const st = stored(out, 'static');
    const off = stored(out, 'off');
    const on = stored(out, 'on');
    const firstPolicy = on.cycles.find((c) => c.policy !== undefined)!.time;
    // Traded from the first market state, as ON is; then its gate is the static one (open) throughout.
    expect(st.cycles.filter((c) => c.time >= firstPolicy).every((c) => c.gate_open)).toBe(true);
    expect(new Set(st.cycles.map((c) => c.exit_mode)).size).toBe(1);
    expect(new Set(st.cycles.map((c) => c.stance)).size).toBe(1);
    expect(st.decisions.some((d) => d.reason === 'BLOCKED_BY_POLICY_FILTER')).toBe(false);
    expect(st.decisions.filter((d) => d.time >= firstPolicy).some((d) => d.reason === 'TRADE SHUTDOWN ACTIVE')).toBe(false);
    // OFF has neither the caps nor the wait for a market state.
    expect(off.decisions.some((d) => /^BLOCKED_BY_(SYMBOL|TOTAL)_EXPOSURE$|^BLOCKED_BY_(MAX_POSITIONS|CORRELATION)/.test(d.reason))).toBe(false);
    expect(off.cycles[0]!.time).toBe(st.cycles[0]!.time);
  });

  it('A/B: lists the decisions that differ, in the terminal, results.json and the report', () => {
    const r = results(out);
    expect(r.differing_decisions!.length).toBeGreaterThan(0);
    expect(r.differing_decisions!.some((d) => d.b?.includes('BLOCKED_BY_CONFIDENCE') && d.a?.includes('opened'))).toBe(true);
    expect(run.stdout).toMatch(/\d+ decision\(s\) differ between orchestrator ON \(LIVE\) \(A\) and rules .* ON \(LIVE\) \(B\)/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`${r.differing_decisions!.length} decision(s) differ between A = orchestrator ON (LIVE) and B = rules`);
    expect(html).toContain('BLOCKED_BY_CONFIDENCE');
  });

  it('writes a report with every symbol, the trades, per-symbol results, monthly returns and the shutdowns with their rule', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const data = JSON.parse(/<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as { prices: { symbol: string }[]; reference: string; trades: unknown[] };
    expect(data.prices.map((p) => p.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    expect(data.reference).toBe('BTCUSDT');
    const r = results(out);
    expect(data.trades).toHaveLength(r.runs.reduce((n, x) => n + (x.metrics.trades as number), 0));
    for (const title of ['Results per symbol', 'Monthly returns', 'Shutdown events: orchestrator ON (LIVE)', 'Decisions that differ (A/B)']) expect(html).toContain(`>${title}</h2>`);
    expect(html).toMatch(/<td class="text">gate-[a-z-]+/);
    for (const verdict of r.verdicts) expect(html).toContain(verdict.replace(/&/g, '&amp;'));
  });
});

describe('quantum-trader backtest --strategy', () => {
  it('trades a signal source of rules/strategies/ by name, and refuses an unknown one with the known names (exit 2)', async () => {
    const out = join(dir, 'breakout');
    const run = await runCli(['backtest', '--strategy', 'breakout', '--symbols', 'BTCUSDT,ETHUSDT', '--bars', '480', '--out', out, '--profiles', ROOMY_PROFILES.profilesDir]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('signals breakout');
    expect(results(out).runs[0]!.metrics.trades).toBeGreaterThan(0);
    const bad = await runCli(['backtest', '--strategy', 'turtle', '--bars', '480', '--out', out]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--strategy: no signal source turtle (known: ema-cross, breakout, mean-reversion, random)');
  });

  it('says why a run made no trades: with the shipped notional caps, the refusals by reason', async () => {
    const out = join(dir, 'shipped-caps');
    const run = await runMain(['backtest', '--symbols', 'BTCUSDT,ETHUSDT', '--bars', '600', '--out', out]);
    expect(run.status).toBe(0);
    const refused = run.stdout.split('\n').filter((l) => l.includes('made no trades; its controls refused'));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatch(/^· orchestrator ON \(LIVE\) made no trades; its controls refused (\d+) entry signals: BLOCKED_BY_SYMBOL_EXPOSURE \d+/);
    // The counts add up to the refused entries the store recorded.
    const blocked = stored(out, 'on').decisions.filter((d) => d.action === 'blocked').length;
    expect(refused[0]).toContain(`refused ${blocked} entry signals`);
    expect(results(out).runs.find((r) => r.id === 'on')!.metrics.trades).toBe(0);
  });

  it('takes the signal sources from the rules folder: a copy with another source (--rules) offers it, and --strategies is gone', async () => {
    const copy = new RuleSetCopy();
    try {
      copy.write('rules/strategies/turtle.yaml', 'apiVersion: quantum-trader/v1\nkind: BreakoutStrategy\nversion: 1.0.0\nname: turtle\nchannel_bars: 55\n');
      const bad = await runCli(['backtest', '--rules', copy.rulesDir, '--strategy', 'turtles', '--bars', '480', '--out', join(dir, 'x')]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--strategy: no signal source turtles (known: ema-cross, breakout, mean-reversion, random, turtle)');
      const gone = await runMain(['backtest', '--strategies', copy.rulesDir, '--out', join(dir, 'x')]);
      expect(gone.status).toBe(2);
      expect(gone.stderr).toMatch(/unknown option '--strategies'/);
    } finally {
      copy.remove();
    }
  });
});

describe('quantum-trader backtest: reproducible, and with another profile', () => {
  it('the same seed gives the same results and trades; --vs-profile adds a run of that profile', async () => {
    const args = (out: string) => ['backtest', '--symbols', 'BTCUSDT,ETHUSDT', '--bars', '500', '--vs-profile', 'aggressive', '--out', out];
    const [a, b] = [join(dir, 'again-a'), join(dir, 'again-b')];
    expect((await runCli(args(a))).status).toBe(0);
    expect((await runCli(args(b))).status).toBe(0);
    expect(results(a).runs[3]!.label).toBe('profile AGGRESSIVE ON (LIVE)');
    expect(results(b).runs).toEqual(results(a).runs);
    expect(readFileSync(join(b, 'trades.csv'), 'utf8')).toBe(readFileSync(join(a, 'trades.csv'), 'utf8'));
  });
});

describe('quantum-trader backtest on CSV data', () => {
  it('runs daily bars of an instrument that does not trade on weekends, symbol from the file name, with --from/--to, Sharpe on its own calendar', async () => {
    const candles = await candlesOf({ symbols: ['SPYUSD'], timeframe: '1d', bars: 600, start: '2022-01-03T00:00:00Z' });
    const weekdays = candles.filter((c) => ![0, 6].includes(new Date(c.openTime).getUTCDay()));
    const file = join(dir, 'spyusd.csv');
    writeFileSync(file, ['timestamp,open,high,low,close,volume', ...weekdays.map((c) => [new Date(c.openTime).toISOString().slice(0, 10), c.open, c.high, c.low, c.close, ''].join(','))].join('\n'));
    const out = join(dir, 'csv');
    const run = await runCli(['backtest', '--data', file, '--from', '2022-09-01', '--to', '2023-06-30', '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('CSV data: SPYUSD · 2022-09-0');
    expect(run.stdout).toMatch(/Sharpe \(daily, ×√2[56]\d\)/);
    const r = results(out);
    expect(r.runs.map((x) => x.id)).toEqual(['on', 'static', 'off']);
    const { cycles } = stored(out, 'on');
    expect(cycles[0]!.time).toBeGreaterThanOrEqual(Date.parse('2022-09-01'));
    expect(cycles.at(-1)!.time).toBeLessThanOrEqual(Date.parse('2023-06-30T00:00:00Z') + 86_400_000);
  });

  it('runs minute bars with epoch-millisecond timestamps', async () => {
    const candles = await candlesOf({ symbols: ['BTCUSDT'], timeframe: '1m', bars: 700 });
    const file = join(dir, 'btc-1m.csv');
    writeFileSync(file, ['timestamp,open,high,low,close,volume', ...candles.map((c) => [c.openTime, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n'));
    const out = join(dir, 'minutes');
    const run = await runCli(['backtest', '--data', `BTCUSDT=${file}`, '--out', out]);
    expect(run.status).toBe(0);
    expect(stored(out, 'on').cycles[1]!.time - stored(out, 'on').cycles[0]!.time).toBe(60_000);
  });

  it('names the problem when the data cannot be used', async () => {
    const run = await runMain(['backtest', '--data', 'BTCUSDT=test/fixtures/candles/missing.csv', '--out', join(dir, 'x')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: test\/fixtures\/candles\/missing\.csv: file not found$/m);
  });
});

describe('quantum-trader backtest --signals', () => {
  it('trades an external model’s JSON-lines signals from stdin, reporting bad lines with their line number', async () => {
    const candles = await candlesOf({ bars: 600 });
    const times = [...new Set(candles.map((c) => c.closeTime))].filter((_, i) => i > 250 && i % 24 === 0);
    const lines = times.map((t, i) => JSON.stringify({ symbol: 'BTCUSDT', side: i % 2 === 0 ? 'long' : 'exit', confidence: 0.8, timestamp: new Date(t).toISOString() }));
    lines.splice(2, 0, '{"symbol":"BTCUSDT","side":"long","confidence":7}');
    const out = join(dir, 'signals');
    const run = await runCli(['backtest', '--symbols', 'BTCUSDT,ETHUSDT', '--bars', '600', '--signals', '-', '--out', out, '--profiles', ROOMY_PROFILES.profilesDir], { input: lines.join('\n') });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('signals stdin');
    expect(run.stderr).toContain('stdin:3: invalid signal: confidence must be a number from 0 to 1 (got 7)');
    expect(results(out).runs[0]!.metrics.trades).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'trades.csv'), 'utf8').split('\n').slice(1).filter(Boolean).every((l) => l.split(',')[2] === 'BTCUSDT')).toBe(true);
  });
});

describe('quantum-trader backtest --config', () => {
  it('uses the account of the given BacktestConfig, and reports a broken one with its file:line', async () => {
    const good = join(dir, 'account.yaml');
    writeFileSync(good, readFileSync('rules/backtest.yaml', 'utf8').replace('initial_balance: 10000', 'initial_balance: 25000'));
    const out = join(dir, 'account');
    expect((await runCli(['backtest', '--symbols', 'BTCUSDT', '--bars', '500', '--config', good, '--out', out])).status).toBe(0);
    expect(results(out).runs[0]!.metrics.initial_equity).toBe(25_000);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync('rules/backtest.yaml', 'utf8').replace('slippage_pct: 0.0002', 'slippage_pct: lots'));
    const run = await runMain(['backtest', '--config', bad, '--out', join(dir, 'bad')]);
    // The --config file is the user's input, not the rule set: bad input, exit 2, not "the rule set is invalid".
    expect(run.status).toBe(2);
    expect(run.stderr).not.toContain('rule set');
    expect(run.stderr).toContain(`${bad}:8:`);
    expect(run.stderr).toContain('slippage_pct');
  });
});

describe('quantum-trader backtest: bad flags', () => {
  it.each([
    [['--bars', '100'], '--bars: the synthetic market needs at least 480 bars'],
    [['--timeframe', '1M'], 'monthly bars have no fixed length'],
    [['--from', 'yesterday'], '--from: '],
    [['--vs-profile', 'yolo'], "unknown profile 'yolo'"],
  ])('%j gives one line and exit status 2', async (flags, message) => {
    const run = await runMain(['backtest', ...flags, '--out', join(dir, 'bad-flags')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
