import { describe, expect, it } from 'vitest';
import { TradingStore } from '../../src/store/index.js';
import { ExchangeJudge } from '../support/exchange-judge.js';
import { useLiveTestBed } from '../support/live-test-bed.js';

const H = 3_600_000;

/**
 * `run --live` killed with SIGKILL at named points inside the window between an exchange write and the
 * store's commit (QT_CRASH_AT), restarted, and judged from the exchange's side: one entry per signal, no
 * client id on two orders, every position covered by a full-size stop once start-up is complete, no
 * order left resting that protects nothing, and the store agreeing with the exchange.
 */
describe('run --live killed between an exchange write and its commit', () => {
  const bed = useLiveTestBed('qt-crash-');
  const { signalsFile } = bed;
  const judge = () => new ExchangeJudge(bed.market.exchange);
  const expectSound = (store = bed.store) => {
    const j = judge();
    expect({ reused: j.reusedClientIds(), naked: j.naked(), orphans: j.orphans(), store: j.storeDifferences(store) }).toEqual({ reused: [], naked: [], orphans: [], store: [] });
  };
  const decisions = () => {
    const store = TradingStore.open(bed.store);
    try {
      return store.decisions().map((d) => `${d.action}:${d.reason}`);
    } finally {
      store.close();
    }
  };

  it('entry accepted, killed before anything about it was committed: the restart finds it by client id, protects it, and never enters again', async () => {
    const t1 = bed.market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 });
    bed.start(signals, { crashAt: 'sent:entry' });
    await bed.daemon.waitFor('start-up complete');
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    expect(await bed.daemon.died()).toBe('SIGKILL');
    expect(judge().entries()).toHaveLength(1);
    expect(judge().naked()).toEqual(['BTCUSDT']); // killed before the stop was sent

    bed.start(signals);
    await bed.daemon.waitFor('start-up complete');
    expectSound();
    expect(decisions()).toEqual(expect.arrayContaining(['opened:OPENED']));
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await bed.daemon.cycle(t1 + H);
    expect(judge().entries()).toHaveLength(1);
    expectSound();
  });

  it('killed after the entry was recorded but before it was sent: the order is found never to have arrived, and the spent signal is not traded late', async () => {
    const t1 = bed.market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 });
    bed.start(signals, { crashAt: 'intent:entry' });
    await bed.daemon.waitFor('start-up complete');
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    expect(await bed.daemon.died()).toBe('SIGKILL');
    bed.start(signals);
    await bed.daemon.waitFor('start-up complete');
    expect(judge().entries()).toEqual([]);
    expect(decisions()).toContain('entry-void:NEVER_REACHED_THE_VENUE');
    expectSound();
  });

  it('a reversal killed after the short entry filled: the long is closed, the short gets a BUY stop for its full size, and no SELL order of the long is left', async () => {
    const t1 = bed.market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 }, { symbol: 'BTCUSDT', side: 'short', confidence: 0.9, timestamp: t1 + H });
    bed.start(signals, { crashAt: 'sent:entry#2' });
    await bed.daemon.waitFor('start-up complete');
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await bed.daemon.cycle(t1);
    bed.market.nextBar({ high: 0.001, low: 0.002, close: -0.001, path: 'high-first' });
    expect(await bed.daemon.died()).toBe('SIGKILL');
    expect(bed.market.exchange.position('BTCUSDT')!.qty).toBeLessThan(0);

    bed.start(signals);
    await bed.daemon.waitFor('start-up complete');
    expectSound();
    expect(bed.market.exchange.openAlgoOrders('BTCUSDT').every((o) => o.side === 'BUY')).toBe(true);
    expect(judge().entries().map((e) => e.side)).toEqual(['BUY', 'SELL']);
  });

  it('killed after a trailed stop was placed and before the old one was cancelled: exactly one stop remains', async () => {
    const t1 = bed.market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 });
    bed.start(signals, { crashAt: 'sent:trailing-stop' });
    await bed.daemon.waitFor('start-up complete');
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await bed.daemon.cycle(t1);
    const first = bed.market.exchange.openAlgoOrders('BTCUSDT').find((o) => o.orderType === 'STOP_MARKET')!;
    // A rally well below the partial take-profit: the stop trails up.
    bed.market.nextBar({ high: 0.02, low: 0.001, close: 0.015 });
    expect(await bed.daemon.died()).toBe('SIGKILL');
    expect(bed.market.exchange.openAlgoOrders('BTCUSDT').filter((o) => o.orderType === 'STOP_MARKET')).toHaveLength(2);

    bed.start(signals);
    await bed.daemon.waitFor('start-up complete');
    const stops = bed.market.exchange.openAlgoOrders('BTCUSDT').filter((o) => o.orderType === 'STOP_MARKET');
    expect(stops).toHaveLength(1);
    expect(stops[0]!.triggerPrice).toBeGreaterThan(first.triggerPrice);
    expectSound();
  });

  it('killed at the end of a cycle, before its commit: the cycle runs again without entering twice', async () => {
    const t1 = bed.market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 });
    bed.start(signals, { crashAt: 'cycle#2' });
    await bed.daemon.waitFor('start-up complete');
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    expect(await bed.daemon.died()).toBe('SIGKILL');
    bed.start(signals);
    await bed.daemon.cycle(t1);
    expect(judge().entries()).toHaveLength(1);
    expectSound();
  });

  it('a stop that fired while the daemon was down is applied at restart and its take-profits are cancelled before they can act on a new position', async () => {
    const t1 = bed.market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 }, { symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 + 2 * H });
    bed.start(signals);
    await bed.daemon.waitFor('start-up complete');
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await bed.daemon.cycle(t1);
    bed.daemon.kill();
    await bed.daemon.exited;
    // While it is down the price falls just through the stop: the exchange is flat, the take-profits rest on (reduce-only orders stay).
    const stopAt = bed.market.exchange.openAlgoOrders('BTCUSDT').find((o) => o.orderType === 'STOP_MARKET')!.triggerPrice;
    const through = 1 - (stopAt * 0.999) / bed.market.last.close;
    bed.market.nextBar({ high: 0.001, low: through, close: -through / 2 });
    expect(bed.market.exchange.position('BTCUSDT')).toBeUndefined();
    expect(judge().orphans().length).toBeGreaterThan(0);

    bed.start(signals);
    await bed.daemon.waitFor('start-up complete');
    expectSound();
    const store = TradingStore.open(bed.store);
    expect(store.trades()).toMatchObject([{ exit_reason: 'stop-loss' }]);
    store.close();
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await bed.daemon.cycle(t1 + 2 * H);
    expect(judge().entries()).toHaveLength(2);
    expectSound();
  });

  it('a stop the exchange refuses as "would immediately trigger" closes the position at market, recorded as such', async () => {
    const t1 = bed.market.last.closeTime + H;
    const signals = signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 });
    let crashed = false;
    bed.market.exchange.beforeRequest = (route) => {
      // The market falls through the stop level between the entry's fill and the stop's placement.
      if (route === 'POST /fapi/v1/algoOrder' && !crashed) {
        crashed = true;
        bed.market.exchange.setPrice('BTCUSDT', bed.market.last.close * 0.9);
      }
    };
    bed.start(signals);
    await bed.daemon.waitFor('start-up complete');
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await bed.daemon.cycle(t1);
    expect(bed.market.exchange.position('BTCUSDT')).toBeUndefined();
    expect(decisions()).toEqual(expect.arrayContaining(['opened:OPENED', 'rejected:STOP_WOULD_TRIGGER', 'closed:stop-loss']));
    expectSound();
  });
});
