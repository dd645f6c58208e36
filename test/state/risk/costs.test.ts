import { describe, expect, it } from 'vitest';
import { at, fill, quote, trade, track } from './events.js';

const T = at('2024-03-04 09:00');

describe('spread', () => {
  it('is the mean of (ask - bid) / mid over the recent quotes of the symbol', () => {
    const tracker = track([quote(T, 'BTCUSDT', 99.95, 100.05), quote(T + 1, 'BTCUSDT', 199.9, 200.1), quote(T + 2, 'ETHUSDT', 10, 10)]);
    expect(tracker.snapshot().symbols.BTCUSDT!.spread_pct).toBeCloseTo(0.001, 12);
    expect(tracker.snapshot().symbols.ETHUSDT!.spread_pct).toBe(0);
  });

  it('forgets quotes older than the last cost_window', () => {
    const wide = quote(T, 'BTCUSDT', 99, 101);
    const tight = (i: number) => quote(T + i, 'BTCUSDT', 99.99, 100.01);
    const tracker = track([wide, tight(1), tight(2), tight(3)], { cost_window: 3 });
    expect(tracker.snapshot().symbols.BTCUSDT!.spread_pct).toBeCloseTo(0.0002, 12);
  });

  it('is absent until the first quote: an unknown cost is not a zero cost', () => {
    const tracker = track([trade(T, 'BTCUSDT', 1, 1)]);
    expect(tracker.snapshot().symbols.BTCUSDT).not.toHaveProperty('spread_pct');
    expect(tracker.snapshot().symbols.BTCUSDT).not.toHaveProperty('slippage_pct');
  });
});

describe('slippage', () => {
  it('is the adverse move from the expected price as a fraction of it: higher for a buy, lower for a sell', () => {
    const buy = track([fill(T, 'BTCUSDT', 'buy', 100, 100.2)]);
    expect(buy.snapshot().symbols.BTCUSDT!.slippage_pct).toBeCloseTo(0.002, 12);
    const sell = track([fill(T, 'BTCUSDT', 'sell', 100, 99.9)]);
    expect(sell.snapshot().symbols.BTCUSDT!.slippage_pct).toBeCloseTo(0.001, 12);
  });

  it('counts a favourable fill as 0, so lucky fills cannot hide unlucky ones', () => {
    const tracker = track([fill(T, 'BTCUSDT', 'buy', 100, 100.4), fill(T + 1, 'BTCUSDT', 'buy', 100, 99.6), fill(T + 2, 'BTCUSDT', 'sell', 100, 100.4)]);
    expect(tracker.snapshot().symbols.BTCUSDT!.slippage_pct).toBeCloseTo(0.004 / 3, 12);
  });

  it('averages over the last cost_window fills of the symbol', () => {
    const tracker = track(
      [fill(T, 'BTCUSDT', 'buy', 100, 101), fill(T + 1, 'BTCUSDT', 'buy', 100, 100.1), fill(T + 2, 'BTCUSDT', 'sell', 100, 99.7)],
      { cost_window: 2 },
    );
    expect(tracker.snapshot().symbols.BTCUSDT!.slippage_pct).toBeCloseTo(0.002, 12);
  });
});
