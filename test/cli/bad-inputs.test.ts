import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runMain } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qt-bad-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const H = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');
/** Hourly rows of a gentle zigzag, `timestamp,open,high,low,close,volume`. */
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const close = 100 + (i % 7) - 3;
    return `${T0 + i * H},${close},${close + 1},${close - 1.5},${close - 0.5},10`;
  });
const HEADER = 'timestamp,open,high,low,close,volume';

describe('bad input is a one-line error with exit status 2, never an internal error', () => {
  it('status --store on a file that is not a store: one line, the file left as it was', async () => {
    const file = join(dir, 'notes.sqlite');
    writeFileSync(file, 'these are my notes\n');
    const run = await runMain(['status', '--store', file], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`error: --store: ${file}: not a SQLite database (is it the right file?)\n`);
    expect(readFileSync(file, 'utf8')).toBe('these are my notes\n');
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    expect(await runMain(['status', '--store', empty], dir)).toMatchObject({ status: 2, stderr: `error: --store: ${empty} is an empty file, not a store\n` });
    expect(readFileSync(empty, 'utf8')).toBe('');
    expect(await runMain(['status', '--store', dir], dir)).toMatchObject({ status: 2, stderr: `error: --store: ${dir} is a directory, not a store\n` });
  });

  it('the README’s Binance example in a folder without the dumps says that no file matches', async () => {
    // What the shell passes on when a pattern matches nothing: the pattern itself.
    const run = await runMain(['backtest', '--data', 'BTCUSDT-1h-2024-0*.csv', 'ETHUSDT-1h-2024-0*.csv', '--from', '2024-03-01'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: BTCUSDT-1h-2024-0*.csv: no file matches this pattern (the shell passes a pattern that matches nothing on unchanged); check the folder and the file names\n');
  });

  it('a shuffled CSV is refused with the count of rejected rows and the --sort hint', async () => {
    const shuffled = rows(200).map((r, i) => ({ r, key: (i * 97) % 200 })).sort((a, b) => a.key - b.key).map((x) => x.r);
    writeFileSync(join(dir, 'shuffled.csv'), [HEADER, ...shuffled].join('\n'));
    const run = await runMain(['backtest', '--data', 'BTCUSDT=shuffled.csv', '--out', 'out-shuffled'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: shuffled\.csv: BTCUSDT: \d+ of 200 data rows rejected \(out-of-order \d+\); first: .*the sort option \(--sort\) sorts them\n$/);
  });
});

describe('input that cannot be used well is said at warn level', () => {
  it('a FIFO as --data is refused at once (the read would block forever)', async () => {
    const fifo = join(dir, 'BTCUSDT.csv');
    execFileSync('mkfifo', [fifo]);
    const run = await runCli(['backtest', '--data', fifo, '--out', join(dir, 'out-fifo')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`error: ${fifo}: is not a regular file (a FIFO, socket or device); give a CSV file\n`);
  });

  it('--sort sorts a shuffled file; data too short for the indicators is a warning that says nothing will trade', async () => {
    const shuffled = rows(40).reverse();
    writeFileSync(join(dir, 'short.csv'), [HEADER, ...shuffled].join('\n'));
    const run = await runCli(['backtest', '--data', 'BTCUSDT=short.csv', '--sort', '--out', 'out-short'], { cwd: dir });
    expect(run.status).toBe(0);
    const warnings = run.stderr.trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string }).filter((r) => r.level === 40);
    expect(warnings.map((w) => w.msg)).toEqual([
      expect.stringMatching(/^BTCUSDT: only 40 candle\(s\), the indicators need \d+ \(market\.features\) before the first evaluation; it is the market's reference symbol, so no market state is produced and no policy is evaluated: nothing will trade$/),
    ]);
    expect(run.stdout).toContain('CSV data: BTCUSDT');
  });
});
