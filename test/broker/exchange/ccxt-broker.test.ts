import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderRejected, type OrderRequest } from '../../../src/broker/broker.js';
import { CcxtBroker, ExchangeUnavailable, type ExchangeSettings } from '../../../src/broker/exchange/ccxt-broker.js';
import { parseClientId } from '../../../src/broker/exchange/client-ids.js';
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
      takerFeeRate: 0.0004, timeoutMs: 400, retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 100 }, logger: captured.logger,
    };
  });
  afterEach(() => mock.stop());

  const entry = (over: Partial<OrderRequest> = {}): OrderRequest => ({
    client_id: 'BTCUSDT-1-e', symbol: 'BTCUSDT', side: 'buy', type: 'market', purpose: 'entry', quantity: 0.1, reduce_only: false, position_id: 'BTCUSDT-1', expected_price: 40_000, time: T, ...over,
  });
  const stop = (over: Partial<OrderRequest> = {}): OrderRequest =>
    entry({ client_id: 'BTCUSDT-1-s0', side: 'sell', type: 'stop-market', purpose: 'stop-loss', trigger_price: 39_000, reduce_only: true, expected_price: 39_000, ...over });

  it('reads the market rules, sets leverage and margin mode, and never sends the secret', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    expect(broker.marketRules('BTCUSDT')).toEqual({ symbol: 'BTCUSDT', step_size: 0.001, tick_size: 0.1, min_quantity: 0.001, min_notional: 100 });
    expect(mock.requests).toEqual(expect.arrayContaining(['GET /fapi/v1/exchangeInfo', 'POST /fapi/v1/leverage', 'POST /fapi/v1/marginType']));
    expect(JSON.stringify(records)).not.toContain(mock.secret);
  });

  it('fills a market entry, rests a reduce-only stop as a conditional (algo) order, and reports its fill when it fires', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    expect(await broker.submit(entry())).toMatchObject({ status: 'filled', fill_price: 40_000, filled_quantity: 0.1, fee: 1.6 });
    expect(await broker.submit(stop())).toMatchObject({ status: 'new', type: 'stop-market', trigger_price: 39_000 });
    expect(mock.requests).toContain('POST /fapi/v1/algoOrder');
    expect((await broker.openOrders()).map((o) => o.client_id)).toEqual(['BTCUSDT-1-s0']);
    expect(await broker.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: 0.1, entry_price: 40_000 }]);
    mock.setPrice('BTCUSDT', 38_950);
    const fills = await broker.collectFills();
    expect(fills).toMatchObject([{ client_id: 'BTCUSDT-1-s0', purpose: 'stop-loss', status: 'filled', fill_price: 38_950, filled_quantity: 0.1, position_id: 'BTCUSDT-1' }]);
    expect(await broker.positions()).toEqual([]);
    expect(await broker.collectFills()).toEqual([]);
  });

  it('moves a stop by cancel/replace', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    await broker.submit(entry());
    await broker.submit(stop());
    await broker.submit(stop({ client_id: 'BTCUSDT-1-s1', trigger_price: 39_500, purpose: 'trailing-stop' }));
    expect(await broker.cancel('BTCUSDT-1-s0', 'BTCUSDT', T)).toMatchObject({ status: 'cancelled' });
    expect(mock.openAlgoOrders().map((o) => [o.clientAlgoId, o.triggerPrice])).toEqual([['BTCUSDT-1-s1', 39_500]]);
    expect(await broker.cancel('BTCUSDT-1-s0', 'BTCUSDT', T)).toBeUndefined();
  });

  it('survives 429s, 5xx and timeouts with retries, and a lost response never opens a second position', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'rate-limit' });
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'unavailable' });
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'lost-response' });
    const filled = await broker.submit(entry());
    expect(filled).toMatchObject({ client_id: 'BTCUSDT-1-e', status: 'filled', filled_quantity: 0.1 });
    expect(mock.filledOrders()).toHaveLength(1);
    expect(mock.position('BTCUSDT')).toEqual({ qty: 0.1, entry: 40_000 });
    mock.inject({ match: /GET \/fapi\/v3\/account/, kind: 'timeout' });
    expect(await broker.balance()).toBeCloseTo(10_000 - 1.6, 6);
    const warnings = records.filter((r) => r.level === 40).map((r) => String(r.error));
    // ccxt's names for a 429, Binance's "internal error, try again" (503) and a timeout:
    expect(warnings).toEqual(['DDoSProtection', 'OperationFailed', 'RequestTimeout', 'RequestTimeout']);
  });

  it('gives up after the retries with ExchangeUnavailable and halts new entries until the exchange answers again', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    mock.inject({ kind: 'unavailable', times: 4 });
    await expect(broker.balance()).rejects.toBeInstanceOf(ExchangeUnavailable);
    expect(broker.halted()).toMatch(/consecutive exchange failures/);
    await broker.balance();
    expect(broker.halted()).toBeUndefined();
  });

  it('turns a refused order into OrderRejected with the exchange’s reason, without retrying', async () => {
    const broker = await CcxtBroker.connect(settings, ['BTCUSDT']);
    mock.inject({ match: /POST \/fapi\/v1\/order/, kind: 'reject', code: -2019, msg: 'Margin is insufficient.' });
    const error = await broker.submit(entry()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderRejected);
    expect((error as OrderRejected).reason).toContain('Margin is insufficient.');
    await expect(broker.submit(entry({ client_id: 'BTCUSDT-2-e', quantity: 0.0015 }))).rejects.toBeInstanceOf(OrderRejected);
    expect(mock.filledOrders()).toEqual([]);
  });

  it('says clearly when the API key is refused', async () => {
    await expect(CcxtBroker.connect({ ...settings, credentials: { apiKey: 'wrong', secret: mock.secret } }, ['BTCUSDT'])).rejects.toThrow(
      /the exchange refused the API key .*Invalid API-key.*check QT_EXCHANGE_API_KEY/,
    );
    await expect(CcxtBroker.connect({ ...settings, credentials: { apiKey: mock.apiKey, secret: 'wrong' } }, ['BTCUSDT'])).rejects.toThrow(/Signature for this request is not valid/);
  });
});

describe('client order ids', () => {
  it('say which position an order protects and how', () => {
    expect(parseClientId('BTCUSDT-1704067200000-e')).toEqual({ positionId: 'BTCUSDT-1704067200000', purpose: 'entry' });
    expect(parseClientId('BTCUSDT-1704067200000-s0')).toEqual({ positionId: 'BTCUSDT-1704067200000', purpose: 'stop-loss' });
    expect(parseClientId('BTCUSDT-1704067200000-s3')).toEqual({ positionId: 'BTCUSDT-1704067200000', purpose: 'trailing-stop' });
    expect(parseClientId('1000SHIBUSDT-1704067200000-p0')).toEqual({ positionId: '1000SHIBUSDT-1704067200000', purpose: 'partial-take-profit' });
    expect(parseClientId('web_abc123')).toBeUndefined();
  });
});
