import { describe, expect, it } from 'vitest';
import { REGIMES, VOLATILITIES, type Regime, type Volatility } from '../../src/policy/index.js';
import { bundledEngine, bundledRuleSet } from '../support/rule-sets.js';
import { state, symbolStats } from '../support/states.js';

const engine = bundledEngine();
const policyOf = async (s: Parameters<typeof engine.evaluate>[0], profile = 'SAFE') => (await engine.evaluate(s, profile)).policy;

describe('Policy Controls: min_confidence by volatility', () => {
  // "LOW vol -> 0.45, HIGH vol -> 0.60, EXTREME -> 0.70"; Scenario 1 gives NORMAL -> 0.45.
  it.each([
    ['LOW', 0.45],
    ['NORMAL', 0.45],
    ['HIGH', 0.6],
    ['EXTREME', 0.7],
  ] as const)('%s volatility requires %s', async (volatility, expected) => {
    for (const regime of REGIMES) {
      expect((await policyOf(state({ regime, volatility }))).min_confidence).toBe(expected);
    }
  });
});

describe('Exit Mode Selection: exactly the seed selection logic', () => {
  // The seed's if/elif chain, written out as the oracle.
  const seedSelection = (regime: Regime, vol: Volatility) => {
    if (vol === 'EXTREME') return 'DEFENSIVE_TRAIL';
    if (vol === 'HIGH') return 'FAST_TP';
    if ((regime === 'TRENDING_UP' || regime === 'TRENDING_DOWN') && (vol === 'NORMAL' || vol === 'LOW')) return 'TREND_FOLLOW';
    return 'FAST_TP';
  };
  const combos = REGIMES.flatMap((regime) => VOLATILITIES.map((volatility) => [regime, volatility] as const));

  it.each(combos)('%s with %s volatility', async (regime, volatility) => {
    for (const profile of ['SAFE', 'MODERATE', 'AGGRESSIVE']) {
      expect((await policyOf(state({ regime, volatility }), profile)).exit_mode).toBe(seedSelection(regime, volatility));
    }
  });

  it.each([
    ['TREND_FOLLOW', { tp_pct: 0.08, sl_pct: 0.04, trail_pct: 0.03, partial_tp_fraction: 0.5, partial_tp_at_r: 1.5 }],
    ['FAST_TP', { tp_pct: 0.05, sl_pct: 0.03, trail_pct: 0.02, partial_tp_fraction: 0.6, partial_tp_at_r: 1 }],
    ['DEFENSIVE_TRAIL', { tp_pct: 0.04, sl_pct: 0.02, trail_pct: 0.015, partial_tp_fraction: 0.7, partial_tp_at_r: 0.8 }],
  ] as const)('%s uses the seed parameter set', async (mode, params) => {
    const { description: _d, ...defined } = bundledRuleSet().exitModes.modes[mode];
    expect(defined).toEqual(params);
  });
});

describe('Position Limits: the profiles carry the seed values', () => {
  it.each([
    ['SAFE', 5, 2, 0.05, 0.1, -0.025, 3, 0.01],
    ['MODERATE', 8, 3, 0.07, 0.15, -0.04, 4, 0.015],
    ['AGGRESSIVE', 10, 4, 0.1, 0.2, -0.06, 5, 0.02],
  ] as const)('%s', (name, positions, correlated, symbolExposure, totalExposure, dd, streak, risk) => {
    const profile = bundledRuleSet().profiles.get(name)!;
    expect(profile.limits).toMatchObject({
      max_open_positions: positions,
      max_correlated_positions: correlated,
      max_symbol_exposure_pct: symbolExposure,
      max_total_exposure_pct: totalExposure,
    });
    // Daily DD: "Session shutdown", recovery "Next trading day".
    expect(profile.circuit_breakers).toEqual({ daily_dd_limit_pct: dd, losing_streak_threshold: streak, daily_dd_latch: 'rest_of_day' });
    // can_open_new_trade sums pos.notional: the limits are notional.
    expect(profile.limits.exposure_basis).toBe('notional');
    expect(profile.static_policy.max_risk_pct).toBe(risk);
    // Risk Scaling: REDUCED x0.7, NO_NEW_TRADES x0.1
    expect(profile.sizing.stance_risk_factors).toEqual({ REDUCED: 0.7, NO_NEW_TRADES: 0.1 });
  });

  it('MODERATE circuit breakers sit between SAFE and AGGRESSIVE', () => {
    const [safe, moderate, aggressive] = ['SAFE', 'MODERATE', 'AGGRESSIVE'].map((n) => bundledRuleSet().profiles.get(n)!);
    expect(moderate!.circuit_breakers.daily_dd_limit_pct).toBeLessThan(safe!.circuit_breakers.daily_dd_limit_pct);
    expect(moderate!.circuit_breakers.daily_dd_limit_pct).toBeGreaterThan(aggressive!.circuit_breakers.daily_dd_limit_pct);
    expect(moderate!.circuit_breakers.losing_streak_threshold).toBeGreaterThan(safe!.circuit_breakers.losing_streak_threshold);
    expect(moderate!.circuit_breakers.losing_streak_threshold).toBeLessThan(aggressive!.circuit_breakers.losing_streak_threshold);
  });
});

describe('Trade Shutdown Gates', () => {
  it('EXTREME volatility closes the gate in every regime and under every profile; HIGH reopens it', async () => {
    for (const profile of ['SAFE', 'MODERATE', 'AGGRESSIVE']) {
      for (const regime of REGIMES) {
        expect((await policyOf(state({ regime, volatility: 'EXTREME' }), profile)).allow_new_trades).toBe(false);
        expect((await policyOf(state({ regime, volatility: 'HIGH' }), profile)).allow_new_trades).toBe(true);
      }
    }
  });

  it.each([
    ['SAFE', -0.025, -0.0249],
    ['MODERATE', -0.04, -0.0399],
    ['AGGRESSIVE', -0.06, -0.0599],
  ] as const)('daily drawdown closes the gate at the %s limit (%s) and not just above it', async (profile, limit, above) => {
    const at = await policyOf(state({ risk: { daily_dd_pct: limit } }), profile);
    expect(at).toMatchObject({ allow_new_trades: false, risk_profile: 'NO_NEW_TRADES', exit_mode: 'FAST_TP' });
    expect((await policyOf(state({ risk: { daily_dd_pct: above } }), profile)).allow_new_trades).toBe(true);
  });

  it.each([
    ['SAFE', 5],
    ['AGGRESSIVE', 10],
  ] as const)('max positions: %s blocks new trades at %s open positions, until one closes', async (profile, max) => {
    const full = await policyOf(state({ risk: { open_positions: max } }), profile);
    expect(full.allow_new_trades).toBe(false);
    expect(full.note).toContain(`Max positions reached (${max}/${max})`);
    expect((await policyOf(state({ risk: { open_positions: max - 1 } }), profile)).allow_new_trades).toBe(true);
  });

  it.each([
    ['SAFE', 0.1],
    ['AGGRESSIVE', 0.2],
  ] as const)('exposure limit: %s blocks new trades at %s exposure, until it drops below', async (profile, cap) => {
    expect((await policyOf(state({ risk: { exposure_pct: cap } }), profile)).allow_new_trades).toBe(false);
    expect((await policyOf(state({ risk: { exposure_pct: cap - 0.001 } }), profile)).allow_new_trades).toBe(true);
  });

  it.each([
    ['SAFE', 3],
    ['MODERATE', 4],
    ['AGGRESSIVE', 5],
  ] as const)('losing streak: %s reduces risk (REDUCED stance) from %s losses, and a win breaks it', async (profile, streak) => {
    const losing = await policyOf(state({ risk: { losing_streak: streak } }), profile);
    expect(losing).toMatchObject({ risk_profile: 'REDUCED', allow_new_trades: true });
    expect(losing.note).toContain(`Losing streak of ${streak}`);
    expect((await policyOf(state({ risk: { losing_streak: 0 } }), profile)).risk_profile).not.toBe('REDUCED');
  });
});

describe('Risk Scaling: max_risk_pct and stance by conditions', () => {
  it.each([
    ['SAFE', 'TRENDING_UP', 'LOW', 'MODERATE', 0.015],
    ['AGGRESSIVE', 'TRENDING_DOWN', 'NORMAL', 'AGGRESSIVE', 0.02],
    ['MODERATE', 'TRENDING_UP', 'NORMAL', 'MODERATE', 0.015],
    ['SAFE', 'SIDEWAYS', 'NORMAL', 'SAFE', 0.01],
    ['AGGRESSIVE', 'CHOPPY', 'LOW', 'SAFE', 0.01],
    ['AGGRESSIVE', 'TRENDING_UP', 'HIGH', 'REDUCED', 0.008],
    ['AGGRESSIVE', 'TRENDING_UP', 'EXTREME', 'NO_NEW_TRADES', 0.005],
  ] as const)('%s in %s/%s: %s at %s', async (profile, regime, volatility, stance, risk) => {
    expect(await policyOf(state({ regime, volatility }), profile)).toMatchObject({ risk_profile: stance, max_risk_pct: risk });
  });
});

describe('Signal Filtering: symbol blocking', () => {
  const withSymbols = (symbols: Record<string, ReturnType<typeof symbolStats>>) => state({ symbols });

  it('blocks a poor performer (WR < 35% and avg R < 0.5) once it has the profile minimum of trades', async () => {
    const policy = await policyOf(withSymbols({ XRPUSDT: symbolStats({ win_rate: 0.3, avg_r: 0.2, trades: 20 }), BTCUSDT: symbolStats() }));
    expect(policy.disallowed_symbols).toEqual(['XRPUSDT']);
    expect(policy.decided_by.disallowed_symbols).toEqual(['block-poor-performer']);
    expect(policy.note).toContain('XRPUSDT blocked: poor performance (WR 30.00%, avg R 0.2)');
  });

  it('does not judge a symbol before the profile minimum of trades (20 SAFE, 15 AGGRESSIVE)', async () => {
    const young = withSymbols({ XRPUSDT: symbolStats({ win_rate: 0.1, avg_r: -1, trades: 19 }) });
    expect((await policyOf(young, 'SAFE')).disallowed_symbols).toEqual([]);
    expect((await policyOf(young, 'AGGRESSIVE')).disallowed_symbols).toEqual(['XRPUSDT']);
  });

  it.each([
    ['a low win rate with big winners', { win_rate: 0.3, avg_r: 2.0 }],
    ['small winners with a high win rate', { win_rate: 0.6, avg_r: 0.3 }],
    ['the 35% win-rate boundary itself', { win_rate: 0.35, avg_r: 0.1 }],
    ['the 0.5R boundary itself', { win_rate: 0.1, avg_r: 0.5 }],
  ])('keeps %s', async (_label, stats) => {
    expect((await policyOf(withSymbols({ SOLUSDT: symbolStats(stats) }))).disallowed_symbols).toEqual([]);
  });

  it('blocks a symbol whose spread or slippage is above the profile ceiling', async () => {
    const policy = await policyOf(
      withSymbols({
        WIDEUSDT: symbolStats({ spread_pct: 0.0011 }),
        SLIPUSDT: symbolStats({ slippage_pct: 0.002 }),
        FINEUSDT: symbolStats({ spread_pct: 0.001, slippage_pct: 0.0015 }),
      }),
    );
    expect(policy.disallowed_symbols).toEqual(['SLIPUSDT', 'WIDEUSDT']);
  });

  it('works with no symbols at all', async () => {
    expect((await policyOf(state())).disallowed_symbols).toEqual([]);
  });
});
