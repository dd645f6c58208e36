import { describe, expect, it } from 'vitest';
import { BinanceVenue, isRefusal, type AlgoOrder, type RegularOrder } from './venue.js';

const BTC = { symbol: 'BTCUSDT', price: 40_000, tickSize: '0.1', stepSize: '0.001', minQty: '0.001', minNotional: '100' };

/** The local exchange is only as good as its model of the venue: the documented behaviours tests rely on. */
describe('the local Binance USDⓈ-M venue', () => {
  const venue = () => new BinanceVenue([BTC], 10_000);
  const order = (x: RegularOrder | { code: number; msg: string }): RegularOrder => {
    if (isRefusal(x)) throw new Error(x.msg);
    return x;
  };
  const algo = (x: AlgoOrder | { code: number; msg: string }): AlgoOrder => {
    if (isRefusal(x)) throw new Error(x.msg);
    return x;
  };

  it('refuses a client id only while an order with it is open: a filled market order’s id fills again', () => {
    const v = venue();
    order(v.newMarketOrder('BTCUSDT', 'BUY', 0.01, 'same', false));
    order(v.newMarketOrder('BTCUSDT', 'BUY', 0.01, 'same', false));
    expect(v.positionOf('BTCUSDT').qty).toBe(0.02);
    const stop = { symbol: 'BTCUSDT', side: 'SELL' as const, type: 'STOP_MARKET', qty: 0.02, triggerPrice: 39_000, clientAlgoId: 's1', reduceOnly: true, closePosition: false };
    algo(v.newAlgoOrder(stop));
    expect(v.newAlgoOrder(stop)).toEqual({ code: -4116, msg: 'ClientOrderId is duplicated.' });
    v.cancelAlgo(v.findAlgo(null, 's1')!);
    expect(algo(v.newAlgoOrder(stop)).algoStatus).toBe('NEW');
  });

  it('keeps a reduce-only conditional order open when its position goes flat, and fires it on a later position of the same side', () => {
    const v = venue();
    order(v.newMarketOrder('BTCUSDT', 'BUY', 0.01, 'e1', false));
    algo(v.newAlgoOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', qty: 0.01, triggerPrice: 39_000, clientAlgoId: 's1', reduceOnly: true, closePosition: false }));
    order(v.newMarketOrder('BTCUSDT', 'SELL', 0.01, 'x1', true));
    expect(v.openAlgoOrders().map((o) => o.clientAlgoId)).toEqual(['s1']);
    order(v.newMarketOrder('BTCUSDT', 'BUY', 0.02, 'e2', false));
    v.setPrice('BTCUSDT', 38_900);
    const fired = v.findAlgo(null, 's1')!;
    expect(fired).toMatchObject({ algoStatus: 'FINISHED', actualOrderId: expect.any(Number) });
    expect(v.orders.get(fired.actualOrderId!)).toMatchObject({ status: 'FILLED', executedQty: 0.01 });
    expect(v.positionOf('BTCUSDT').qty).toBe(0.01); // the orphan closed half of the new position
  });

  it('lets a reduce-only conditional order with nothing to reduce expire when it triggers', () => {
    const v = venue();
    algo(v.newAlgoOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', qty: 0.01, triggerPrice: 39_000, clientAlgoId: 's1', reduceOnly: true, closePosition: false }));
    v.setPrice('BTCUSDT', 38_000);
    const fired = v.findAlgo(null, 's1')!;
    expect(fired.algoStatus).toBe('FINISHED');
    expect(v.orders.get(fired.actualOrderId!)).toMatchObject({ status: 'EXPIRED', executedQty: 0 });
    expect(v.positionOf('BTCUSDT').qty).toBe(0);
  });

  it('refuses a stop the price has passed (-2021) and a reduce-only order that cannot reduce (-2022)', () => {
    const v = venue();
    expect(v.newAlgoOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', qty: 0.01, triggerPrice: 40_100, clientAlgoId: 's1', reduceOnly: true, closePosition: false })).toMatchObject({ code: -2021 });
    expect(v.newMarketOrder('BTCUSDT', 'SELL', 0.01, 'x1', true)).toMatchObject({ code: -2022 });
    order(v.newMarketOrder('BTCUSDT', 'SELL', 0.01, 'e1', false));
    expect(v.newMarketOrder('BTCUSDT', 'SELL', 0.01, 'x2', true)).toMatchObject({ code: -2022 }); // would add to the short
  });

  it('records every change for judging a client from the exchange’s side', () => {
    const v = venue();
    order(v.newMarketOrder('BTCUSDT', 'BUY', 0.01, 'e1', false));
    expect(v.history.map((e) => e.kind)).toEqual(['position', 'order']);
  });
});
