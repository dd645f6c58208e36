import { describe, expect, it } from 'vitest';
import { parseMarketState } from '../../../src/state/index.js';
import { at, equity, feed, fill, positions, quote, trade, track } from './events.js';

const T = at('2024-03-04 09:00');

describe('snapshot', () => {
  it('holds the risk state, the symbols, the trading day, its baseline and the current equity', () => {
    const tracker = track([equity(T, 10_000), positions(T, ['BTCUSDT', 1_000]), trade(T, 'BTCUSDT', -20, -1), equity(T + 1, 9_900)]);
    expect(tracker.snapshot()).toEqual({
      time: T + 1,
      risk: { daily_dd_pct: expect.closeTo(-0.01, 12), open_positions: 1, exposure_pct: 1_000 / 9_900, losing_streak: 1 },
      symbols: { BTCUSDT: { trades: 1, win_rate: 0, avg_r: -1, pnl: -20 } },
      dayStart: at('2024-03-04 00:00'),
      dayStartEquity: 10_000,
      equity: 9_900,
      drawdownLatch: null,
    });
  });

  it('is deeply frozen and never changes after it was handed out', () => {
    const tracker = track([equity(T, 10_000), trade(T, 'BTCUSDT', 5, 1), quote(T, 'BTCUSDT', 100, 100.1)]);
    const first = tracker.snapshot();
    const copy = structuredClone(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.risk) && Object.isFrozen(first.symbols) && Object.isFrozen(first.symbols.BTCUSDT)).toBe(true);
    feed(tracker, [equity(T + 1, 9_000), trade(T + 1, 'BTCUSDT', -5, -1), trade(T + 1, 'ETHUSDT', -5, -1), quote(T + 2, 'BTCUSDT', 100, 101), positions(T + 2, ['BTCUSDT', 1])]);
    expect(first).toEqual(copy);
    expect(tracker.snapshot()).not.toEqual(copy);
  });

  it('is the same object until an event is accepted', () => {
    const tracker = track([equity(T, 10_000)]);
    const first = tracker.snapshot();
    expect(tracker.snapshot()).toBe(first);
    tracker.apply(equity(T + 1, -1));
    expect(tracker.snapshot()).toBe(first);
    feed(tracker, [equity(T + 2, 10_000)]);
    expect(tracker.snapshot()).not.toBe(first);
  });

  it('shares unchanged symbol stats between snapshots instead of rebuilding them', () => {
    const tracker = track([trade(T, 'BTCUSDT', 5, 1), trade(T, 'ETHUSDT', 5, 1)]);
    const before = tracker.snapshot();
    feed(tracker, [trade(T + 1, 'ETHUSDT', -5, -1)]);
    expect(tracker.snapshot().symbols.BTCUSDT).toBe(before.symbols.BTCUSDT);
    expect(tracker.snapshot().symbols.ETHUSDT).not.toBe(before.symbols.ETHUSDT);
  });

  it('gives a risk and symbols part the market-state schema accepts', () => {
    const tracker = track([
      equity(T, 10_000),
      positions(T, ['BTCUSDT', 1_000]),
      trade(T, 'BTCUSDT', -20, -1),
      trade(T, 'ETH-PERP', 0, 0),
      quote(T, 'BTCUSDT', 100, 100.1),
      fill(T, 'SOLUSDT', 'sell', 100, 100.5),
      equity(T + 1, 9_000),
    ]);
    const { risk, symbols, time } = tracker.snapshot();
    expect(() => parseMarketState({ timestamp: time, regime: 'SIDEWAYS', volatility: 'NORMAL', risk, symbols })).not.toThrow();
  });
});
