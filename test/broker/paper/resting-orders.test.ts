import { describe, expect, it } from 'vitest';
import { bar, exit, H, listenedVenue, market, request, stop, T, takeProfit, venue } from './venue.js';

const fills = (orders: readonly { client_id: string; filled_quantity?: number; fill_price?: number }[]) => orders.map((o) => [o.client_id, o.filled_quantity, o.fill_price]);

describe('paper broker: stops', () => {
  it('rest until a bar reaches them, then fill a long’s stop at the trigger with adverse slippage', async () => {
    const b = venue();
    await b.submit(market('buy', 1, 100));
    const sl = await b.submit(stop('sell', 95));
    expect(b.onCandle(bar(0, 100, 101, 96, 99))).toEqual([]);
    expect(await b.openOrders('BTCUSDT')).toEqual([sl]);
    const [fill] = b.onCandle(bar(1, 99, 100, 94, 96));
    // 95 × (1 − 0.001) = 94.905 → 94.9
    expect(fill).toMatchObject({ client_id: sl.client_id, status: 'filled', fill_price: 94.9, filled_quantity: 1, updated_at: T + 2 * H });
    expect(fill!.reason).toBe('stop-market at 95 triggered inside the bar; filled at the trigger with 0.1% adverse slippage');
    expect(await b.positions()).toEqual([]);
  });

  it('fill a short’s stop above the price, slipped upwards', async () => {
    const b = venue();
    await b.submit(market('sell', 1, 100));
    const sl = await b.submit(stop('buy', 105));
    // 105 × 1.001 = 105.105 → 105.1
    expect(fills(b.onCandle(bar(0, 100, 106, 99, 104)))).toEqual([[sl.client_id, 1, 105.1]]);
  });

  it('fill at the open, the worse price, when the bar gapped through the trigger (long and short)', async () => {
    const long = venue();
    await long.submit(market('buy', 1, 100));
    await long.submit(stop('sell', 95));
    const [longFill] = long.onCandle(bar(0, 90, 92, 88, 91));
    // 90 × 0.999 = 89.91 → 89.9, not 95 less slippage
    expect(longFill!.fill_price).toBe(89.9);
    expect(longFill!.reason).toBe('stop-market at 95: the bar opened beyond it at 90; filled at the open with 0.1% adverse slippage (a gap fills at the worse price)');

    const short = venue();
    await short.submit(market('sell', 1, 100));
    await short.submit(stop('buy', 105));
    // 110 × 1.001 = 110.11 → 110.1
    expect(short.onCandle(bar(0, 110, 112, 108, 111))[0]!.fill_price).toBe(110.1);
  });

  it('reduce the position by a stop smaller than it, leaving the rest and its take-profit in place', async () => {
    const b = venue();
    await b.submit(market('buy', 1));
    await b.submit(stop('sell', 95, 0.4));
    const tp = await b.submit(takeProfit('sell', 110));
    expect(fills(b.onCandle(bar(0, 100, 101, 94, 96)))).toEqual([[expect.any(String), 0.4, 94.9]]);
    expect(await b.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: 0.6, entry_price: 100.1 }]);
    expect(await b.openOrders()).toEqual([tp]);
  });
});

describe('paper broker: take-profits', () => {
  it('fill at the trigger, without favourable slippage, and at the trigger too when the bar opened beyond it', async () => {
    const b = venue();
    await b.submit(market('buy', 2));
    const inside = await b.submit(takeProfit('sell', 104, 1));
    const gapped = await b.submit(takeProfit('sell', 106, 1));
    const [first] = b.onCandle(bar(0, 100, 105, 99, 104));
    expect(first).toMatchObject({ client_id: inside.client_id, fill_price: 104 });
    expect(first!.reason).toBe('take-profit-market at 104 triggered inside the bar; filled at the trigger (no favourable slippage)');
    const [second] = b.onCandle(bar(1, 108, 109, 107, 108));
    expect(second).toMatchObject({ client_id: gapped.client_id, fill_price: 106 });
    expect(second!.reason).toBe('take-profit-market at 106: the bar opened beyond it at 108; filled at the trigger, not at the better open');
  });

  it('take a partial and the full take-profit inside one bar in price order from the open, whatever order they were placed in', async () => {
    const b = venue();
    await b.submit(market('buy', 1, 100));
    const sl = await b.submit(stop('sell', 95));
    const full = await b.submit(takeProfit('sell', 108));
    const partial = await b.submit(takeProfit('sell', 104, 0.5, 'partial-take-profit'));
    // The full take-profit was placed for 1; only the 0.5 the partial left is sold.
    expect(fills(b.onCandle(bar(0, 100, 109, 99, 108)))).toEqual([[partial.client_id, 0.5, 104], [full.client_id, 0.5, 108]]);
    expect(await b.positions()).toEqual([]);
    expect(await b.order(sl.client_id, 'BTCUSDT')).toMatchObject({ status: 'cancelled', reason: 'position closed' });
  });

  it('do the same for a short, whose targets lie below', async () => {
    const b = venue();
    await b.submit(market('sell', 1, 100));
    await b.submit(stop('buy', 105));
    const full = await b.submit(takeProfit('buy', 92));
    const partial = await b.submit(takeProfit('buy', 96, 0.5, 'partial-take-profit'));
    expect(fills(b.onCandle(bar(0, 100, 101, 91, 93)))).toEqual([[partial.client_id, 0.5, 96], [full.client_id, 0.5, 92]]);
    expect(await b.positions()).toEqual([]);
  });

  it('leave the rest of the position open after a partial take-profit, for the full take-profit of a later bar', async () => {
    const b = venue();
    await b.submit(market('buy', 1, 100));
    await b.submit(stop('sell', 95));
    const partial = await b.submit(takeProfit('sell', 104, 0.5, 'partial-take-profit'));
    const full = await b.submit(takeProfit('sell', 108));
    expect(fills(b.onCandle(bar(0, 100, 105, 99, 104)))).toEqual([[partial.client_id, 0.5, 104]]);
    expect(await b.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: 0.5, entry_price: 100.1 }]);
    expect(fills(b.onCandle(bar(1, 104, 109, 103, 108)))).toEqual([[full.client_id, 0.5, 108]]);
    expect(await b.openOrders()).toEqual([]);
  });
});

describe('paper broker: a bar that reaches both the stop and the take-profit', () => {
  it('assumes the stop came first (the conservative reading), says so, and cancels the take-profit with the position', async () => {
    const long = venue();
    await long.submit(market('buy'));
    const sl = await long.submit(stop('sell', 95));
    const tp = await long.submit(takeProfit('sell', 110));
    const filled = long.onCandle(bar(0, 100, 111, 94, 105));
    expect(filled.map((o) => o.client_id)).toEqual([sl.client_id]);
    expect(filled[0]!.reason).toMatch(/the take-profit at 110 was also inside the bar and the stop is assumed to have come first/);
    expect(await long.order(tp.client_id, 'BTCUSDT')).toMatchObject({ status: 'cancelled', reason: 'position closed' });
  });

  it('does the same for a short, whose stop is above', async () => {
    const short = venue();
    await short.submit(market('sell'));
    const sl = await short.submit(stop('buy', 105));
    const partial = await short.submit(takeProfit('buy', 95, 0.5, 'partial-take-profit'));
    await short.submit(takeProfit('buy', 90));
    const filled = short.onCandle(bar(0, 100, 106, 89, 95));
    expect(filled.map((o) => o.client_id)).toEqual([sl.client_id]);
    expect(filled[0]!.reason).toMatch(/the take-profit at 95, 90 was also inside the bar/);
    expect(await short.order(partial.client_id, 'BTCUSDT')).toMatchObject({ status: 'cancelled', reason: 'position closed' });
  });
});

describe('paper broker: when a position goes flat', () => {
  it('cancels its remaining reduce-only orders with the reason "position closed", and keeps orders that open', async () => {
    const b = venue();
    await b.submit(market('buy'));
    const sl = await b.submit(stop('sell', 95));
    const tp = await b.submit(takeProfit('sell', 110));
    const breakout = await b.submit(request({ type: 'stop-market', trigger_price: 120, quantity: 0.5, expected_price: 120, purpose: 'entry' }));
    await b.submit(exit('sell', 1));
    for (const id of [sl.client_id, tp.client_id]) expect(await b.order(id, 'BTCUSDT')).toMatchObject({ status: 'cancelled', reason: 'position closed' });
    expect(await b.openOrders()).toEqual([breakout]);
  });

  it('cancels the old side’s protective orders when an order flips the position', async () => {
    const b = venue();
    await b.submit(market('buy', 1));
    const sl = await b.submit(stop('sell', 95));
    await b.submit(market('sell', 3));
    expect(await b.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: -2, entry_price: 99.9 }]);
    expect(await b.order(sl.client_id, 'BTCUSDT')).toMatchObject({ status: 'cancelled', reason: 'position closed' });
  });
});

describe('paper broker: resting entries', () => {
  it('open a position when a flat symbol’s stop entry triggers', async () => {
    const b = venue();
    const breakout = await b.submit(request({ type: 'stop-market', trigger_price: 105, expected_price: 105 }));
    expect(fills(b.onCandle(bar(0, 100, 106, 99, 105)))).toEqual([[breakout.client_id, 1, 105.1]]);
    expect(await b.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: 1, entry_price: 105.1 }]);
  });

  it('are cancelled instead of filled when the margin is gone by the time they trigger', async () => {
    const b = venue();
    const breakout = await b.submit(request({ type: 'stop-market', trigger_price: 105, quantity: 900, expected_price: 105 }));
    await b.submit(market('buy', 900, 100));
    expect(b.onCandle(bar(0, 100, 106, 99, 105))).toEqual([]);
    expect(await b.order(breakout.client_id, 'BTCUSDT')).toMatchObject({ status: 'cancelled', reason: expect.stringMatching(/^insufficient margin: .* when triggered$/) });
  });
});

describe('paper broker: cancel, bars and listeners', () => {
  it('cancels a resting order once; an unknown, finished or other-symbol order answers undefined', async () => {
    const b = venue();
    await b.submit(market('buy'));
    const sl = await b.submit(stop('sell', 95));
    expect(await b.cancel(sl.client_id, 'ETHUSDT', T + H)).toBeUndefined();
    expect(await b.cancel(sl.client_id, 'BTCUSDT', T + H)).toMatchObject({ status: 'cancelled', updated_at: T + H });
    expect(await b.cancel(sl.client_id, 'BTCUSDT', T + H)).toBeUndefined();
    expect(await b.cancel('nope', 'BTCUSDT', T + H)).toBeUndefined();
    expect(b.onCandle(bar(0, 100, 100, 90, 91))).toEqual([]);
  });

  it('ignores a bar it has already processed, so an order placed after the bar cannot be filled by it', async () => {
    const b = venue();
    await b.submit(market('buy'));
    const first = bar(0, 100, 101, 90, 100);
    b.onCandle(first);
    await b.submit(stop('sell', 95));
    expect(b.onCandle(first)).toEqual([]);
    expect(await b.openOrders()).toHaveLength(1);
  });

  it('refuses a malformed bar with a clear error and changes nothing', async () => {
    const b = venue();
    await b.submit(market('buy'));
    await b.submit(stop('sell', 95));
    const before = JSON.stringify(b.toJSON());
    expect(() => b.onCandle(bar(0, 100, 101, 94, Number.NaN))).toThrow(/needs positive open, high, low and close, got 100, 101, 94, NaN/);
    expect(() => b.onCandle(bar(0, 100, 94, 101, 99))).toThrow(/outside its low-high range/);
    expect(() => b.onCandle(bar(0, 102, 101, 94, 99))).toThrow(/outside its low-high range/);
    expect(() => b.onCandle({ ...bar(0, 100, 101, 94, 99), closeTime: Number.NaN })).toThrow(/no valid close time/);
    expect(JSON.stringify(b.toJSON())).toBe(before);
  });

  it('tells the listener of each fill in order, once the bar is booked, with the expected price and the realised PnL', async () => {
    const { broker, heard } = listenedVenue();
    await broker.submit(market('buy', 1, 100));
    await broker.submit(takeProfit('sell', 104, 0.5, 'partial-take-profit'));
    await broker.submit(takeProfit('sell', 108));
    const filled = broker.onCandle(bar(0, 100, 109, 99, 108));
    expect(heard.slice(1).map((f) => f.order)).toEqual(filled);
    // (104 − 100.1) × 0.5 = 1.95; (108 − 100.1) × 0.5 = 3.95
    expect(heard.slice(1).map((f) => [f.expected_price, f.realized_pnl])).toEqual([[104, expect.closeTo(1.95, 9)], [108, expect.closeTo(3.95, 9)]]);
  });

  it('marks the symbol at each bar’s close for unrealised PnL', async () => {
    const b = venue();
    await b.submit(market('sell', 2, 100)); // short 2 at 99.9
    b.onCandle(bar(0, 100, 101, 97, 98));
    expect(b.unrealizedPnl()).toBeCloseTo((99.9 - 98) * 2, 9);
    expect(b.equity()).toBeCloseTo((await b.balance()) + 3.8, 9);
  });
});
