import { describe, expect, it } from 'vitest';
import type { ClosedTrade } from '../../src/broker/model.js';
import { drawdownReduction, runMetrics, tradingDaysPerYear, type ControlSample } from '../../src/backtest/metrics.js';

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

  it('leave the warm-up out of every time share and of the shutdown count (its gate is closed for want of a policy)', () => {
    const warm = (hour: number): ControlSample => ({ ...control(hour, false, 'TREND_FOLLOW', 'SAFE'), warming_up: true });
    const controls = [warm(0), warm(1), warm(2), warm(3), warm(4), warm(5), control(6, true), control(7, false, 'DEFENSIVE_TRAIL', 'NO_NEW_TRADES'), control(8, true), control(9, true)];
    const m = runMetrics([], [], controls, { initialEquity: 1000 });
    expect(m.warm_up_bars).toBe(6);
    expect(m.shutdown_events).toBe(1);
    expect(m.gate_closed_share).toBeCloseTo(1 / 4, 12);
    expect(m.gate_closed_hours).toBe(1);
    expect(m.exit_mode_share).toEqual({ DEFENSIVE_TRAIL: 0.25, FAST_TP: 0.75 });
    expect(m.stance_share).toEqual({ NO_NEW_TRADES: 0.25, SAFE: 0.75 });
  });

  it('show the share of time each symbol was blocked', () => {
    const controls = [0, 1, 2, 3].map((h) => ({ ...control(h, true), blocked_symbols: h === 0 ? [] : h === 3 ? ['ETHUSDT', 'SOLUSDT'] : ['ETHUSDT'] }));
    expect(runMetrics([], [], controls, { initialEquity: 1000 }).symbol_blocked_share).toEqual({ ETHUSDT: 0.75, SOLUSDT: 0.25 });
  });

  it('annualise by the data’s own calendar: 365 days for markets that never close, about 252 for weekday-only data', () => {
    const days = (n: number, keep: (d: Date) => boolean) =>
      Array.from({ length: n }, (_, i) => T0 + i * 24 * H + 20 * H).filter((t) => keep(new Date(t)));
    expect(tradingDaysPerYear(days(400, () => true))).toBe(365);
    expect(tradingDaysPerYear(days(400, (d) => d.getUTCDate() !== 15))).toBe(365); // a missing day now and then
    expect(tradingDaysPerYear(days(400, (d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6))).toBeCloseTo(261, -1);
    const holidays = new Set(['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25']);
    expect(tradingDaysPerYear(days(366, (d) => d.getUTCDay() % 6 !== 0 && !holidays.has(d.toISOString().slice(5, 10))))).toBe(252);
    expect(tradingDaysPerYear([T0])).toBe(365);

    // Sharpe of weekday data is scaled by √252, not √365.
    const weekdays = days(30, (d) => d.getUTCDay() % 6 !== 0).map((time, i) => ({ time, equity: 1000 * (1 + 0.001 * (i % 3) + 0.0005 * i) }));
    const m = runMetrics(weekdays, [], [], { initialEquity: 1000 });
    const daily = weekdays.map((p, i) => p.equity / (i === 0 ? 1000 : weekdays[i - 1]!.equity) - 1);
    const mean = daily.reduce((a, b) => a + b) / daily.length;
    const sd = Math.sqrt(daily.reduce((a, x) => a + (x - mean) ** 2, 0) / (daily.length - 1));
    expect(m.trading_days_per_year).toBe(tradingDaysPerYear(weekdays.map((p) => p.time)));
    expect(m.trading_days_per_year).toBeLessThan(300);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(m.trading_days_per_year), 9);
  });
});
