import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TradingStore } from '../../src/store/index.js';
import { Daemon, quickRules } from '../support/daemon.js';
import { ExchangeJudge } from '../support/exchange-judge.js';
import { LiveMarket } from '../support/live-market.js';

const H = 3_600_000;

describe('run --live start-up and outages', () => {
  let dir: string;
  let market: LiveMarket;
  let daemon: Daemon | undefined;
  let rules: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qt-start-'));
    rules = quickRules();
    market = await LiveMarket.start();
  });
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited;
    await market.exchange.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(rules, { recursive: true, force: true });
  });

  const signalsFile = (...lines: object[]) => {
    const path = join(dir, 'signals.jsonl');
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    return path;
  };
  const start = (signals: string, extraArgs: string[] = []) => (daemon = new Daemon({ exchange: market.exchange, store: join(dir, 'live.sqlite'), signals, rules, extraArgs }));

  it('waits out an exchange that fails at start-up (markets, account mode, candles), saying what it waits for, then trades', async () => {
    market.exchange.inject({ match: /GET \/fapi\/v1\/exchangeInfo/, kind: 'unavailable', times: 3 });
    market.exchange.inject({ match: /GET \/fapi\/v1\/positionSide\/dual/, kind: 'unavailable', times: 8 });
    market.exchange.inject({ match: /GET \/fapi\/v1\/klines/, kind: 'rate-limit', times: 2 });
    const t1 = market.last.closeTime + H;
    start(signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 }));
    await daemon!.waitFor('start-up complete', 60_000);
    expect(daemon!.logged(/^start-up: waiting for the exchange: opening the venue/)).toBe(true);
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon!.cycle(t1);
    expect(new ExchangeJudge(market.exchange).entries()).toHaveLength(1);
    expect(daemon!.dead).toBe(false);
  });

  it('ends cleanly on SIGINT while it waits at start-up, leaving no store behind', async () => {
    market.exchange.inject({ match: /GET \/fapi\/v1\/exchangeInfo/, kind: 'unavailable', times: 10_000 });
    start(signalsFile());
    await daemon!.waitFor(/^start-up: waiting for the exchange/);
    daemon!.kill('SIGINT');
    expect(await daemon!.exited).toBe(0);
    expect(daemon!.logged('stopped during start-up; nothing was traded after the last commit')).toBe(true);
    expect(existsSync(join(dir, 'live.sqlite'))).toBe(false);
  });

  it('does not trade the entry signals of candle closes it missed while down: only the current one', async () => {
    const t1 = market.last.closeTime + H;
    const signals = signalsFile(
      { symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 },
      { symbol: 'BTCUSDT', side: 'short', confidence: 0.9, timestamp: t1 + H },
      { symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 + 2 * H },
    );
    start(signals);
    await daemon!.waitFor('start-up complete');
    daemon!.kill();
    await daemon!.exited;
    for (let i = 0; i < 3; i++) market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    start(signals);
    await daemon!.cycle(t1 + 2 * H);
    const store = TradingStore.open(join(dir, 'live.sqlite'));
    try {
      expect(store.decisions().filter((d) => d.reason === 'SIGNAL_TOO_OLD').map((d) => d.time)).toEqual([t1, t1 + H]);
      expect(store.decisions().find((d) => d.action === 'opened')).toMatchObject({ time: t1 + 2 * H });
    } finally {
      store.close();
    }
    expect(new ExchangeJudge(market.exchange).entries()).toHaveLength(1);
  });

  it('with --ignore-unknown-positions leaves a position opened by hand alone and warns about it at every close', async () => {
    market.exchange.venue.newMarketOrder('BTCUSDT', 'BUY', 0.01, 'by-hand', false);
    start(signalsFile(), ['--ignore-unknown-positions']);
    await daemon!.waitFor('start-up complete');
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon!.cycle(market.last.closeTime);
    const warnings = daemon!.log.filter((r) => /position opened outside quantum-trader; NOT managed/.test(String(r.msg)));
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(market.exchange.openAlgoOrders()).toEqual([]);
    expect(market.exchange.position('BTCUSDT')!.qty).toBe(0.01);
  });
});
