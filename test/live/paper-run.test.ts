import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { TradingStore } from '../../src/store/index.js';
import { captureLogger } from '../support/log-capture.js';
import { LiveMarket } from '../support/live-market.js';
import { RuleSetCopy } from '../support/rule-sets.js';

// The shipped notional exposure caps refuse the design's position sizes (see roomyLimitsRuleSet); this test is about paper trading.
const ROOMY_PROFILES = new RuleSetCopy().roomyLimits();
afterAll(() => ROOMY_PROFILES.remove());

const H = 3_600_000;

describe('quantum-trader run --paper', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qt-paper-'));
  let market: LiveMarket | undefined;
  afterEach(async () => {
    await market?.exchange.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trades the live market data on the paper broker: no order reaches the exchange, everything is in the store', async () => {
    market = await LiveMarket.start();
    const t1 = market.last.closeTime + H;
    const signals = join(dir, 'signals.jsonl');
    writeFileSync(signals, `${JSON.stringify({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 })}\n`);
    const store = join(dir, 'paper.sqlite');
    const { logger, records } = captureLogger();
    let stop!: () => void;
    const output = { out: () => {}, err: () => {} };
    const running = runCommand(
      {
        exchange: 'binanceusdm', paper: true, live: false, demo: false, confirmed: false, symbols: ['BTCUSDT'], timeframe: '1h', store, pollSeconds: 0.02,
        marginMode: 'cross', ignoreUnknownPositions: false, signals, exchangeUrl: market.exchange.url, profiles: ROOMY_PROFILES.profilesDir, logger, stop: new Promise<void>((resolve) => (stop = resolve)),
      },
      output,
    );
    const cycled = (time: number) => vi.waitFor(() => expect(records.some((r) => r.msg === 'cycle' && r.candle_time === new Date(time).toISOString())).toBe(true), { timeout: 60_000, interval: 20 });
    await cycled(market.last.closeTime);
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await cycled(t1);
    stop();
    expect(await running).toBe(0);
    expect(market.exchange.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
    const saved = TradingStore.open(store);
    try {
      expect(saved.openPositions()).toMatchObject([{ symbol: 'BTCUSDT', side: 'long' }]);
      expect(saved.openOrders().map((o) => o.purpose).sort()).toEqual(['partial-take-profit', 'stop-loss', 'take-profit']);
      expect(saved.loadState('venue')).toMatchObject({ format: 'quantum-trader/paper-broker@1' });
    } finally {
      saved.close();
    }
  });
});

describe('quantum-trader run --live with a refused key', () => {
  it('stops at start-up with one line naming the variables to check, and exit status 2', async () => {
    const market = await LiveMarket.start(60);
    try {
      const { main } = await import('../../src/cli/main.js');
      const err: string[] = [];
      const previous = { key: process.env.QT_EXCHANGE_API_KEY, secret: process.env.QT_EXCHANGE_API_SECRET };
      process.env.QT_EXCHANGE_API_KEY = 'not-the-key';
      process.env.QT_EXCHANGE_API_SECRET = 'some-secret';
      try {
        const storeFile = join(mkdtempSync(join(tmpdir(), 'qt-key-')), 's.sqlite');
        const code = await main(['run', '--exchange', 'binanceusdm', '--live', '--demo', '--symbols', 'BTCUSDT', '--exchange-url', market.exchange.url, '--store', storeFile, '--no-http'], { out: () => {}, err: (t) => err.push(t) });
        expect(code).toBe(2);
        expect(existsSync(storeFile)).toBe(false); // a start that failed before trading leaves no store behind
      } finally {
        process.env.QT_EXCHANGE_API_KEY = previous.key;
        process.env.QT_EXCHANGE_API_SECRET = previous.secret;
        if (previous.key === undefined) delete process.env.QT_EXCHANGE_API_KEY;
        if (previous.secret === undefined) delete process.env.QT_EXCHANGE_API_SECRET;
      }
      expect(err.join('\n')).toMatch(/^error: binanceusdm \(demo\): [^:]+: the exchange refused the API key/m);
      expect(err.join('\n')).toContain('check QT_EXCHANGE_API_KEY / QT_EXCHANGE_API_SECRET');
      expect(err.join('\n')).not.toContain('some-secret');
    } finally {
      await market.exchange.stop();
    }
  });
});
