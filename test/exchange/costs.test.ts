import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binanceUsdmClient } from '../../src/exchange/binance-usdm.js';
import { fetchFundingPayments } from '../../src/exchange/funding.js';
import { fetchSpread } from '../../src/exchange/quotes.js';
import { spreadFraction } from '../../src/state/risk/costs.js';
import { MockBinance } from '../support/mock-binance/mock-binance.js';

const SATS = { symbol: '1000SATSUSDT', price: 0.000103, tickSize: '0.0000001', stepSize: '1', minQty: '1', minNotional: '5' };
const BTC = { symbol: 'BTCUSDT', price: 40_000, tickSize: '0.1', stepSize: '0.001', minQty: '0.001', minNotional: '100' };

// What `run` measures through ccxt: the spread from the exchange's best bid/ask, funding from the income history.
describe('costs from the exchange (the real ccxt binanceusdm client against the local exchange)', () => {
  let mock: MockBinance;
  beforeEach(async () => {
    mock = await new MockBinance({ symbols: [BTC, SATS] }).start();
  });
  afterEach(() => mock.stop());
  const client = () => binanceUsdmClient({ baseUrl: mock.url, credentials: { apiKey: mock.apiKey, secret: mock.secret }, timeoutMs: 2_000 });

  it('measures the spread from the best bid and ask (fetchSpread)', async () => {
    mock.setSpread('1000SATSUSDT', 0.0000004);
    const quote = await fetchSpread(client(), '1000SATSUSDT');
    expect(quote).toEqual({ bid: expect.closeTo(0.0001028, 12), ask: expect.closeTo(0.0001032, 12) });
    expect(spreadFraction(quote!)).toBeCloseTo(0.0000004 / 0.000103, 9);
    expect(mock.requests).toContain('GET /fapi/v1/ticker/bookTicker');
  });

  it('reads the account’s funding payments since a time (fetchFundingPayments)', async () => {
    const t = Date.UTC(2024, 2, 1, 8);
    mock.addFunding('BTCUSDT', -0.42, t);
    mock.addFunding('1000SATSUSDT', 0.05, t + 8 * 3_600_000);
    mock.addFunding('BTCUSDT', -0.4, t - 8 * 3_600_000);
    expect(await fetchFundingPayments(client(), t)).toEqual([
      { symbol: 'BTCUSDT', time: t, amount: -0.42 },
      { symbol: '1000SATSUSDT', time: t + 8 * 3_600_000, amount: 0.05 },
    ]);
    expect(await fetchFundingPayments(client(), 0, 'BTCUSDT')).toEqual([
      { symbol: 'BTCUSDT', time: t - 8 * 3_600_000, amount: -0.4 },
      { symbol: 'BTCUSDT', time: t, amount: -0.42 },
    ]);
  });
});
