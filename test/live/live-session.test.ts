import { afterEach, describe, expect, it, vi } from 'vitest';
import { CcxtBroker } from '../../src/broker/exchange/ccxt-broker.js';
import { silentLogger } from '../../src/logger.js';
import { runLiveSession } from '../../src/live/live-session.js';
import { ExchangeCandleFeed } from '../../src/market/candles/exchange-feed.js';
import { JsonLinesSignalSource } from '../../src/signals/index.js';
import { TradingStore } from '../../src/store/index.js';
import { LiveMarket } from '../support/live-market.js';
import { bundledEngine } from '../support/rule-sets.js';

const H = 3_600_000;

describe('live trading through ccxt against the local exchange', () => {
  let market: LiveMarket | undefined;
  let stop: () => void = () => {};
  let session: Promise<void> = Promise.resolve();
  afterEach(async () => {
    stop();
    await session;
    await market?.exchange.stop();
  });

  it('a full trade: entry, stop and take-profits placed, partial take-profit, trailing stop moved, exit on a signal', async () => {
    market = await LiveMarket.start();
    const exchange = market.exchange;
    const t1 = market.last.closeTime + H;
    const signals = JsonLinesSignalSource.fromText(
      [JSON.stringify({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 }), JSON.stringify({ symbol: 'BTCUSDT', side: 'exit', confidence: 1, timestamp: t1 + 2 * H })].join('\n'),
      'signals.jsonl',
    );
    const broker = await CcxtBroker.connect(
      { exchange: 'binanceusdm', credentials: { apiKey: exchange.apiKey, secret: exchange.secret }, baseUrl: exchange.url, leverage: 20, marginMode: 'cross', takerFeeRate: 0.0004, timeoutMs: 1000, logger: silentLogger() },
      ['BTCUSDT'],
    );
    const store = TradingStore.open(':memory:');
    const cycles: number[] = [];
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    session = runLiveSession({
      feed: new ExchangeCandleFeed({ baseUrl: exchange.url }), broker, symbols: ['BTCUSDT'], timeframe: H, policy: { engine: bundledEngine() },
      signals, store, logger: silentLogger(), pollMs: 20, stop: stopped, onCycle: (t) => cycles.push(t),
    });
    const cycle = (time: number) => vi.waitFor(() => expect(cycles).toContain(time), { timeout: 10_000, interval: 20 });
    await cycle(market.last.closeTime); // the newest closed bar is traded at start-up, the rest warmed the indicators

    // Entry: a market order, then a reduce-only stop, a take-profit and a partial take-profit resting at the exchange.
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await cycle(t1);
    const position = exchange.position('BTCUSDT')!;
    expect(position.qty).toBeGreaterThan(0);
    const resting = () => Object.fromEntries(exchange.openAlgoOrders('BTCUSDT').map((o) => [o.clientAlgoId.split('-').at(-1), o]));
    expect(Object.keys(resting()).sort()).toEqual(['p0', 's0', 't0']);
    expect(resting().s0!).toMatchObject({ side: 'SELL', orderType: 'STOP_MARKET', reduceOnly: true });
    expect(resting().s0!.triggerPrice).toBeLessThan(position.entry);
    const partialAt = resting().p0!.triggerPrice;

    // The next bar rallies through the partial take-profit: half is sold at the exchange, the stop trails up.
    market.nextBar({ high: (partialAt * 1.012) / market.last.close - 1, low: 0.001, close: (partialAt * 1.008) / market.last.close - 1 });
    await cycle(t1 + H);
    expect(exchange.position('BTCUSDT')!.qty).toBeLessThan(position.qty);
    expect(Object.keys(resting()).sort()).toEqual(['s1', 't0']);
    expect(resting().s1!.triggerPrice).toBeGreaterThan(position.entry * 0.995);
    const decisions = store.decisions().map((d) => `${d.action}:${d.reason}`);
    expect(decisions).toEqual(expect.arrayContaining(['opened:OPENED', 'reduced:partial-take-profit']));

    // The exit signal closes the rest at market; the exchange is left with nothing resting.
    market.nextBar({ high: 0.002, low: 0.002, close: 0 });
    await cycle(t1 + 2 * H);
    expect(exchange.position('BTCUSDT')).toBeUndefined();
    expect(exchange.openAlgoOrders()).toEqual([]);
    expect(store.trades()).toMatchObject([{ symbol: 'BTCUSDT', side: 'long', exit_reason: 'exit-signal' }]);
    expect(store.trades()[0]!.pnl).toBeGreaterThan(0);
    stop();
    await session;
    store.close();
  });
});
