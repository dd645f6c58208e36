import { describe, expect, it } from 'vitest';
import { bar, exit, market, stop, venue } from './venue.js';

describe('paper broker: balance and equity', () => {
  it('keep cash as initial + realised − fees, and equity as cash + unrealised at the last mark (long, worked by hand)', async () => {
    const b = venue();
    await b.submit(market('buy', 1, 100)); // 1 at 100.1, fee 0.1001
    await b.submit(market('buy', 1, 110)); // 110 × 1.001 = 110.11 → 110.1, fee 0.1101
    // average entry (100.1 + 110.1) / 2 = 105.1
    expect(await b.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: 2, entry_price: expect.closeTo(105.1, 9) }]);
    expect(await b.balance()).toBeCloseTo(10_000 - 0.1001 - 0.1101, 9); // 9 999.7898

    b.onCandle(bar(0, 110, 121, 109, 120));
    // unrealised (120 − 105.1) × 2 = 29.8
    expect(b.unrealizedPnl()).toBeCloseTo(29.8, 9);
    expect(b.equity()).toBeCloseTo(9_999.7898 + 29.8, 9);

    await b.submit(exit('sell', 0.5, 120)); // 120 × 0.999 = 119.88 → 119.9, fee 0.05995, realised (119.9 − 105.1) × 0.5 = 7.4
    expect(await b.balance()).toBeCloseTo(9_999.7898 + 7.4 - 0.05995, 9); // 10 007.12985
    expect(await b.positions()).toEqual([{ symbol: 'BTCUSDT', quantity: 1.5, entry_price: expect.closeTo(105.1, 9) }]);
    // still marked at 120: (120 − 105.1) × 1.5 = 22.35
    expect(b.equity()).toBeCloseTo(10_007.12985 + 22.35, 9);
  });

  it('do the same for a short, whose PnL rises as the price falls', async () => {
    const b = venue();
    await b.submit(market('sell', 2, 100)); // 2 at 99.9, fee 0.1998
    await b.submit(stop('buy', 105, 2));
    b.onCandle(bar(0, 100, 101, 89, 90));
    // unrealised (99.9 − 90) × 2 = 19.8
    expect(b.equity()).toBeCloseTo(10_000 - 0.1998 + 19.8, 9);
    const [fill] = b.onCandle(bar(1, 90, 106, 89, 104));
    // stopped at 105 × 1.001 = 105.105 → 105.1: realised (99.9 − 105.1) × 2 = −10.4, fee 2 × 105.1 × 0.001 = 0.2102
    expect(fill!.fill_price).toBe(105.1);
    expect(await b.balance()).toBeCloseTo(10_000 - 0.1998 - 10.4 - 0.2102, 9); // 9 989.19
    expect(b.equity()).toBe(await b.balance());
  });

  it('sum positions of several symbols, each at its own mark', async () => {
    const b = venue();
    await b.submit(market('buy', 1, 100));
    await b.submit({ ...market('sell', 10, 60), symbol: 'ETHUSDT' }); // 10 short at 60 × 0.999 = 59.94 → 59.9
    // Each is marked at the expected price of its first order: BTC (100 − 100.1) × 1, ETH (60 − 59.9) × −10.
    expect(b.unrealizedPnl()).toBeCloseTo(-0.1 - 1, 9);
    b.mark('ETHUSDT', 55);
    expect(b.unrealizedPnl()).toBeCloseTo(-0.1 + 49, 9);
    expect(() => b.mark('ETHUSDT', Number.NaN)).toThrow('mark price of ETHUSDT must be positive, got NaN');
  });
});
