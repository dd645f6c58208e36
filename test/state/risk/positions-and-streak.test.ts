import { describe, expect, it } from 'vitest';
import { at, equity, feed, positions, trade, track } from './events.js';

const T = at('2024-03-04 09:00');

describe('open positions and exposure', () => {
  it('counts the positions of the last snapshot and relates their notional to current equity', () => {
    const tracker = track([equity(T, 10_000), positions(T + 1, ['BTCUSDT', 3_000], ['ETHUSDT', 1_000])]);
    expect(tracker.snapshot().risk).toMatchObject({ open_positions: 2, exposure_pct: 0.4 });
  });

  it('replaces the positions with each snapshot: an empty one means flat', () => {
    const tracker = track([equity(T, 10_000), positions(T + 1, ['BTCUSDT', 3_000]), positions(T + 2, ['ETHUSDT', 500])]);
    expect(tracker.snapshot().risk).toMatchObject({ open_positions: 1, exposure_pct: 0.05 });
    feed(tracker, [positions(T + 3)]);
    expect(tracker.snapshot().risk).toMatchObject({ open_positions: 0, exposure_pct: 0 });
  });

  it('re-reads exposure against every new equity mark', () => {
    const tracker = track([equity(T, 10_000), positions(T + 1, ['BTCUSDT', 4_000]), equity(T + 2, 8_000)]);
    expect(tracker.snapshot().risk.exposure_pct).toBe(0.5);
  });

  it('is 0 while equity is unknown (nothing to relate the notional to), though the positions count', () => {
    const tracker = track([positions(T, ['BTCUSDT', 4_000])]);
    expect(tracker.snapshot().risk).toMatchObject({ open_positions: 1, exposure_pct: 0 });
  });
});

describe('losing streak', () => {
  const results = (pnls: number[]) => track(pnls.map((pnl, i) => trade(T + i, 'BTCUSDT', pnl))).snapshot().risk.losing_streak;

  it('counts consecutive losing trades, across symbols', () => {
    expect(results([-5, -3, -1])).toBe(3);
    const tracker = track([trade(T, 'BTCUSDT', -1), trade(T + 1, 'ETHUSDT', -2)]);
    expect(tracker.snapshot().risk.losing_streak).toBe(2);
  });

  it('is reset to 0 by a win', () => {
    expect(results([-5, -3, 2])).toBe(0);
    expect(results([-5, -3, 2, -1])).toBe(1);
  });

  it('is neither extended nor reset by a breakeven trade', () => {
    expect(results([-5, -3, 0])).toBe(2);
    expect(results([-5, 0, -3])).toBe(2);
    expect(results([0, 0])).toBe(0);
  });

  it('survives the day change: a streak is about trades, not days', () => {
    const tracker = track([trade(at('2024-03-04 23:00'), 'BTCUSDT', -1), trade(at('2024-03-05 01:00'), 'BTCUSDT', -1)]);
    expect(tracker.snapshot().risk.losing_streak).toBe(2);
  });
});
