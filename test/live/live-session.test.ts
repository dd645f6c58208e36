import { afterEach, describe, expect, it, vi } from 'vitest';
import { CcxtBroker, type ExchangeSettings } from '../../src/broker/exchange/ccxt-broker.js';
import { silentLogger } from '../../src/logger.js';
import { runLiveSession } from '../../src/live/live-session.js';
import { ExchangeCandleFeed } from '../../src/market/candles/exchange-feed.js';
import { JsonLinesSignalSource } from '../../src/signals/index.js';
import { TradingStore } from '../../src/store/index.js';
import { LiveMarket } from '../support/live-market.js';
import { roomyLimitsEngine } from '../support/rule-sets.js';

const H = 3_600_000;
const STARTUP = { base_delay_ms: 20, max_delay_ms: 200 };

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
    const settings: ExchangeSettings = { exchange: 'binanceusdm', credentials: { apiKey: exchange.apiKey, secret: exchange.secret }, baseUrl: exchange.url, leverage: 20, marginMode: 'cross', takerFeeRate: 0.0004, timeoutMs: 1000, logger: silentLogger() };
    const store = TradingStore.open(':memory:');
    const cycles: number[] = [];
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    session = runLiveSession({
      feed: new ExchangeCandleFeed({ baseUrl: exchange.url }), venue: () => CcxtBroker.connect(settings, ['BTCUSDT']), symbols: ['BTCUSDT'], timeframe: H, policy: { engine: roomyLimitsEngine() },
      signals, store, logger: silentLogger(), pollMs: 20, stop: stopped, onCycle: (t) => cycles.push(t), adoptUnknownPositions: true, startupRetry: STARTUP, settleMs: 1000,
    });
    const cycle = (time: number) => vi.waitFor(() => expect(cycles).toContain(time), { timeout: 60_000, interval: 20 });
    await cycle(market.last.closeTime); // the newest closed bar is traded at start-up, the rest warmed the indicators

    // Entry: a market order, then a reduce-only stop, a take-profit and a partial take-profit resting at the exchange.
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await cycle(t1);
    const position = exchange.position('BTCUSDT')!;
    expect(position.qty).toBeGreaterThan(0);
    // Keyed by the kind letter that ends our client ids: s(top), t(ake-profit), p(artial).
    const resting = () => Object.fromEntries(exchange.openAlgoOrders('BTCUSDT').map((o) => [o.clientAlgoId.at(-1), o]));
    expect(Object.keys(resting()).sort()).toEqual(['p', 's', 't']);
    expect(resting().s!).toMatchObject({ side: 'SELL', orderType: 'STOP_MARKET', reduceOnly: true, quantity: position.qty });
    expect(resting().s!.triggerPrice).toBeLessThan(position.entry);
    const firstStop = resting().s!.clientAlgoId;
    const partialAt = resting().p!.triggerPrice;

    // The next bar rallies through the partial take-profit: half is sold at the exchange, the stop trails up.
    market.nextBar({ high: (partialAt * 1.012) / market.last.close - 1, low: 0.001, close: (partialAt * 1.008) / market.last.close - 1 });
    await cycle(t1 + H);
    expect(exchange.position('BTCUSDT')!.qty).toBeLessThan(position.qty);
    expect(Object.keys(resting()).sort()).toEqual(['s', 't']);
    expect(resting().s!.clientAlgoId).not.toBe(firstStop);
    expect(resting().s!.triggerPrice).toBeGreaterThan(position.entry * 0.995);
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

  it('survives 429s, 5xx and timeouts mid-trade, records a rejected entry with the exchange’s reason, and adopts a position opened elsewhere', async () => {
    market = await LiveMarket.start();
    const exchange = market.exchange;
    const t1 = market.last.closeTime + H;
    // A position opened by hand before the daemon starts.
    const signals = JsonLinesSignalSource.fromText(
      [
        JSON.stringify({ symbol: 'BTCUSDT', side: 'exit', confidence: 1, timestamp: t1 }),
        JSON.stringify({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 + H }),
        JSON.stringify({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t1 + 2 * H }),
      ].join('\n'),
      'signals.jsonl',
    );
    const { logger, records } = (await import('../support/log-capture.js')).captureLogger();
    const settings: ExchangeSettings = { exchange: 'binanceusdm', credentials: { apiKey: exchange.apiKey, secret: exchange.secret }, baseUrl: exchange.url, leverage: 20, marginMode: 'cross', takerFeeRate: 0.0004, timeoutMs: 300, recvWindowMs: 1000, retry: { attempts: 6, baseDelayMs: 10, maxDelayMs: 50 }, logger };
    const setup = await CcxtBroker.connect(settings, ['BTCUSDT']);
    await setup.submit({ client_id: 'manual-1', symbol: 'BTCUSDT', side: 'buy', type: 'market', purpose: 'entry', quantity: 0.01, reduce_only: false, position_id: 'manual', expected_price: market.last.close, time: 0 });
    const store = TradingStore.open(':memory:');
    const cycles: number[] = [];
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    session = runLiveSession({
      feed: new ExchangeCandleFeed({ baseUrl: exchange.url, timeoutMs: 2000 }), venue: () => CcxtBroker.connect(settings, ['BTCUSDT']), symbols: ['BTCUSDT'], timeframe: H, policy: { engine: roomyLimitsEngine() },
      signals, store, logger, pollMs: 20, stop: stopped, adoptUnknownPositions: true, onCycle: (t) => cycles.push(t), startupRetry: STARTUP, settleMs: 1000,
    });
    const cycle = (time: number) => vi.waitFor(() => expect(cycles).toContain(time), { timeout: 60_000, interval: 20 });
    await cycle(market.last.closeTime);
    // Adopted with a stop at the current exit mode's sl_pct; the exit signal at t1 then closes it.
    expect(store.decisions().find((d) => d.action === 'adopted')).toMatchObject({ symbol: 'BTCUSDT', reason: 'POSITION_FOUND_ON_EXCHANGE' });
    expect(exchange.openAlgoOrders('BTCUSDT').filter((o) => o.orderType === 'STOP_MARKET')).toHaveLength(1);
    exchange.inject({ match: /GET \/fapi\/v1\/klines/, kind: 'rate-limit' });
    exchange.inject({ match: /GET \/fapi\/v1\/openAlgoOrders/, kind: 'unavailable' });
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await cycle(t1);
    expect(exchange.position('BTCUSDT')).toBeUndefined();

    // The entry at t1+1h is refused by the exchange: recorded with its reason, nothing opened.
    exchange.inject({ match: /POST \/fapi\/v1\/order/, kind: 'reject', code: -2019, msg: 'Margin is insufficient.' });
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await cycle(t1 + H);
    expect(store.decisions().find((d) => d.action === 'rejected')).toMatchObject({ reason: 'ORDER_REJECTED', detail: { reason: expect.stringContaining('Margin is insufficient.') } });
    expect(exchange.position('BTCUSDT')).toBeUndefined();

    // The entry at t1+2h goes through a lost response and a timeout on its stop: one position, one stop.
    exchange.inject({ match: /POST \/fapi\/v1\/order/, kind: 'lost-response' });
    exchange.inject({ match: /POST \/fapi\/v1\/algoOrder/, kind: 'timeout' });
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await cycle(t1 + 2 * H);
    const ourEntries = exchange.filledOrders().filter((o) => !o.reduceOnly && o.clientOrderId !== 'manual-1');
    expect(ourEntries).toHaveLength(1);
    expect(exchange.position('BTCUSDT')!.qty).toBeGreaterThan(0);
    expect(exchange.openAlgoOrders('BTCUSDT').filter((o) => o.orderType === 'STOP_MARKET')).toHaveLength(1);
    expect(records.some((r) => /exchange answering again/.test(String(r.msg)))).toBe(true);
    stop();
    await session;
    store.close();
  });
});
