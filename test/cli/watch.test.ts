import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { SyntheticMarket } from '../../src/market/candles/index.js';
import { runCli, runMain } from '../support/cli.js';
import { RuleSetCopy } from '../support/rule-sets.js';
import { WatchProcess } from '../support/watch-process.js';

const LINE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}Z {2}(TRENDING_UP|TRENDING_DOWN|SIDEWAYS|CHOPPY)\/(LOW|NORMAL|HIGH|EXTREME) +trades (ON |OFF) {2}(TREND_FOLLOW|FAST_TP|DEFENSIVE_TRAIL) +\S+ +min_conf \d\.\d\d {2}max_risk \d\.\d\d% {2}(SAFE|MODERATE|AGGRESSIVE)/;

describe('quantum-trader watch --once', () => {
  it('replays the embedded synthetic market and prints one line per policy transition', async () => {
    const result = await runCli(['watch', '--once', '--bars', '720']);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).toMatch(LINE);
    expect(lines[0]).toMatch(/rules 1\.\d+\.\d+\+[0-9a-f]{12}/);
    expect(lines.some((l) => l.includes('trades OFF') && l.includes('allow_new_trades=gate-extreme-volatility'))).toBe(true);
    // Consecutive lines differ: a line is printed on a change only.
    lines.slice(1).forEach((line, i) => expect(line.slice(18)).not.toBe(lines[i]!.slice(18)));
  });

  it('replays CSV files given as SYMBOL=FILE, as JSON lines with --format json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qt-watch-'));
    const candles = await lastValueFrom(new SyntheticMarket({ symbols: ['BTCUSDT', 'ETHUSDT'], bars: 600 }).candles().pipe(toArray()));
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
      const rows = candles.filter((c) => c.symbol === symbol).map((c) => [new Date(c.openTime).toISOString(), c.open, c.high, c.low, c.close, c.volume].join(','));
      writeFileSync(join(dir, `${symbol.toLowerCase()}.csv`), ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
    }
    const result = await runCli(['watch', '--once', '--format', 'json', '--data', `BTCUSDT=${join(dir, 'btcusdt.csv')}`, join(dir, 'ethusdt.csv')]);
    rmSync(dir, { recursive: true });
    expect(result.status).toBe(0);
    const records = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(0);
    expect(records[0]).toMatchObject({ profile: 'SAFE', regime: expect.any(String), exit_mode: expect.any(String), rule_set_version: expect.any(String) });
    expect(Date.parse(records[0]!.time as string)).toBeGreaterThanOrEqual(Date.parse('2024-01-01'));
  });

  it('says so when the data is too short for the indicators to warm up', async () => {
    const result = await runCli(['watch', '--once', '--data', 'test/fixtures/candles/sol.csv']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('warning: the data ended before the reference symbol');
  });

  it('refuses an unusable data file, an unknown profile and a bad speed with one clear line', async () => {
    // Each fails before anything is logged, so the CLI runs in this process (no start-up to wait for).
    const bad = await runMain(['watch', '--once', '--data', 'BTCUSDT=test/fixtures/states/scenario-1-normal.json']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: test\/fixtures\/states\/scenario-1-normal\.json:1: /m);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const profile = await runMain(['watch', '--once', '--profile', 'yolo']);
    expect(profile.status).toBe(2);
    expect(profile.stderr).toContain("unknown profile 'yolo' (available: AGGRESSIVE, MODERATE, SAFE)");
    const speed = await runMain(['watch', '--speed', '0']);
    expect(speed.status).toBe(2);
    expect(speed.stderr).toContain('--speed must be a positive number');
  });
});

describe('quantum-trader watch (live)', () => {
  let copy: RuleSetCopy | undefined;
  let watch: WatchProcess | undefined;
  afterEach(async () => {
    watch?.stop();
    await watch?.exited;
    copy?.remove();
  });

  it('picks up edits while replaying and after the data ends, rejects a broken file with its file:line, and stops cleanly', async () => {
    copy = new RuleSetCopy();
    watch = new WatchProcess(['--rules', copy.rulesDir, '--profiles', copy.profilesDir, '--symbols', 'BTCUSDT', '--bars', '500', '--speed', '2000']);
    await watch.waitFor('err', /data ended; still watching/);
    const before = watch.out.length;
    const last = watch.out.at(-1)!;
    const calm = /min_conf 0\.45/.test(last);

    // A threshold edit: the last state is evaluated again under the new rules and the change printed.
    const from = calm ? 'min_confidence: 0.45' : last.includes('min_conf 0.60') ? 'min_confidence: 0.60' : 'min_confidence: 0.70';
    copy.edit('rules/confidence.yaml', from, from.replace(/0\.\d\d/, '0.52'));
    copy.edit('rules/ruleset.yaml', 'version: 1.2.0', 'version: 1.2.1');
    const changed = await watch.waitFor('out', /min_conf 0\.52 .*rules 1\.2\.1\+/, before);
    expect(changed).toMatch(LINE);

    // A broken edit: reported with file:line:column, the running set stays.
    writeFileSync(copy.path('rules/confidence.yaml'), copy.read('rules/confidence.yaml').replace('min_confidence: 0.52', 'min_confidence: [0.52'));
    const rejected = await watch.waitFor('err', /policy reload rejected/);
    expect(rejected).toMatch(/rules\/confidence\.yaml:\d+:\d+/);
    expect(rejected).toContain('keeping 1.2.1+');

    watch.stop();
    expect(await watch.exited).toBe(0);
  });
});
