import { describe, expect, it } from 'vitest';
import type { Position } from '../../src/broker/model.js';
import { canOpen, exposureOf } from '../../src/execution/risk-controller.js';
import { bundledRuleSet } from '../support/rule-sets.js';

const profiles = bundledRuleSet().profiles;
const position = (symbol: string, notional = 2_000): Position => ({
  id: `${symbol}-1`, symbol, side: 'long', quantity: notional / 100, initial_quantity: notional / 100, entry_price: 100, opened_at: 0,
  risk_per_unit: 2, stop_price: 98, take_profit_price: 108, best_price: 100, exit_mode: 'TREND_FOLLOW', trail_pct: 0.03,
  partial_tp_fraction: 0.5, partial_tp_price: 103, partial_taken: false, realized_pnl: 0, fees: 0, entry_notional: notional,
});

// The design's GlobalRiskController.can_open_new_trade; equity 10,000 and leverage 20 throughout.
describe('position limits', () => {
  const equity = 10_000;

  it('refuses the sixth position under SAFE and the eleventh under AGGRESSIVE', () => {
    const five = ['A', 'B', 'C', 'D', 'E'].map((s) => position(`${s}USDT`, 400));
    expect(canOpen({ symbol: 'FUSDT', margin: 20 }, five, equity, profiles.get('SAFE')!, [])).toMatchObject({ ok: false, reason: 'BLOCKED_BY_MAX_POSITIONS', detail: '5/5 positions open' });
    expect(canOpen({ symbol: 'FUSDT', margin: 20 }, five.slice(0, 4), equity, profiles.get('SAFE')!, [])).toEqual({ ok: true });
    const ten = 'ABCDEFGHIJ'.split('').map((s) => position(`${s}USDT`, 400));
    expect(canOpen({ symbol: 'KUSDT', margin: 20 }, ten, equity, profiles.get('AGGRESSIVE')!, [])).toMatchObject({ reason: 'BLOCKED_BY_MAX_POSITIONS' });
  });

  it('refuses a third position among correlated symbols under SAFE (max 2)', () => {
    const open = [position('BTCUSDT', 400), position('ETHUSDT', 400)];
    expect(canOpen({ symbol: 'SOLUSDT', margin: 20 }, open, equity, profiles.get('SAFE')!, ['BTCUSDT', 'ETHUSDT'])).toMatchObject({ ok: false, reason: 'BLOCKED_BY_CORRELATION' });
    expect(canOpen({ symbol: 'SOLUSDT', margin: 20 }, open, equity, profiles.get('SAFE')!, ['BTCUSDT'])).toEqual({ ok: true });
  });

  it('caps exposure (margin) per symbol at 5% and in total at 10% under SAFE', () => {
    expect(canOpen({ symbol: 'BTCUSDT', margin: 501 }, [], equity, profiles.get('SAFE')!, [])).toMatchObject({ reason: 'BLOCKED_BY_SYMBOL_EXPOSURE' });
    expect(canOpen({ symbol: 'BTCUSDT', margin: 500 }, [], equity, profiles.get('SAFE')!, [])).toEqual({ ok: true });
    // 3 positions of 6,000 notional = 300 margin each: 900 + 200 > 1,000
    const open = [position('AUSDT', 6_000), position('BUSDT', 6_000), position('CUSDT', 6_000)];
    expect(exposureOf(open, equity, 20)).toBeCloseTo(0.09, 12);
    expect(canOpen({ symbol: 'DUSDT', margin: 200 }, open, equity, profiles.get('SAFE')!, [])).toMatchObject({ ok: false, reason: 'BLOCKED_BY_TOTAL_EXPOSURE', detail: 'total exposure would be 11.00% (max 10.00%)' });
    expect(canOpen({ symbol: 'DUSDT', margin: 100 }, open, equity, profiles.get('SAFE')!, [])).toEqual({ ok: true });
  });
});
