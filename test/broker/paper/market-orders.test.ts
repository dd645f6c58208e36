import { describe, expect, it } from 'vitest';
import { OrderRejected, type OrderRequest } from '../../../src/broker/broker.js';
import { PaperBroker } from '../../../src/broker/paper/index.js';
import { exit, listenedVenue, market, request, SETTINGS, stop, stored, T, venue } from './venue.js';

describe('paper broker: a market order', () => {
  it('fills at once at the expected price moved against it by the slippage, and pays the taker fee on the fill notional', async () => {
    const { broker, heard } = listenedVenue();
    const buy = await broker.submit(market('buy', 2, 100));
    // 100 × (1 + 0.001) = 100.1; fee 2 × 100.1 × 0.001 = 0.2002
    expect(buy).toMatchObject({ status: 'filled', fill_price: 100.1, filled_quantity: 2, quantity: 2 });
    expect(buy.fee).toBeCloseTo(0.2002, 12);
    expect(buy.reason).toMatch(/expected price 100 moved 0\.1% against it/);
    const sell = await broker.submit(exit('sell', 2, 110));
    // 110 × (1 − 0.001) = 109.89 → 109.9 on the 0.1 tick; fee 2 × 109.9 × 0.001 = 0.2198
    expect(sell).toMatchObject({ status: 'filled', fill_price: 109.9, filled_quantity: 2 });
    expect(sell.fee).toBeCloseTo(0.2198, 12);
    // realised (109.9 − 100.1) × 2 = 19.6
    expect(await broker.balance()).toBeCloseTo(10_000 + 19.6 - 0.2002 - 0.2198, 9);
    expect(await broker.positions()).toEqual([]);
    expect(heard.map((f) => [f.order.client_id, f.expected_price, f.realized_pnl])).toEqual([
      [buy.client_id, 100, 0],
      [sell.client_id, 110, expect.closeTo(19.6, 9)],
    ]);
  });

  it('rounds the slipped price to the nearest tick, like every other price of the system', async () => {
    const b = venue({ slippage_pct: 0.0002 });
    // 100.04 × 1.0002 = 100.060008 → 100.1; 100.04 × 0.9998 = 100.019992 → 100.0
    expect((await b.submit(market('buy', 1, 100.04))).fill_price).toBe(100.1);
    expect((await b.submit(exit('sell', 1, 100.04))).fill_price).toBe(100);
  });

  it('answers a client id it has seen with the order as it stands, never a second fill', async () => {
    const { broker, heard } = listenedVenue();
    const first = await broker.submit(market('buy'));
    expect(await broker.submit({ ...market('buy'), client_id: first.client_id })).toEqual(first);
    expect(await broker.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: 1, entry_price: 100.1 }]);
    expect(heard).toHaveLength(1);
    const resting = await broker.submit(stop('sell', 95));
    await broker.cancel(resting.client_id, 'BTCUSDT', T + 1);
    expect(await broker.submit({ ...stop('sell', 95), client_id: resting.client_id })).toMatchObject({ status: 'cancelled' });
  });

  it('caps a reduce-only quantity above the position to the position', async () => {
    const b = venue();
    await b.submit(market('buy', 1));
    const sell = await b.submit(exit('sell', 3, 100));
    expect(sell).toMatchObject({ quantity: 3, filled_quantity: 1, status: 'filled' });
    expect(await b.positions()).toEqual([]);
  });

  it('closes the position with a reduce-only quantity equal to it but for float dust, as asked', async () => {
    const b = venue();
    await b.submit(market('buy', 0.3));
    await b.submit(exit('sell', 0.1));
    // 0.3 − 0.1 is 0.19999999999999998 in binary: the caller's own arithmetic, matched to the last bit.
    const rest = 0.3 - 0.1;
    const sell = await b.submit(exit('sell', rest));
    expect(sell.filled_quantity).toBe(rest);
    expect(await b.positions()).toEqual([]);
  });
});

describe('paper broker: refusals', () => {
  const withLong = async (b: PaperBroker) => void (await b.submit(market('buy', 1)));
  const cases: [string, Partial<OrderRequest>, RegExp, ((b: PaperBroker) => Promise<void>)?][] = [
    ['a quantity off the step size', { quantity: 0.0015 }, /^quantity 0\.0015 is not a multiple of the step size 0\.001$/],
    ['a quantity under the minimum', { symbol: 'ETHUSDT', quantity: 0.005 }, /^quantity 0\.005 is under the minimum quantity 0\.01$/],
    ['a notional under the minimum', { quantity: 0.001 }, /^notional 0\.10 is under the minimum notional 5$/],
    ['an entry needing more margin than is free', { quantity: 1000 }, /^insufficient margin: 10010\.00 USDT needed at 10x leverage, 10000\.00 free$/],
    ['a reduce-only order with no position to reduce', { reduce_only: true, side: 'sell', purpose: 'exit' }, /^reduce-only sell would open a position: there is no BTCUSDT position to reduce$/],
    ['a reduce-only order that would increase the position', { reduce_only: true, side: 'buy', purpose: 'exit' }, /^reduce-only buy would increase the long BTCUSDT position/, withLong],
    ['a resting reduce-only order with no position', { type: 'stop-market', trigger_price: 95, reduce_only: true, side: 'sell' }, /^reduce-only sell would open a position/],
    ['a stop without a trigger price', { type: 'stop-market', reduce_only: true }, /^stop-market needs a positive trigger_price, got undefined$/],
    ['a trigger price off the tick', { type: 'take-profit-market', trigger_price: 104.05, reduce_only: true, side: 'sell' }, /^trigger_price 104\.05 is not a multiple of the tick size 0\.1$/, withLong],
    ['a quantity that is not a number', { quantity: Number.NaN }, /^quantity must be a positive number, got NaN$/],
    ['a negative quantity', { quantity: -1 }, /^quantity must be a positive number, got -1$/],
    ['an expected price that is not finite', { expected_price: Number.POSITIVE_INFINITY }, /^expected_price must be a positive price, got Infinity$/],
    ['a time that is not a number', { time: Number.NaN }, /^time must be epoch milliseconds, got NaN$/],
    ['an empty symbol', { symbol: '' }, /^symbol must be a non-empty string, got ""$/],
    ['an unknown side', { side: 'hold' as never }, /^side must be buy or sell, got "hold"$/],
    ['an unknown order type', { type: 'limit' as never }, /^type must be one of market, stop-market, take-profit-market, got "limit"$/],
    ['an unknown purpose', { purpose: 'hedge' as never }, /^purpose must be one of entry, stop-loss/],
    ['a reduce_only that is not a boolean', { reduce_only: 'yes' as never }, /^reduce_only must be true or false, got "yes"$/],
  ];

  it.each(cases)('refuses %s with a reason, and answers a retry of the id with the same refusal', async (_label, overrides, reason, setup) => {
    const b = venue({ symbol_rules: { ETHUSDT: { min_quantity: 0.01 } } });
    await setup?.(b);
    const before = { balance: await b.balance(), positions: await b.positions() };
    const req = request(overrides);
    const error = await b.submit(req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderRejected);
    expect((error as OrderRejected).clientId).toBe(req.client_id);
    expect((error as OrderRejected).reason).toMatch(reason);
    const retried = await b.submit(request({ client_id: req.client_id })).catch((e: unknown) => e);
    expect((retried as OrderRejected).reason).toBe((error as OrderRejected).reason);
    expect(await b.order(req.client_id, req.symbol)).toMatchObject({ status: 'rejected', reason: (error as OrderRejected).reason });
    expect({ balance: await b.balance(), positions: await b.positions() }).toEqual(before);
    expect(await b.openOrders()).toEqual([]);
    // What is remembered of a malformed request is plain JSON (no NaN turned null), so the snapshot restores.
    expect(JSON.stringify(b.toJSON())).not.toMatch(/null/);
    await expect(PaperBroker.restore(stored(b), SETTINGS).submit(request({ client_id: req.client_id }))).rejects.toThrow((error as OrderRejected).message);
  });

  it('refuses a request without a usable client id, and has nothing to remember it by', async () => {
    const b = venue();
    await expect(b.submit(request({ client_id: '' }))).rejects.toThrow('client_id must be a non-empty string, got ""');
    expect(b.toJSON().orders).toEqual([]);
  });

  it('asks margin only for what an order opens: closing is never refused, a flip needs margin for the new side only', async () => {
    const b = venue();
    // 900 at 100.1: 90 090 notional, 9 009 margin, fee 90.09; marked at 100, so unrealised −90.
    await b.submit(market('buy', 900));
    // free = 10 000 − 90.09 − 90 − 9 009 = 810.91; 100 more at 100.1 need 1 001.
    await expect(b.submit(market('buy', 100))).rejects.toThrow(/^order .* rejected: insufficient margin: 1001\.00 USDT needed at 10x leverage, 810\.91 free$/);
    // Selling 1 000 closes the 900 (freeing their margin) and opens 100 short at 99.9: 999 of margin, 9 819.91 free.
    const flip = await b.submit(market('sell', 1000));
    expect(flip.status).toBe('filled');
    expect(await b.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: -100, entry_price: 99.9 }]);
  });
});
