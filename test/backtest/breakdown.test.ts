import { describe, expect, it } from 'vitest';
import type { ClosedTrade } from '../../src/broker/model.js';
import type { CycleRecord } from '../../src/execution/journal.js';
import { monthlyReturns, shutdownEvents, symbolResults } from '../../src/backtest/breakdown.js';

const H = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

const trade = (symbol: string, pnl: number, r: number): ClosedTrade => ({
  position_id: `${symbol}${pnl}`, symbol, side: 'long', quantity: 1, entry_price: 100, exit_price: 100 + pnl, opened_at: T0, closed_at: T0 + H,
  pnl, fees: 0.5, r_multiple: r, exit_reason: pnl > 0 ? 'take-profit' : 'stop-loss', exit_mode: 'FAST_TP',
});
const cycle = (hour: number, gate_open: boolean, policy?: { rules: string[]; note: string }): CycleRecord => ({
  time: T0 + hour * H, mode: 'LIVE', gate_open, exit_mode: 'FAST_TP', stance: gate_open ? 'SAFE' : 'NO_NEW_TRADES', min_confidence: 0.6, max_risk_pct: 0.01,
  ...(policy === undefined ? {} : { policy: { decided_by: { allow_new_trades: policy.rules }, note: policy.note } }),
});

describe('a run broken down', () => {
  it('per symbol: trades, win rate, average R, net PnL and fees', () => {
    const rows = symbolResults([trade('ETHUSDT', 30, 1.5), trade('BTCUSDT', -10, -1), trade('ETHUSDT', -5, -0.5), trade('BTCUSDT', 20, 1)]);
    expect(rows.map((r) => r.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(rows[1]).toEqual({ symbol: 'ETHUSDT', trades: 2, win_rate: 0.5, avg_r: 0.5, net_pnl: 25, fees: 1 });
  });

  it('per month: the last equity of each month against the last of the month before', () => {
    const at = (iso: string, equity: number) => ({ time: Date.parse(iso), equity });
    const months = monthlyReturns([at('2024-01-03T00:00Z', 1010), at('2024-01-31T23:00Z', 1100), at('2024-02-10T00:00Z', 900), at('2024-02-29T23:00Z', 990), at('2024-04-01T00:00Z', 1089)], 1000);
    expect(months.map((m) => m.month)).toEqual(['2024-01', '2024-02', '2024-04']);
    expect(months.map((m) => m.return)).toEqual([1100 / 1000 - 1, 990 / 1100 - 1, 1089 / 990 - 1].map((x) => expect.closeTo(x, 12)));
  });

  it('shutdown events: each closing of the gate after the warm-up, with the rule that closed it and when it reopened', () => {
    const dd = { rules: ['gate-daily-drawdown'], note: 'Daily DD limit hit (-2.60%)' };
    const extreme = { rules: ['gate-extreme-volatility'], note: 'EXTREME volatility' };
    const cycles = [
      cycle(0, false), cycle(1, false), // warm-up: no policy yet
      cycle(2, true, { rules: [], note: '' }),
      cycle(3, false, extreme), cycle(4, false, dd), // another rule takes over: still one event
      cycle(5, true, { rules: [], note: '' }),
      cycle(6, false, dd),
    ];
    expect(shutdownEvents(cycles, T0 + 2 * H)).toEqual([
      { from: T0 + 3 * H, to: T0 + 5 * H, rules: ['gate-extreme-volatility'], note: 'EXTREME volatility' },
      { from: T0 + 6 * H, to: null, rules: ['gate-daily-drawdown'], note: 'Daily DD limit hit (-2.60%)' },
    ]);
    expect(shutdownEvents(cycles, undefined)).toEqual([]);
  });
});
