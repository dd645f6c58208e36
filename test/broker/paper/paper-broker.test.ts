import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderRejected, type OrderRequest } from '../../../src/broker/broker.js';
import { PaperBroker, paperBrokerSettings } from '../../../src/broker/paper/index.js';
import type { Candle } from '../../../src/market/candle.js';

const T = Date.parse('2024-01-01T00:00:00Z');
const H = 3_600_000;
const RULES = { step_size: 0.001, tick_size: 0.1, min_quantity: 0.001, min_notional: 5 };

const broker = (overrides = {}) => new PaperBroker({ initial_balance: 10_000, taker_fee_rate: 0.001, slippage_pct: 0.001, leverage: 10, market_rules: RULES, ...overrides });
const bar = (i: number, open: number, high: number, low: number, close: number): Candle => ({ symbol: 'BTCUSDT', openTime: T + i * H, closeTime: T + (i + 1) * H, open, high, low, close, volume: 1 });

let sequence = 0;
const request = (r: Partial<OrderRequest>): OrderRequest => ({
  client_id: `o${sequence++}`, symbol: 'BTCUSDT', side: 'buy', type: 'market', purpose: 'entry', quantity: 1, reduce_only: false, position_id: 'p1', expected_price: 100, time: T, ...r,
});
const entry = (side: 'buy' | 'sell' = 'buy', quantity = 1, price = 100) => request({ side, quantity, expected_price: price });
const stop = (side: 'buy' | 'sell', trigger: number, quantity = 1) => request({ side, type: 'stop-market', purpose: 'stop-loss', trigger_price: trigger, quantity, reduce_only: true });
const takeProfit = (side: 'buy' | 'sell', trigger: number, quantity = 1, purpose: OrderRequest['purpose'] = 'take-profit') =>
  request({ side, type: 'take-profit-market', purpose, trigger_price: trigger, quantity, reduce_only: true });

describe('paper broker: market orders', () => {
  it('fill at the expected price moved against the order by the slippage, and charge the taker fee', async () => {
    const b = broker();
    const buy = await b.submit(entry('buy', 2, 100));
    expect(buy).toMatchObject({ status: 'filled', fill_price: 100.1, filled_quantity: 2 });
    expect(buy.fee).toBeCloseTo(2 * 100.1 * 0.001, 12);
    const sell = await b.submit(request({ side: 'sell', quantity: 2, expected_price: 110, reduce_only: true, purpose: 'exit' }));
    expect(sell.fill_price).toBe(109.9);
    // realised (109.9 - 100.1) x 2 = 19.6, fees 0.2002 + 0.2198
    expect(await b.balance()).toBeCloseTo(10_000 + 19.6 - 0.2002 - 0.2198, 9);
    expect(await b.positions()).toEqual([]);
  });

  it('answer a repeated client id with the same order, never a second fill', async () => {
    const b = broker();
    const req = entry();
    const first = await b.submit(req);
    expect(await b.submit(req)).toEqual(first);
    expect(await b.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: 1, entry_price: 100.1 }]);
  });

  it.each([
    ['a quantity off the step size', { quantity: 0.0015 }, /not a multiple of the step size/],
    ['a quantity under the minimum', { quantity: 0.0001 }, /not a multiple|under the minimum/],
    ['a notional under the minimum', { quantity: 0.001, expected_price: 100 }, /notional 0\.10 is under the minimum 5/],
    ['more margin than the equity', { quantity: 1100, expected_price: 100 }, /insufficient margin/],
    ['a reduce-only order with nothing to reduce', { reduce_only: true, side: 'sell' as const }, /would not reduce/],
    ['a stop without trigger price', { type: 'stop-market' as const, reduce_only: true }, /needs a positive trigger price/],
  ])('reject %s, and keep answering the same rejection', async (_label, overrides, reason) => {
    const b = broker();
    const req = request(overrides);
    await expect(b.submit(req)).rejects.toThrow(reason);
    await expect(b.submit(req)).rejects.toBeInstanceOf(OrderRejected);
    expect((await b.order(req.client_id, 'BTCUSDT'))?.status).toBe('rejected');
    expect(await b.balance()).toBe(10_000);
  });
});

describe('paper broker: resting orders against candles', () => {
  it('trigger a long’s stop inside the bar, with slippage on the stop fill', async () => {
    const b = broker();
    await b.submit(entry('buy', 1, 100));
    const sl = await b.submit(stop('sell', 95));
    expect(b.onCandle(bar(0, 100, 101, 96, 99))).toEqual([]);
    const [fill] = b.onCandle(bar(1, 99, 100, 94, 96));
    expect(fill).toMatchObject({ client_id: sl.client_id, status: 'filled', fill_price: 94.9, filled_quantity: 1 });
    expect(await b.positions()).toEqual([]);
  });

  it('fill a stop the bar gapped through at the open, not at the trigger', async () => {
    const b = broker();
    await b.submit(entry('buy', 1, 100));
    await b.submit(stop('sell', 95));
    const [fill] = b.onCandle(bar(0, 90, 92, 88, 91));
    expect(fill!.fill_price).toBe(89.9);
    expect(fill!.reason).toMatch(/opened beyond it, filled at the open/);
  });

  it('assume the stop came first when a bar reaches both the stop and the take-profit (long and short)', async () => {
    const long = broker();
    await long.submit(entry('buy'));
    const sl = await long.submit(stop('sell', 95));
    const tp = await long.submit(takeProfit('sell', 110));
    const filled = long.onCandle(bar(0, 100, 111, 94, 105));
    expect(filled.map((o) => o.client_id)).toEqual([sl.client_id]);
    expect((await long.order(tp.client_id, 'BTCUSDT'))).toMatchObject({ status: 'cancelled', reason: 'position closed' });

    const short = broker();
    await short.submit(entry('sell'));
    const shortStop = await short.submit(stop('buy', 105));
    await short.submit(takeProfit('buy', 90));
    expect(short.onCandle(bar(0, 100, 106, 89, 95)).map((o) => o.client_id)).toEqual([shortStop.client_id]);
  });

  it('take a partial profit and then the full one in price order, the partial fill leaving the rest open', async () => {
    const b = broker();
    await b.submit(entry('buy', 1, 100));
    await b.submit(stop('sell', 95));
    const partial = await b.submit(takeProfit('sell', 104, 0.5, 'partial-take-profit'));
    const full = await b.submit(takeProfit('sell', 108));
    const first = b.onCandle(bar(0, 100, 105, 99, 104));
    expect(first.map((o) => [o.client_id, o.filled_quantity, o.fill_price])).toEqual([[partial.client_id, 0.5, 104]]);
    expect(await b.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: 0.5, entry_price: 100.1 }]);
    const second = b.onCandle(bar(1, 104, 109, 103, 108));
    // The resting full take-profit was for 1; only the 0.5 still open is sold.
    expect(second.map((o) => [o.client_id, o.filled_quantity])).toEqual([[full.client_id, 0.5]]);
    expect(await b.openOrders()).toEqual([]);
  });

  it('cancel a resting order once, and report nothing for an unknown or finished one', async () => {
    const b = broker();
    await b.submit(entry());
    const sl = await b.submit(stop('sell', 95));
    expect(await b.cancel(sl.client_id, 'BTCUSDT', T + H)).toMatchObject({ status: 'cancelled' });
    expect(await b.cancel(sl.client_id, 'BTCUSDT', T + H)).toBeUndefined();
    expect(await b.cancel('nope', 'BTCUSDT', T + H)).toBeUndefined();
    expect(b.onCandle(bar(0, 100, 100, 90, 91))).toEqual([]);
  });

  it('mark equity to the last close', async () => {
    const b = broker();
    await b.submit(entry('sell', 2, 100)); // short 2 at 99.9
    b.onCandle(bar(0, 100, 101, 97, 98));
    expect(b.equity()).toBeCloseTo((await b.balance()) + (99.9 - 98) * 2, 9);
  });

  it('continue identically after a snapshot and restore', async () => {
    const original = broker();
    await original.submit(entry('buy', 1, 100));
    await original.submit(stop('sell', 95));
    await original.submit(takeProfit('sell', 104, 0.5, 'partial-take-profit'));
    original.onCandle(bar(0, 100, 105, 99, 104));
    const copy = PaperBroker.restore(JSON.parse(JSON.stringify(original.toJSON())), original.settings);
    const later = bar(1, 103, 103, 94, 95);
    expect(copy.onCandle(later)).toEqual(original.onCandle(later));
    expect(await copy.balance()).toBe(await original.balance());
    expect(() => PaperBroker.restore({ format: 'other' })).toThrow(/expected format quantum-trader\/paper-broker@1/);
  });

  it('refuse unknown or out-of-range settings, naming the field', () => {
    expect(() => paperBrokerSettings({ fees: 1 } as never)).toThrow("unknown setting 'fees'");
    expect(() => paperBrokerSettings({ slippage_pct: -1 })).toThrow('slippage_pct must be a fraction from 0 to 0.05');
    expect(() => paperBrokerSettings({ symbol_rules: { BTCUSDT: { tick: 1 } as never } })).toThrow('symbol_rules.BTCUSDT.tick is not a market rule');
  });
});

describe('paper broker: accounting property', () => {
  it('equity − initial = realised PnL − fees + unrealised PnL, over random bars and orders', async () => {
    const step = fc.record({ move: fc.double({ min: -0.05, max: 0.05, noNaN: true }), range: fc.double({ min: 0, max: 0.04, noNaN: true }), action: fc.constantFrom('none', 'long', 'short', 'close', 'protect') });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const b = broker({ leverage: 20 });
        let price = 100;
        let realized = 0;
        let fees = 0;
        const track = (o: { fill_price?: number; filled_quantity?: number; fee?: number; side: string }, position: { quantity: number; entry_price: number } | undefined) => {
          fees += o.fee ?? 0;
          if (position && Math.sign(position.quantity) !== (o.side === 'buy' ? 1 : -1)) realized += (o.fill_price! - position.entry_price) * Math.min(o.filled_quantity!, Math.abs(position.quantity)) * Math.sign(position.quantity);
        };
        for (const [i, s] of steps.entries()) {
          const [position] = await b.positions();
          try {
            if (s.action === 'long' || s.action === 'short') track(await b.submit(entry(s.action === 'long' ? 'buy' : 'sell', 1, price)), position);
            if (s.action === 'close' && position) track(await b.submit(request({ side: position.quantity > 0 ? 'sell' : 'buy', quantity: Math.abs(position.quantity), reduce_only: true, expected_price: price })), position);
            if (s.action === 'protect' && position) {
              const side = position.quantity > 0 ? 'sell' : 'buy';
              await b.submit(stop(side, Number((price * (position.quantity > 0 ? 0.98 : 1.02)).toFixed(1)), Math.abs(position.quantity)));
              await b.submit(takeProfit(side, Number((price * (position.quantity > 0 ? 1.02 : 0.98)).toFixed(1)), Math.abs(position.quantity)));
            }
          } catch (error) {
            if (!(error instanceof OrderRejected)) throw error;
          }
          const open = price;
          const close = Math.max(1, open * (1 + s.move));
          const high = Math.max(open, close) * (1 + s.range);
          const low = Math.min(open, close) * (1 - s.range);
          const [before] = await b.positions();
          // Resting orders only reduce: the position before each fill is the one before the bar minus earlier fills.
          let held = before === undefined ? undefined : { ...before };
          for (const fill of b.onCandle(bar(i, open, high, low, close))) {
            track(fill, held);
            if (held !== undefined) held = { ...held, quantity: held.quantity + (fill.side === 'buy' ? 1 : -1) * fill.filled_quantity! };
          }
          price = close;
          const [now] = await b.positions();
          const unrealized = now ? (price - now.entry_price) * now.quantity : 0;
          expect(b.equity() - 10_000).toBeCloseTo(realized - fees + unrealized, 6);
          expect(Number.isFinite(b.equity())).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});
