import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeJudge } from './exchange-judge.js';
import { MockBinance } from './mock-binance/mock-binance.js';

const BTC = { symbol: 'BTCUSDT', price: 40_000, tickSize: '0.1', stepSize: '0.001', minQty: '0.001', minNotional: '5' };

describe('the exchange-side judge', () => {
  let mock: MockBinance;
  afterEach(() => mock.stop());

  it('finds a stop that outlived its position and closed a later one, and nothing when stops act on their own position', async () => {
    mock = await new MockBinance({ symbols: [BTC] }).start();
    const v = mock.venue;
    const judge = new ExchangeJudge(mock);
    v.newMarketOrder('BTCUSDT', 'BUY', 0.01, 'e1', false);
    v.newAlgoOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', qty: 0.01, triggerPrice: 39_000, clientAlgoId: 'own', reduceOnly: true, closePosition: false });
    v.setPrice('BTCUSDT', 38_900);
    expect(judge.orphanFills()).toEqual([]);
    v.setPrice('BTCUSDT', 40_000);
    v.newMarketOrder('BTCUSDT', 'BUY', 0.01, 'e2', false);
    v.newAlgoOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'TAKE_PROFIT_MARKET', qty: 0.01, triggerPrice: 41_000, clientAlgoId: 'orphan', reduceOnly: true, closePosition: false });
    v.newMarketOrder('BTCUSDT', 'SELL', 0.01, 'x2', true);
    expect(judge.orphans()).toEqual(['orphan']);
    v.newMarketOrder('BTCUSDT', 'BUY', 0.01, 'e3', false);
    v.setPrice('BTCUSDT', 41_100);
    expect(judge.orphanFills()).toEqual(['orphan (BTCUSDT)']);
  });
});
