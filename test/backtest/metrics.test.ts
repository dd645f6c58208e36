import { describe, expect, it } from 'vitest';
import type { ClosedTrade } from '../../src/broker/model.js';
import { drawdownReduction, runMetrics, type ControlSample } from '../../src/backtest/metrics.js';

const H = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

const trade = (pnl: number, r: number): ClosedTrade => ({
  position_id: `p${pnl}`, symbol: 'BTCUSDT', side: 'long', quantity: 1, entry_price: 100, exit_price: 100 + pnl, opened_at: T0, closed_at: T0 + H,
  pnl, fees: 1, r_multiple: r, exit_reason: pnl > 0 ? 'take-profit' : 'stop-loss', exit_mode: 'FAST_TP',
});
const control = (hour: number, gate_open: boolean, exit_mode = 'FAST_TP', stance = 'SAFE'): ControlSample => ({ time: T0 + hour * H, gate_open, exit_mode, stance });

describe('backtest metrics', () => {
  it('measure return, drawdowns from the peak and within each trading day', () => {
    // Day 1: 1000 → 1100 → 990 (10% below the peak, 1% below the day's start). Day 2 starts at 990: → 950 (-4.04%).
    const equity = [
      { time: T0 + 1 * H, equity: 1100 },
      { time: T0 + 12 * H, equity: 990 },
      { time: T0 + 25 * H, equity: 950 },
      { time: T0 + 30 * H, equity: 1045 },
    ];
    const m = runMetrics(equity, [], [], { initialEquity: 1000 });
    expect(m.total_return).toBeCloseTo(0.045, 12);
    expect(m.max_drawdown).toBeCloseTo(950 / 1100 - 1, 12);
    expect(m.worst_daily_drawdown).toBeCloseTo(950 / 990 - 1, 12);
  });

  it('cut trading days at the configured hour', () => {
    // With days starting 08:00 UTC the 07:00 low belongs to the day that started at 1000.
    const equity = [{ time: T0 + 7 * H, equity: 900 }, { time: T0 + 9 * H, equity: 880 }];
    expect(runMetrics(equity, [], [], { initialEquity: 1000, dayStartHourUtc: 8 }).worst_daily_drawdown).toBeCloseTo(-0.1, 12);
    expect(runMetrics(equity, [], [], { initialEquity: 1000 }).worst_daily_drawdown).toBeCloseTo(-0.12, 12);
  });

  it('annualise Sharpe and Sortino from daily returns, and give null when undefined', () => {
    const equity = [0, 1, 2, 3].map((d) => ({ time: T0 + d * 24 * H + H, equity: [1010, 1000, 1020, 1030][d]! }));
    const m = runMetrics(equity, [], [], { initialEquity: 1000 });
    const r = [0.01, 1000 / 1010 - 1, 0.02, 1030 / 1020 - 1];
    const mean = r.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / 3);
    const down = Math.sqrt(r.reduce((a, x) => a + Math.min(0, x) ** 2, 0) / 4);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(365), 9);
    expect(m.sortino).toBeCloseTo((mean / down) * Math.sqrt(365), 9);
    expect(runMetrics([{ time: T0 + H, equity: 1000 }], [], [], { initialEquity: 1000 }).sharpe).toBeNull();
  });

  it('count trades, win rate and average R', () => {
    const m = runMetrics([], [trade(30, 1.5), trade(-10, -1), trade(20, 1)], [], { initialEquity: 1000 });
    expect(m).toMatchObject({ trades: 3, net_pnl: 40, fees: 3, longest_losing_streak: 1 });
    expect(m.win_rate).toBeCloseTo(2 / 3, 12);
    expect(m.avg_r).toBeCloseTo(0.5, 12);
    expect(runMetrics([], [], [], { initialEquity: 1000 })).toMatchObject({ trades: 0, win_rate: null, avg_r: null });
  });

  it('measure the longest losing streak in closing order, a win ending it and breakeven leaving it alone', () => {
    const at = (pnl: number, hour: number) => ({ ...trade(pnl, Math.sign(pnl)), position_id: `p${hour}`, closed_at: T0 + hour * H });
    const trades = [at(-5, 1), at(-5, 2), at(0, 3), at(-5, 4), at(10, 5), at(-5, 6), at(-5, 7)];
    expect(runMetrics([], trades.reverse(), [], { initialEquity: 1000 }).longest_losing_streak).toBe(3);
  });

  it('count shutdowns, the time the gate was closed and the share of each exit mode and stance', () => {
    const controls = [
      control(0, true, 'TREND_FOLLOW', 'MODERATE'),
      control(1, false, 'DEFENSIVE_TRAIL', 'NO_NEW_TRADES'),
      control(2, false, 'DEFENSIVE_TRAIL', 'NO_NEW_TRADES'),
      control(3, true),
      control(4, false, 'FAST_TP', 'NO_NEW_TRADES'),
    ];
    const m = runMetrics([], [], controls, { initialEquity: 1000 });
    expect(m.shutdown_events).toBe(2);
    expect(m.gate_closed_share).toBeCloseTo(3 / 5, 12);
    expect(m.gate_closed_hours).toBe(2);
    expect(m.exit_mode_share).toEqual({ DEFENSIVE_TRAIL: 0.4, FAST_TP: 0.4, TREND_FOLLOW: 0.2 });
    expect(m.stance_share).toEqual({ MODERATE: 0.2, NO_NEW_TRADES: 0.6, SAFE: 0.2 });
  });

  it('express the design’s headline ratios as the share of the baseline’s drawdown avoided', () => {
    const on = runMetrics([{ time: T0 + H, equity: 920 }], [], [], { initialEquity: 1000 });
    const off = runMetrics([{ time: T0 + H, equity: 900 }], [], [], { initialEquity: 1000 });
    expect(drawdownReduction(on, off).max_dd).toBeCloseTo(0.2, 12);
    expect(drawdownReduction(on, off).daily_dd).toBeCloseTo(0.2, 12);
    expect(drawdownReduction(off, runMetrics([], [], [], { initialEquity: 1000 }))).toEqual({ daily_dd: null, max_dd: null });
  });
});
