import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TradingStore } from '../../src/store/index.js';
import { Daemon, quickRules } from '../support/daemon.js';
import { ExchangeJudge } from '../support/exchange-judge.js';
import { LiveMarket } from '../support/live-market.js';

const H = 3_600_000;

/**
 * `run --live` killed with SIGKILL at named points inside the window between an exchange write and the
 * store's commit (QT_CRASH_AT), restarted, and judged from the exchange's side: one entry per signal, no
 * client id on two orders, every position covered by a full-size stop once start-up is complete, no
 * order left resting that protects nothing, and the store agreeing with the exchange.
 */
describe('run --live killed between an exchange write and its commit', () => {
  let dir: string;
  let market: LiveMarket;
  let daemon: Daemon | undefined;
  let rules: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qt-crash-'));
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
  const start = (signals: string, crashAt?: string) => (daemon = new Daemon({ exchange: market.exchange, store: join(dir, 'live.sqlite'), signals, rules, ...(crashAt === undefined ? {} : { crashAt }) }));
  const judge = () => new ExchangeJudge(market.exchange);
  const expectSound = (store = join(dir, 'live.sqlite')) => {
    const j = judge();
    expect({ reused: j.reusedClientIds(), naked: j.naked(), orphans: j.orphans(), store: j.storeDifferences(store) }).toEqual({ reused: [], naked: [], orphans: [], store: [] });
  };
  const decisions = () => {
    const store = TradingStore.open(join(dir, 'live.sqlite'));
    try {
      return store.decisions().map((d) => `${d.action}:${d.reason}`);
    } finally {
      store.close();
    }
  };

  it('entry accepted, killed before anything about it was committed: the restart finds it by client id, protects it, and never enters again', async () => {
    const t1 = market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 });
    start(signals, 'sent:entry');
    await daemon!.waitFor('start-up complete');
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    expect(await daemon!.died()).toBe('SIGKILL');
    expect(judge().entries()).toHaveLength(1);
    expect(judge().naked()).toEqual(['BTCUSDT']); // killed before the stop was sent

    start(signals);
    await daemon!.waitFor('start-up complete');
    expectSound();
    expect(decisions()).toEqual(expect.arrayContaining(['opened:OPENED']));
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon!.cycle(t1 + H);
    expect(judge().entries()).toHaveLength(1);
    expectSound();
  });

  it('killed after the entry was recorded but before it was sent: the order is found never to have arrived, and the spent signal is not traded late', async () => {
    const t1 = market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 });
    start(signals, 'intent:entry');
    await daemon!.waitFor('start-up complete');
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    expect(await daemon!.died()).toBe('SIGKILL');
    start(signals);
    await daemon!.waitFor('start-up complete');
    expect(judge().entries()).toEqual([]);
    expect(decisions()).toContain('entry-void:NEVER_REACHED_THE_VENUE');
    expectSound();
  });

  it('a reversal killed after the short entry filled: the long is closed, the short gets a BUY stop for its full size, and no SELL order of the long is left', async () => {
    const t1 = market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 }, { symbol: 'BTCUSDT', side: 'short', confidence: 0.9, timestamp: t1 + H });
    start(signals, 'sent:entry#2');
    await daemon!.waitFor('start-up complete');
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon!.cycle(t1);
    market.nextBar({ high: 0.001, low: 0.002, close: -0.001, path: 'high-first' });
    expect(await daemon!.died()).toBe('SIGKILL');
    expect(market.exchange.position('BTCUSDT')!.qty).toBeLessThan(0);

    start(signals);
    await daemon!.waitFor('start-up complete');
    expectSound();
    expect(market.exchange.openAlgoOrders('BTCUSDT').every((o) => o.side === 'BUY')).toBe(true);
    expect(judge().entries().map((e) => e.side)).toEqual(['BUY', 'SELL']);
  });

  it('killed after a trailed stop was placed and before the old one was cancelled: exactly one stop remains', async () => {
    const t1 = market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 });
    start(signals, 'sent:trailing-stop');
    await daemon!.waitFor('start-up complete');
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon!.cycle(t1);
    const first = market.exchange.openAlgoOrders('BTCUSDT').find((o) => o.orderType === 'STOP_MARKET')!;
    // A rally well below the partial take-profit: the stop trails up.
    market.nextBar({ high: 0.02, low: 0.001, close: 0.015 });
    expect(await daemon!.died()).toBe('SIGKILL');
    expect(market.exchange.openAlgoOrders('BTCUSDT').filter((o) => o.orderType === 'STOP_MARKET')).toHaveLength(2);

    start(signals);
    await daemon!.waitFor('start-up complete');
    const stops = market.exchange.openAlgoOrders('BTCUSDT').filter((o) => o.orderType === 'STOP_MARKET');
    expect(stops).toHaveLength(1);
    expect(stops[0]!.triggerPrice).toBeGreaterThan(first.triggerPrice);
    expectSound();
  });

  it('killed at the end of a cycle, before its commit: the cycle runs again without entering twice', async () => {
    const t1 = market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 });
    start(signals, 'cycle#2');
    await daemon!.waitFor('start-up complete');
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    expect(await daemon!.died()).toBe('SIGKILL');
    start(signals);
    await daemon!.cycle(t1);
    expect(judge().entries()).toHaveLength(1);
    expectSound();
  });

  it('a stop that fired while the daemon was down is applied at restart and its take-profits are cancelled before they can act on a new position', async () => {
    const t1 = market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 }, { symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 + 2 * H });
    start(signals);
    await daemon!.waitFor('start-up complete');
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon!.cycle(t1);
    daemon!.kill();
    await daemon!.exited;
    // While it is down the price falls just through the stop: the exchange is flat, the take-profits rest on (reduce-only orders stay).
    const stopAt = market.exchange.openAlgoOrders('BTCUSDT').find((o) => o.orderType === 'STOP_MARKET')!.triggerPrice;
    const through = 1 - (stopAt * 0.999) / market.last.close;
    market.nextBar({ high: 0.001, low: through, close: -through / 2 });
    expect(market.exchange.position('BTCUSDT')).toBeUndefined();
    expect(judge().orphans().length).toBeGreaterThan(0);

    start(signals);
    await daemon!.waitFor('start-up complete');
    expectSound();
    const store = TradingStore.open(join(dir, 'live.sqlite'));
    expect(store.trades()).toMatchObject([{ exit_reason: 'stop-loss' }]);
    store.close();
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon!.cycle(t1 + 2 * H);
    expect(judge().entries()).toHaveLength(2);
    expectSound();
  });

  it('a stop the exchange refuses as "would immediately trigger" closes the position at market, recorded as such', async () => {
    const t1 = market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 });
    let crashed = false;
    market.exchange.beforeRequest = (route) => {
      // The market falls through the stop level between the entry's fill and the stop's placement.
      if (route === 'POST /fapi/v1/algoOrder' && !crashed) {
        crashed = true;
        market.exchange.setPrice('BTCUSDT', market.last.close * 0.9);
      }
    };
    start(signals);
    await daemon!.waitFor('start-up complete');
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon!.cycle(t1);
    expect(market.exchange.position('BTCUSDT')).toBeUndefined();
    expect(decisions()).toEqual(expect.arrayContaining(['opened:OPENED', 'rejected:STOP_WOULD_TRIGGER', 'closed:stop-loss']));
    expectSound();
  });
});
