import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TradingStore } from '../../src/store/index.js';
import { ExchangeJudge } from '../support/exchange-judge.js';
import { useLiveTestBed } from '../support/live-test-bed.js';

const H = 3_600_000;

describe('run --live start-up and outages', () => {
  const bed = useLiveTestBed('qt-start-');
  const { signalsFile } = bed;

  it('waits out an exchange that fails at start-up (markets, account mode, candles), saying what it waits for, then trades', async () => {
    bed.market.exchange.inject({ match: /GET \/fapi\/v1\/exchangeInfo/, kind: 'unavailable', times: 3 });
    bed.market.exchange.inject({ match: /GET \/fapi\/v1\/positionSide\/dual/, kind: 'unavailable', times: 8 });
    bed.market.exchange.inject({ match: /GET \/fapi\/v1\/klines/, kind: 'rate-limit', times: 2 });
    const t1 = bed.market.last.closeTime + H;
    bed.start(signalsFile({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 }));
    await bed.daemon.waitFor('start-up complete', 60_000);
    expect(bed.daemon.logged(/^start-up: waiting for the exchange: opening the venue/)).toBe(true);
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await bed.daemon.cycle(t1);
    expect(new ExchangeJudge(bed.market.exchange).entries()).toHaveLength(1);
    expect(bed.daemon.dead).toBe(false);
  });

  it('ends cleanly on SIGINT while it waits at start-up, leaving no store behind', async () => {
    bed.market.exchange.inject({ match: /GET \/fapi\/v1\/exchangeInfo/, kind: 'unavailable', times: 10_000 });
    bed.start(signalsFile());
    await bed.daemon.waitFor(/^start-up: waiting for the exchange/);
    bed.daemon.kill('SIGINT');
    expect(await bed.daemon.exited).toBe(0);
    expect(bed.daemon.logged('stopped during start-up; nothing was traded after the last commit')).toBe(true);
    expect(existsSync(bed.store)).toBe(false);
  });

  it('does not trade the entry signals of candle closes it missed while down: only the current one', async () => {
    const t1 = bed.market.last.closeTime + H;
    const signals = signalsFile(
      { symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 },
      { symbol: 'BTCUSDT', side: 'short', confidence: 0.9, timestamp: t1 + H },
      { symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 + 2 * H },
    );
    bed.start(signals);
    await bed.daemon.waitFor('start-up complete');
    bed.daemon.kill();
    await bed.daemon.exited;
    for (let i = 0; i < 3; i++) bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    bed.start(signals);
    await bed.daemon.cycle(t1 + 2 * H);
    const store = TradingStore.open(bed.store);
    try {
      expect(store.decisions().filter((d) => d.reason === 'SIGNAL_TOO_OLD').map((d) => d.time)).toEqual([t1, t1 + H]);
      expect(store.decisions().find((d) => d.action === 'opened')).toMatchObject({ time: t1 + 2 * H });
    } finally {
      store.close();
    }
    expect(new ExchangeJudge(bed.market.exchange).entries()).toHaveLength(1);
  });

  it('with --ignore-unknown-positions leaves a position opened by hand alone and warns about it at every close', async () => {
    bed.market.exchange.venue.newMarketOrder('BTCUSDT', 'BUY', 0.01, 'by-hand', false);
    bed.start(signalsFile(), { extraArgs: ['--ignore-unknown-positions'] });
    await bed.daemon.waitFor('start-up complete');
    bed.market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await bed.daemon.cycle(bed.market.last.closeTime);
    const warnings = bed.daemon.log.filter((r) => /position opened outside quantum-trader; NOT managed/.test(String(r.msg)));
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(bed.market.exchange.openAlgoOrders()).toEqual([]);
    expect(bed.market.exchange.position('BTCUSDT')!.qty).toBe(0.01);
  });
});
