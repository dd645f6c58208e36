import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candle } from '../src/market/candle.js';
import { REPO } from './support/rule-sets.js';
import { candlesOf } from './support/trading.js';

/**
 * The README's examples, run as written, so the README stays true. Every command of its ```sh blocks runs
 * in a folder laid out like a clone (rules/, profiles/, test/fixtures/) plus the data files the examples
 * name, through `sh` so patterns expand as they do for a user. Left out: blocks that download (they need
 * the network), `npm ci`/`npm test`, and `run` (it needs an exchange). The only changes to a command:
 * `npx quantum-trader` and `npm start` call this checkout's binary, /tmp/ is the test's own folder, and
 * backtests of the synthetic market run two of its symbols for 480 bars (not five for 2520), and studies
 * a grid of 1 seed × 2 sources × 1 profile, to keep the suite quick.
 */
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const BIN = `"${process.execPath}" "${join(REPO, 'src/cli/bin.js')}"`;
const START = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts.start as string;

/** Commands of every ```sh block, continuation lines joined and comments dropped, with the block's text. */
function shellBlocks(markdown: string): { text: string; commands: string[] }[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => {
    const text = m[1]!;
    const commands = text
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .map((line) => line.replace(/\s{2,}#.*$/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    return { text, commands };
  });
}

const needsNetworkOrExchange = (command: string) => /\bnpm (ci|test)\b|\bquantum-trader run\b|QT_EXCHANGE_API/.test(command);

function runnable(): string[] {
  return shellBlocks(README)
    .filter((block) => !/https?:\/\//.test(block.text))
    .flatMap((block) => block.commands)
    .flatMap((command) => command.split(/\s*&&\s*/).filter((part) => !/^npm (ci|test)\b/.test(part)).join(' && ') || [])
    .filter((command) => command !== '' && !needsNetworkOrExchange(command));
}

function asRunHere(command: string, dir: string): string {
  // /tmp/ first: the checkout's own path (BIN) may be under /tmp/ too, as in a CI clone.
  let shell = command
    .replace(/\/tmp\//g, `${dir}/tmp/`)
    .replace(/\bnpm start\b/g, START.replace(/^node src\/cli\/bin\.js/, BIN))
    .replace(/\bnpx quantum-trader\b/g, BIN);
  if (/ backtest\b/.test(shell) && !/--data\b/.test(shell)) shell += ' --symbols BTCUSDT,ETHUSDT --bars 480';
  // A study's grid shrinks to 1 seed × 2 sources × 1 profile (the last of a repeated option wins).
  if (/ study\b/.test(shell)) shell += ' --seeds 1 --sources ema-cross,random --risk-profiles safe --symbols BTCUSDT,ETHUSDT';
  return shell;
}

function sh(command: string, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd, env: { ...process.env, QT_LOG_LEVEL: 'error' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Binance USDⓈ-M kline rows (headerless, 12 columns, epoch ms) of the bars opening in one month. */
function binanceMonth(candles: readonly Candle[], month: string): string {
  return candles
    .filter((c) => new Date(c.openTime).toISOString().startsWith(month))
    .map((c) => [c.openTime, c.open, c.high, c.low, c.close, c.volume, c.closeTime - 1, 0, 100, 0, 0, 0].join(','))
    .join('\n');
}

describe('the README’s examples work as written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qt-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    for (const folder of ['rules', 'profiles', 'test/fixtures/states']) cpSync(join(REPO, folder), join(dir, folder), { recursive: true });
    mkdirSync(join(dir, 'tmp'));
    // Two monthly dumps per symbol around the example's --from 2024-03-01: February warms the indicators up.
    const crypto = await candlesOf({ symbols: ['BTCUSDT', 'ETHUSDT'], bars: 480, start: '2024-02-16T00:00:00Z' });
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
      for (const month of ['2024-02', '2024-03']) writeFileSync(join(dir, `${symbol}-1h-${month}.csv`), binanceMonth(crypto.filter((c) => c.symbol === symbol), month));
    }
    const daily = (await candlesOf({ symbols: ['SPY'], timeframe: '1d', bars: 480, start: '2023-01-02T00:00:00Z' })).filter((c) => new Date(c.openTime).getUTCDay() % 6 !== 0);
    writeFileSync(join(dir, 'spy-daily.csv'), ['timestamp,open,high,low,close,volume', ...daily.map((c) => [new Date(c.openTime).toISOString().slice(0, 10), c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n'));
  });

  const commands = runnable();

  it('has the examples a newcomer needs, and none of them is left out by mistake', () => {
    for (const expected of [/^npm start$/, /backtest --data BTCUSDT-1h-2024-0\*\.csv/, /backtest --data SPY=spy-daily\.csv/, /^rm -rf \/tmp\/rules-edit && cp -r rules/, /^sed /, /lint --rules/, /--vs-rules/, /--vs-profile/, /eval --state/, /explain --state -/]) {
      expect(commands.some((c) => expected.test(c)), String(expected)).toBe(true);
    }
  });

  for (const command of commands) {
    it(command.length > 100 ? `${command.slice(0, 97)}...` : command, async () => {
      const run = await sh(asRunHere(command, dir), dir);
      expect(run.stderr, run.stderr).not.toMatch(/internal error|^error:/m);
      expect(run.status, run.stderr).toBe(0);
    });
  }

  it('the A/B recipe can be run twice: the copy is fresh each time, never rules/rules', async () => {
    const recipe = commands.filter((c) => c.includes('/tmp/rules-edit') && !/backtest|lint/.test(c));
    for (let i = 0; i < 2; i++) for (const c of recipe) expect((await sh(asRunHere(c, dir), dir)).status).toBe(0);
    expect(() => readFileSync(join(dir, 'tmp/rules-edit/rules/ruleset.yaml'))).toThrow();
    expect(readFileSync(join(dir, 'tmp/rules-edit/confidence.yaml'), 'utf8')).toContain('min_confidence: 0.55');
  });
});
