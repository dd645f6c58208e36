import { describe, expect, it } from 'vitest';
import type { MarketRules, Position } from '../../src/broker/model.js';
import { controlsFor } from '../../src/execution/controls.js';
import { judgeEntry, type EntryContext } from '../../src/execution/entry-verdict.js';
import { canOpen, exposureOf } from '../../src/execution/risk-controller.js';
import type { RiskProfileDoc } from '../../src/policy/rule-set.js';
import { bundledRuleSet } from '../support/rule-sets.js';

const ruleSet = bundledRuleSet();
const profiles = ruleSet.profiles;
const safe = profiles.get('SAFE')!;
const position = (symbol: string, notional = 2_000): Position => ({
  id: `${symbol}-1`, symbol, side: 'long', quantity: notional / 100, initial_quantity: notional / 100, entry_price: 100, opened_at: 0,
  risk_per_unit: 2, stop_price: 98, take_profit_price: 108, best_price: 100, exit_mode: 'TREND_FOLLOW', trail_pct: 0.03,
  partial_tp_fraction: 0.5, partial_tp_price: 103, partial_taken: false, realized_pnl: 0, fees: 0, entry_notional: notional,
});

// The design's GlobalRiskController.can_open_new_trade; equity 10,000 throughout.
describe('position limits (can_open_new_trade)', () => {
  const equity = 10_000;

  it('Max Positions: refuses the sixth position under SAFE and the eleventh under AGGRESSIVE', () => {
    const five = ['A', 'B', 'C', 'D', 'E'].map((s) => position(`${s}USDT`, 100));
    expect(canOpen({ symbol: 'FUSDT', notional: 20 }, five, equity, safe, [])).toMatchObject({ ok: false, reason: 'BLOCKED_BY_MAX_POSITIONS', detail: '5/5 positions open' });
    expect(canOpen({ symbol: 'FUSDT', notional: 20 }, five.slice(0, 4), equity, safe, [])).toEqual({ ok: true });
    const ten = 'ABCDEFGHIJ'.split('').map((s) => position(`${s}USDT`, 100));
    expect(canOpen({ symbol: 'KUSDT', notional: 20 }, ten, equity, profiles.get('AGGRESSIVE')!, [])).toMatchObject({ reason: 'BLOCKED_BY_MAX_POSITIONS' });
  });

  it('refuses a third position among correlated symbols under SAFE (max 2)', () => {
    const open = [position('BTCUSDT', 100), position('ETHUSDT', 100)];
    expect(canOpen({ symbol: 'SOLUSDT', notional: 20 }, open, equity, safe, ['BTCUSDT', 'ETHUSDT'])).toMatchObject({ ok: false, reason: 'BLOCKED_BY_CORRELATION' });
    expect(canOpen({ symbol: 'SOLUSDT', notional: 20 }, open, equity, safe, ['BTCUSDT'])).toEqual({ ok: true });
  });

  it('Exposure Limit: (current_exposure + notional) / equity against 5% per symbol and 10% in total under SAFE, in notional', () => {
    expect(safe.limits.exposure_basis).toBe('notional');
    expect(canOpen({ symbol: 'BTCUSDT', notional: 501 }, [], equity, safe, [])).toMatchObject({ reason: 'BLOCKED_BY_SYMBOL_EXPOSURE', detail: 'BTCUSDT exposure would be 5.01% of equity (notional; max 5.00%)' });
    expect(canOpen({ symbol: 'BTCUSDT', notional: 500 }, [], equity, safe, [])).toEqual({ ok: true });
    // 3 positions of 300 notional: 900 + 200 > 1,000
    const open = [position('AUSDT', 300), position('BUSDT', 300), position('CUSDT', 300)];
    expect(exposureOf(open, equity, safe)).toEqual({ basis: 'notional', exposure_pct: expect.closeTo(0.09, 12), margin_pct: expect.closeTo(0.09 / 20, 12) });
    expect(canOpen({ symbol: 'DUSDT', notional: 200 }, open, equity, safe, [])).toMatchObject({ ok: false, reason: 'BLOCKED_BY_TOTAL_EXPOSURE', detail: 'total exposure would be 11.00% of equity (notional; max 10.00%)' });
    expect(canOpen({ symbol: 'DUSDT', notional: 100 }, open, equity, safe, [])).toEqual({ ok: true });
  });

  it('leverage does not multiply the cap: 20x leverage allows 10% of equity in notional, not 200%', () => {
    const scenario1Trade = position('BTCUSDT', 7_500); // the Scenario-1 trade: 75% of equity in notional
    expect(exposureOf([scenario1Trade], equity, safe).exposure_pct).toBeCloseTo(0.75, 12);
    expect(exposureOf([scenario1Trade], equity, safe).margin_pct).toBeCloseTo(0.0375, 12);
    expect(canOpen({ symbol: 'BTCUSDT', notional: 7_500 }, [], equity, safe, [])).toMatchObject({ ok: false, reason: 'BLOCKED_BY_SYMBOL_EXPOSURE' });
  });

  it('a profile that states exposure_basis: margin counts notional / leverage', () => {
    const margin: RiskProfileDoc = { ...safe, limits: { ...safe.limits, exposure_basis: 'margin' } };
    expect(canOpen({ symbol: 'BTCUSDT', notional: 10_000 }, [], equity, margin, [])).toEqual({ ok: true }); // 500 margin = 5%
    expect(canOpen({ symbol: 'BTCUSDT', notional: 10_020 }, [], equity, margin, [])).toMatchObject({ reason: 'BLOCKED_BY_SYMBOL_EXPOSURE' });
  });
});

describe('an entry that does not fit the limits', () => {
  const rules: MarketRules = { symbol: 'BTCUSDT', step_size: 0.001, tick_size: 0.1, min_quantity: 0.001, min_notional: 5 };
  const { enforced } = controlsFor(undefined, safe, { ...ruleSet.orchestrator, enable_orchestrator: false }, ruleSet.exitModes);
  const limits = { ...enforced, enforce_position_limits: true };
  const signal = { symbol: 'BTCUSDT', side: 'long' as const, confidence: 0.9, timestamp: 0 };
  // Risk 1% of 10,000 = 100 over a 1,000 stop: 0.1 BTC = 5,000 notional, 50% of equity.
  const context = (profile: RiskProfileDoc, positions: Position[] = []): EntryContext => ({ positions, equity: 10_000, profile, rules, price: 50_000, atr: 500, correlated: [] });

  it('is refused with its reason (can_open_new_trade returns False), not shrunk', () => {
    expect(judgeEntry(signal, limits, context(safe))).toEqual({ ok: false, reason: 'BLOCKED_BY_SYMBOL_EXPOSURE', detail: 'BTCUSDT exposure would be 50.00% of equity (notional; max 5.00%)' });
  });

  it('is resized to fit only when the profile enables resize_to_fit, and only above its floor of the intended risk', () => {
    const resizing = (floor: number, cap: number): RiskProfileDoc => ({ ...safe, limits: { ...safe.limits, max_symbol_exposure_pct: cap, max_total_exposure_pct: cap, resize_to_fit: { enabled: true, min_risk_fraction: floor } } });
    // Cap 30% = 3,000 notional = 0.06 BTC: 60% of the intended risk.
    const fits = judgeEntry(signal, limits, context(resizing(0.5, 0.3)));
    expect(fits).toMatchObject({ ok: true, capped: 'max_symbol_exposure_pct', sizing: { quantity: 0.06 } });
    expect(fits.ok && fits.sizing.risk_usd / 100).toBeCloseTo(0.6, 6);
    // Cap 5% = 500 notional: 10% of the intended risk, under the floor of half.
    expect(judgeEntry(signal, limits, context(resizing(0.5, 0.05)))).toMatchObject({ ok: false, reason: 'BLOCKED_BY_SYMBOL_EXPOSURE', detail: expect.stringContaining('would keep 10.0% of the intended risk (floor 50%)') });
  });

  it('fits without change when it is inside the caps', () => {
    const roomy: RiskProfileDoc = { ...safe, limits: { ...safe.limits, max_symbol_exposure_pct: 0.6, max_total_exposure_pct: 1 } };
    expect(judgeEntry(signal, limits, context(roomy))).toMatchObject({ ok: true, sizing: { quantity: 0.1 } });
    expect(judgeEntry(signal, limits, context(roomy)).ok && 'capped' in judgeEntry(signal, limits, context(roomy))).toBe(false);
  });
});
