import { describe, expect, it } from 'vitest';
import { at, fill, positions, quote, trade, track } from './events.js';

const T = at('2024-03-04 09:00');

describe('per-symbol performance', () => {
  it('gives trades, win rate, average R and summed PnL of the closed trades', () => {
    const tracker = track([
      trade(T, 'BTCUSDT', 200, 2),
      trade(T + 1, 'BTCUSDT', -100, -1),
      trade(T + 2, 'BTCUSDT', 50, 0.5),
      trade(T + 3, 'BTCUSDT', -100, -1),
      trade(T + 4, 'ETHUSDT', 30, 0.3),
    ]);
    expect(tracker.snapshot().symbols).toEqual({
      BTCUSDT: { trades: 4, win_rate: 0.5, avg_r: 0.125, pnl: 50 },
      ETHUSDT: { trades: 1, win_rate: 1, avg_r: 0.3, pnl: 30 },
    });
  });

  it('counts a breakeven trade as a trade but not a win', () => {
    const tracker = track([trade(T, 'BTCUSDT', 10, 1), trade(T + 1, 'BTCUSDT', 0, 0)]);
    expect(tracker.snapshot().symbols.BTCUSDT).toMatchObject({ trades: 2, win_rate: 0.5, avg_r: 0.5 });
  });

  it('with performance_window N, judges only the last N trades of each symbol', () => {
    const tracker = track(
      [
        trade(T, 'BTCUSDT', -100, -1),
        trade(T + 1, 'BTCUSDT', -100, -1),
        trade(T + 2, 'BTCUSDT', 300, 3),
        trade(T + 3, 'BTCUSDT', 100, 1),
        trade(T + 4, 'BTCUSDT', -50, -0.5),
        trade(T + 5, 'ETHUSDT', -10, -1),
      ],
      { performance_window: 3 },
    );
    expect(tracker.snapshot().symbols).toEqual({
      BTCUSDT: { trades: 3, win_rate: 2 / 3, avg_r: 3.5 / 3, pnl: 350 },
      ETHUSDT: { trades: 1, win_rate: 0, avg_r: -1, pnl: -10 },
    });
  });

  it('lists only symbols with a closed trade, quote or fill; an open position alone does not add one', () => {
    const tracker = track([positions(T, ['SOLUSDT', 1_000]), quote(T + 1, 'BTCUSDT', 100, 100.1), fill(T + 2, 'ETHUSDT', 'buy', 10, 10)]);
    expect(Object.keys(tracker.snapshot().symbols).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
  });

  it('reports a symbol without trades as 0 trades, 0 win rate, 0 R and 0 PnL (rules gate on `trades`)', () => {
    const tracker = track([quote(T, 'BTCUSDT', 100, 100.1)]);
    expect(tracker.snapshot().symbols.BTCUSDT).toMatchObject({ trades: 0, win_rate: 0, avg_r: 0, pnl: 0 });
  });
});
