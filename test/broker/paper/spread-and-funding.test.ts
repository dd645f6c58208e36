import { describe, expect, it } from 'vitest';
import { H, T, bar, market, stop, stored, venue } from './venue.js';
import { PaperBroker } from '../../../src/broker/paper/index.js';

// Cost Metrics (spreads) and funding of perpetual futures on the paper venue; 0.1% slippage throughout.
describe('the spread on the paper venue', () => {
  it('a market order fills half the configured spread plus the slippage away from the close', async () => {
    const broker = venue({ spread_pct: 0.002 });
    expect((await broker.submit(market('buy', 1, 100))).fill_price).toBe(100.2); // 100 x (1 + 0.001 + 0.001)
    expect((await broker.submit(market('sell', 1, 100))).fill_price).toBe(99.8);
    expect(broker.expectedEntryCost('BTCUSDT')).toBeCloseTo(0.002, 12);
  });

  it('a per-symbol spread overrides the default, and a triggered stop pays it too', async () => {
    const broker = venue({ spread_pct: 0.0002, symbol_spread_pct: { BTCUSDT: 0.004 } });
    broker.onCandle(bar(0, 100, 100, 100, 100));
    await broker.submit(market('buy', 1, 100));
    await broker.submit(stop('sell', 95));
    const [filled] = broker.onCandle(bar(1, 100, 100, 94, 96));
    expect(filled!.fill_price).toBe(94.7); // 95 x (1 - 0.001 - 0.002) = 94.715, to the 0.1 tick
  });

  it('quotes the mark +- half the spread, or the data’s own bid and ask when the candles have them', async () => {
    const broker = venue({ spread_pct: 0.002 });
    expect(await broker.quote('BTCUSDT')).toBeUndefined();
    broker.onCandle(bar(0, 100, 100, 100, 100));
    expect(await broker.quote('BTCUSDT')).toEqual({ bid: 99.9, ask: 100.1 });
    broker.onCandle({ ...bar(1, 100, 101, 99, 100), bid: 99.5, ask: 100.5 });
    expect(await broker.quote('BTCUSDT')).toEqual({ bid: 99.5, ask: 100.5 });
    expect((await broker.submit(market('buy', 1, 100))).fill_price).toBe(100.6); // half spread 0.5% + 0.1% slippage
  });

  it('quotes nothing without a spread: an unknown spread is not a zero one', async () => {
    const broker = venue();
    broker.onCandle(bar(0, 100, 100, 100, 100));
    expect(await broker.quote('BTCUSDT')).toBeUndefined();
  });
});

describe('funding on the paper venue', () => {
  const eightHourBars = (broker: PaperBroker, n: number) => {
    for (let i = 0; i < n; i++) broker.onCandle({ ...bar(i, 100, 100, 100, 100), openTime: T + i * 8 * H, closeTime: T + (i + 1) * 8 * H });
  };

  it('charges a long notional x rate at 00:00, 08:00 and 16:00 UTC, and credits a short', async () => {
    const long = venue({ funding: { rate_per_8h: 0.0001 } });
    const short = venue({ funding: { rate_per_8h: 0.0001 } });
    long.onCandle({ ...bar(0, 100, 100, 100, 100), closeTime: T });
    short.onCandle({ ...bar(0, 100, 100, 100, 100), closeTime: T });
    await long.submit(market('buy', 10, 100));
    await short.submit(market('sell', 10, 100));
    const [cashLong, cashShort] = [await long.balance(), await short.balance()];
    for (const b of [long, short]) for (let i = 1; i <= 3; i++) b.onCandle({ ...bar(i, 100, 100, 100, 100), closeTime: T + i * 8 * H });
    // 3 funding times x 10 x 100 x 0.0001 = 0.3
    expect(await long.balance()).toBeCloseTo(cashLong - 0.3, 9);
    expect(await short.balance()).toBeCloseTo(cashShort + 0.3, 9);
    expect(long.funding()).toEqual({ total: expect.closeTo(-0.3, 9), by_symbol: { BTCUSDT: expect.closeTo(-0.3, 9) } });
  });

  it('charges each funding time inside a long bar (a daily bar holds three), and none without a position', () => {
    const broker = venue({ funding: { rate_per_8h: 0.0001 } });
    eightHourBars(broker, 3);
    expect(broker.funding().total).toBe(0);
  });

  it('takes the rate from a funding-rate series where it has one, and survives a restart', async () => {
    const broker = venue({ funding: { rate_per_8h: 0.0001, series: { BTCUSDT: [{ time: T + 8 * H, rate: -0.0005 }] } } });
    broker.onCandle({ ...bar(0, 100, 100, 100, 100), closeTime: T });
    await broker.submit(market('buy', 10, 100));
    broker.onCandle({ ...bar(1, 100, 100, 100, 100), closeTime: T + 8 * H });
    expect(broker.funding().total).toBeCloseTo(0.5, 9); // a negative rate pays longs
    const again = PaperBroker.restore(stored(broker), { ...broker.settings });
    expect(again.funding()).toEqual(broker.funding());
  });
});
