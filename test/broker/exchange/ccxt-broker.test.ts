import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderRejected, VenueConfigurationError, type OrderRequest } from '../../../src/broker/broker.js';
import { CcxtBroker, ExchangeUnavailable, type ExchangeSettings } from '../../../src/broker/exchange/ccxt-broker.js';
import { captureLogger } from '../../support/log-capture.js';
import { MockBinance } from '../../support/mock-binance/mock-binance.js';

const T = Date.now();
const BTC = { symbol: 'BTCUSDT', price: 40_000, tickSize: '0.1', stepSize: '0.001', minQty: '0.001', minNotional: '100' };

describe('exchange adapter: the real ccxt binanceusdm client against the local exchange', () => {
  let mock: MockBinance;
  let records: Record<string, unknown>[];
  let settings: ExchangeSettings;
  beforeEach(async () => {
    mock = await new MockBinance({ symbols: [BTC] }).start();
    const captured = captureLogger();
    records = captured.records;
    settings = {
      exchange: 'binanceusdm', credentials: { apiKey: mock.apiKey, secret: mock.secret }, baseUrl: mock.url, leverage: 20, marginMode: 'cross',
      takerFeeRate: 0.0004, timeoutMs: 400, recvWindowMs: 1_000, retry: { attempts: 6, baseDelayMs: 20, maxDelayMs: 100 }, logger: captured.logger,
    };
  });
  afterEach(() => mock.stop());

  const entry = (over: Partial<OrderRequest> = {}): OrderRequest => ({
    client_id: 'qt-1e', symbol: 'BTCUSDT', side: 'buy', type: 'market', purpose: 'entry', quantity: 0.1, reduce_only: false, position_id: 'BTCUSDT-1', expected_price: 40_000, time: T, ...over,
  });
  const stop = (over: Partial<OrderRequest> = {}): OrderRequest =>
    entry({ client_id: 'qt-2s', side: 'sell', type: 'stop-market', purpose: 'stop-loss', trigger_price: 39_000, reduce_only: true, expected_price: 39_000, ...over });
  const entries = () => mock.allOrders().filter((o) => !o.reduceOnly);

  it('reads the market rules, checks one-way mode, sets leverage and margin mode, and never sends the secret', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    expect(broker.marketRules('BTCUSDT')).toEqual({ symbol: 'BTCUSDT', step_size: 0.001, tick_size: 0.1, min_quantity: 0.001, min_notional: 100 });
    expect(mock.requests).toEqual(expect.arrayContaining(['GET /fapi/v1/exchangeInfo', 'GET /fapi/v1/positionSide/dual', 'POST /fapi/v1/leverage', 'POST /fapi/v1/marginType']));
    expect(JSON.stringify(records)).not.toContain(mock.secret);
  });

  it('refuses an account in hedge mode, saying how to fix it', async () => {
    mock.dualSidePosition = true;
    const error = await CcxtBroker.connect(settings, ['BTCUSDT']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VenueConfigurationError);
    expect((error as Error).message).toMatch(/hedge mode .* one-way mode only: switch Position Mode to One-way/);
  });

  it('asks for the markets afresh after a failed load (ccxt would repeat the cached rejection)', async () => {
    mock.inject({ match: /GET \/fapi\/v1\/exchangeInfo/, kind: 'unavailable', times: 2 });
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    expect(broker.marketRules('BTCUSDT').step_size).toBe(0.001);
    expect(mock.requests.filter((r) => r === 'GET /fapi/v1/exchangeInfo')).toHaveLength(3);
  });

  it('fills a market entry, rests a reduce-only stop as a conditional (algo) order, and reports the fill of the order it became when it fires', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    expect(await broker.submit(entry())).toMatchObject({ status: 'filled', fill_price: 40_000, filled_quantity: 0.1, fee: 1.6 });
    expect(await broker.submit(stop())).toMatchObject({ status: 'new', type: 'stop-market', trigger_price: 39_000 });
    expect(mock.requests).toContain('POST /fapi/v1/algoOrder');
    expect((await broker.openOrders()).map((o) => o.client_id)).toEqual(['qt-2s']);
    expect(await broker.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: 0.1, entry_price: 40_000 }]);
    mock.setPrice('BTCUSDT', 38_950);
    expect(await broker.order('qt-2s', 'BTCUSDT', true)).toMatchObject({ client_id: 'qt-2s', status: 'filled', fill_price: 38_950, filled_quantity: 0.1, trigger_price: 39_000 });
    expect(await broker.positions()).toEqual([]);
    expect(await broker.openOrders()).toEqual([]);
  });

  it('moves a stop by cancel/replace; a cancel of an order that is no longer open says what became of it', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    await broker.submit(entry());
    await broker.submit(stop());
    await broker.submit(stop({ client_id: 'qt-3s', trigger_price: 39_500, purpose: 'trailing-stop' }));
    expect(await broker.cancel('qt-2s', 'BTCUSDT', T, true)).toMatchObject({ client_id: 'qt-2s', status: 'cancelled' });
    expect(mock.openAlgoOrders().map((o) => [o.clientAlgoId, o.triggerPrice])).toEqual([['qt-3s', 39_500]]);
    mock.setPrice('BTCUSDT', 39_400);
    expect(await broker.cancel('qt-3s', 'BTCUSDT', T, true)).toMatchObject({ status: 'filled', fill_price: 39_400 });
    expect(await broker.cancel('qt-never', 'BTCUSDT', T, true)).toBeUndefined();
  });

  it('survives 429s, 5xx and timeouts with retries, and a lost answer never opens a second position', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'rate-limit' });
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'unavailable' });
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'lost-response' });
    const filled = await broker.submit(entry());
    expect(filled).toMatchObject({ client_id: 'qt-1e', status: 'filled', filled_quantity: 0.1 });
    expect(entries()).toHaveLength(1);
    expect(mock.position('BTCUSDT')).toEqual({ qty: 0.1, entry: 40_000 });
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'unavailable-after' });
    await broker.submit(entry({ client_id: 'qt-3e' }));
    expect(entries()).toHaveLength(2);
    mock.inject({ match: /GET \/fapi\/v3\/account/, kind: 'timeout' });
    expect(await broker.balance()).toBeCloseTo(10_000 - 1.6 * 2, 6);
    const warnings = records.filter((r) => r.level === 40 && typeof r.error === 'string').map((r) => String(r.error));
    // ccxt's names for a 429, Binance's -1001 "unable to process" (503), a timeout, -1007 "status unknown", a timeout:
    expect(warnings).toEqual(['DDoSProtection', 'OperationFailed', 'RequestTimeout', 'RequestTimeout', 'RequestTimeout']);
  });

  it('never sends an unanswered market order again before its recvWindow has passed: a late arrival is found, not duplicated', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    // The exchange acts on the request 700 ms later, after the client (400 ms timeout) gave up on it.
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'late', delayMs: 700 });
    const filled = await broker.submit(entry());
    expect(filled).toMatchObject({ client_id: 'qt-1e', status: 'filled' });
    // The venue accepts a filled market order's id again; only the client's patience prevented a second fill.
    expect(entries()).toHaveLength(1);
    expect(records.some((r) => /waiting until the request's recvWindow has passed/.test(String(r.msg)))).toBe(true);
  });

  it('sends an order again once it provably never arrived (no such order after its recvWindow)', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'timeout' });
    expect(await broker.submit(entry())).toMatchObject({ status: 'filled' });
    expect(entries()).toHaveLength(1);
    expect(mock.requests.filter((r) => r === 'POST /fapi/v1/order')).toHaveLength(2);
  });

  it('gives up after the retries with ExchangeUnavailable and halts new entries until the exchange answers again', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    mock.inject({ kind: 'unavailable', times: 6 });
    await expect(broker.balance()).rejects.toBeInstanceOf(ExchangeUnavailable);
    expect(broker.halted()).toMatch(/consecutive exchange failures/);
    await broker.balance();
    expect(broker.halted()).toBeUndefined();
  });

  it('turns a refused order into OrderRejected with the exchange’s reason and a code the executor acts on, without retrying', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'reject', code: -2019, msg: 'Margin is insufficient.' });
    const error = await broker.submit(entry()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderRejected);
    expect(error).toMatchObject({ code: 'INSUFFICIENT_MARGIN', reason: expect.stringContaining('Margin is insufficient.') });
    await expect(broker.submit(entry({ client_id: 'qt-2e', quantity: 0.0015 }))).rejects.toMatchObject({ code: 'INVALID' });
    expect(mock.filledOrders()).toEqual([]);
    await broker.submit(entry({ client_id: 'qt-3e' }));
    // A stop the price has already passed (-2021), a reduce-only order with nothing to reduce (-2022):
    await expect(broker.submit(stop({ client_id: 'qt-4s', trigger_price: 40_100 }))).rejects.toMatchObject({ code: 'WOULD_TRIGGER' });
    await expect(broker.submit(entry({ client_id: 'qt-5x', side: 'buy', reduce_only: true, purpose: 'exit' }))).rejects.toMatchObject({ code: 'REDUCE_ONLY' });
  });

  it('says clearly when the API key is refused', async () => {
    await expect(CcxtBroker.connect({ ...settings, credentials: { apiKey: 'wrong', secret: mock.secret } }, ['BTCUSDT'])).rejects.toThrow(
      /the exchange refused the API key .*Invalid API-key.*check QT_EXCHANGE_API_KEY/,
    );
    await expect(CcxtBroker.connect({ ...settings, credentials: { apiKey: mock.apiKey, secret: 'wrong' } }, ['BTCUSDT'])).rejects.toThrow(/Signature for this request is not valid/);
  });
});
