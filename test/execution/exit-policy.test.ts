import { describe, expect, it } from 'vitest';
import type { MarketRules, Position } from '../../src/broker/model.js';
import { adoptExitMode, trail } from '../../src/execution/exit-policy.js';

const rules: MarketRules = { symbol: 'X', step_size: 0.001, tick_size: 0.01, min_quantity: 0.001, min_notional: 5 };
const long: Position = {
  id: 'p', symbol: 'X', side: 'long', quantity: 1, initial_quantity: 1, entry_price: 100, opened_at: 0, risk_per_unit: 4,
  stop_price: 96, take_profit_price: 108, best_price: 100, exit_mode: 'TREND_FOLLOW', trail_pct: 0.03,
  partial_tp_fraction: 0.5, partial_tp_price: 106, partial_taken: false, realized_pnl: 0, fees: 0, entry_notional: 100,
};

describe('exit management of open positions', () => {
  it('trails the stop behind the best price and never loosens it', () => {
    const up = trail(long, { high: 110, low: 104 }, rules);
    expect(up).toMatchObject({ best_price: 110, stop_price: 106.7 });
    expect(trail(up, { high: 108, low: 101 }, rules)).toBe(up);
    const short = trail({ ...long, side: 'short', stop_price: 104, best_price: 100 }, { high: 99, low: 90 }, rules);
    expect(short).toMatchObject({ best_price: 90, stop_price: 92.7 });
  });

  it('switching TREND_FOLLOW → DEFENSIVE_TRAIL tightens stop, targets and trail', () => {
    const adopted = adoptExitMode(long, 'DEFENSIVE_TRAIL', { tp_pct: 0.04, sl_pct: 0.02, trail_pct: 0.015, partial_tp_fraction: 0.7, partial_tp_at_r: 0.8 }, 102, rules);
    expect(adopted).toMatchObject({ exit_mode: 'DEFENSIVE_TRAIL', stop_price: 99.96, take_profit_price: 104, partial_tp_price: 103.2, partial_tp_fraction: 0.7, trail_pct: 0.015 });
  });

  it('switching back to TREND_FOLLOW loosens nothing', () => {
    const defensive = { ...long, exit_mode: 'DEFENSIVE_TRAIL' as const, stop_price: 99.96, take_profit_price: 104, trail_pct: 0.015, partial_tp_price: 103.2 };
    const adopted = adoptExitMode(defensive, 'TREND_FOLLOW', { tp_pct: 0.08, sl_pct: 0.04, trail_pct: 0.03, partial_tp_fraction: 0.5, partial_tp_at_r: 1.5 }, 102, rules);
    expect(adopted).toMatchObject({ exit_mode: 'TREND_FOLLOW', stop_price: 99.96, take_profit_price: 104, trail_pct: 0.015, partial_tp_price: 103.2 });
  });
});
