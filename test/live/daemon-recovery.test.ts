import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TradingStore } from '../../src/store/index.js';
import { LiveMarket } from '../support/live-market.js';
import { REPO } from '../support/rule-sets.js';

const H = 3_600_000;

/** `quantum-trader run --live` as a real child process, its JSON log collected. */
class Daemon {
  readonly log: Record<string, unknown>[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(market: LiveMarket, store: string, signals: string) {
    this.child = spawn(
      process.execPath,
      [join(REPO, 'src/cli/bin.js'), 'run', '--exchange', 'binanceusdm', '--live', '--i-understand-this-trades-real-money', '--symbols', 'BTCUSDT',
        '--exchange-url', market.exchange.url, '--store', store, '--poll', '0.05', '--signals', signals],
      { cwd: REPO, env: { ...process.env, QT_EXCHANGE_API_KEY: market.exchange.apiKey, QT_EXCHANGE_API_SECRET: market.exchange.secret, QT_LOG_LEVEL: 'info' } },
    );
    let partial = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        this.stderr.push(line);
        if (line.startsWith('{')) this.log.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    this.child.stdout.resume();
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  async cycle(time: number): Promise<void> {
    const iso = new Date(time).toISOString();
    await vi.waitFor(() => expect(this.log.some((r) => r.msg === 'cycle' && r.candle_time === iso), `no cycle at ${iso}:\n${this.stderr.join('\n')}`).toBe(true), { timeout: 60_000, interval: 50 });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }
}

describe('quantum-trader run --live: killed mid-trade and restarted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qt-daemon-'));
  let market: LiveMarket | undefined;
  let daemon: Daemon | undefined;
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited;
    await market?.exchange.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recovers the position and its protective orders, applies what filled while it was down, re-creates a lost stop, duplicates nothing', async () => {
    market = await LiveMarket.start();
    const exchange = market.exchange;
    const t1 = market.last.closeTime + H;
    const signals = join(dir, 'signals.jsonl');
    writeFileSync(signals, `${JSON.stringify({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 })}\n`);
    const store = join(dir, 'live.sqlite');

    daemon = new Daemon(market, store, signals);
    await daemon.cycle(market.last.closeTime);
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon.cycle(t1);
    const opened = exchange.position('BTCUSDT')!;
    const resting = () => Object.fromEntries(exchange.openAlgoOrders('BTCUSDT').map((o) => [o.clientAlgoId.split('-').at(-1), o]));
    expect(Object.keys(resting()).sort()).toEqual(['p0', 's0', 't0']);

    // Killed mid-trade. While it is down the partial take-profit fills, and someone cancels the stop by hand.
    daemon.kill();
    expect(await daemon.exited).toBe(null);
    const partialAt = resting().p0!.triggerPrice;
    exchange.setPrice('BTCUSDT', partialAt * 1.001);
    exchange.dropAlgoOrder(resting().s0!.clientAlgoId);
    expect(exchange.position('BTCUSDT')!.qty).toBeLessThan(opened.qty);

    daemon = new Daemon(market, store, signals);
    await vi.waitFor(() => expect(daemon!.log.some((r) => r.msg === 'reconciled with the exchange')).toBe(true), { timeout: 60_000, interval: 50 });
    const reconciled = daemon.log.find((r) => r.msg === 'reconciled with the exchange')!;
    expect(reconciled.fills_while_away).toEqual([expect.stringMatching(/-p0$/)]);
    market.nextBar({ high: 0.001, low: 0.001, close: 0 });
    await daemon.cycle(t1 + H);

    // One position, never a second entry; a stop is resting again; the fill while away is in the store.
    expect(exchange.filledOrders().filter((o) => o.clientOrderId.endsWith('-e'))).toHaveLength(1);
    expect(exchange.position('BTCUSDT')!.qty).toBeGreaterThan(0);
    const stops = exchange.openAlgoOrders('BTCUSDT').filter((o) => o.orderType === 'STOP_MARKET');
    expect(stops).toHaveLength(1);
    expect(stops[0]!.clientAlgoId).toMatch(/-s1$/);
    daemon.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    const saved = TradingStore.open(store);
    try {
      expect(saved.openPositions()).toHaveLength(1);
      expect(saved.openPositions()[0]!.partial_taken).toBe(true);
      expect(saved.decisions().map((d) => `${d.action}:${d.reason}`)).toEqual(expect.arrayContaining(['opened:OPENED', 'reduced:partial-take-profit', 'protection-repaired:STOP_MISSING']));
    } finally {
      saved.close();
    }
  });

  it('refuses to start without keys, and without the confirmation flag, with one clear line each', async () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [join(REPO, 'src/cli/bin.js'), 'run', '--exchange', 'binanceusdm', '--live', '--symbols', 'BTCUSDT'], {
        cwd: REPO, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 120_000,
      });
    const noKeys = run({});
    expect(noKeys.status).toBe(2);
    expect(noKeys.stderr.trim()).toBe('error: --live needs the exchange API key in the environment: set QT_EXCHANGE_API_KEY and QT_EXCHANGE_API_SECRET (they are never logged)');
    const unconfirmed = run({ QT_EXCHANGE_API_KEY: 'k', QT_EXCHANGE_API_SECRET: 's3cr3t-value' });
    expect(unconfirmed.status).toBe(2);
    expect(unconfirmed.stderr).toContain('add --i-understand-this-trades-real-money to confirm (or use --demo, or --paper)');
    expect(unconfirmed.stderr).not.toContain('s3cr3t-value');
  });
});
