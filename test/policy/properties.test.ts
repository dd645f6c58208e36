import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateAgainst } from '../../src/config/schemas.js';
import { REGIMES, VOLATILITIES } from '../../src/policy/index.js';
import type { MarketState } from '../../src/state/index.js';
import { bundledEngine } from '../support/rule-sets.js';

const symbolArb = fc.record({
  win_rate: fc.double({ min: 0, max: 1, noNaN: true }),
  avg_r: fc.double({ min: -3, max: 5, noNaN: true }),
  pnl: fc.double({ min: -1e5, max: 1e5, noNaN: true }),
  trades: fc.nat({ max: 500 }),
  spread_pct: fc.double({ min: 0, max: 0.01, noNaN: true }),
  slippage_pct: fc.double({ min: 0, max: 0.01, noNaN: true }),
});

const stateArb: fc.Arbitrary<MarketState> = fc.record({
  regime: fc.constantFrom(...REGIMES),
  volatility: fc.constantFrom(...VOLATILITIES),
  risk: fc.record({
    daily_dd_pct: fc.double({ min: -0.2, max: 0, noNaN: true }),
    open_positions: fc.nat({ max: 15 }),
    exposure_pct: fc.double({ min: 0, max: 0.4, noNaN: true }),
    losing_streak: fc.nat({ max: 10 }),
  }),
  symbols: fc.dictionary(fc.constantFrom('BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'), symbolArb),
});

// Invariants of the shipped rules over any valid state and profile.
describe('policy invariants (property-based)', () => {
  const engine = bundledEngine();

  it('always yields a policy valid against the TradingPolicy schema, within the seed ranges, with no fallback', async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, fc.constantFrom('SAFE', 'MODERATE', 'AGGRESSIVE'), async (s, profile) => {
        const evaluation = await engine.evaluate(s, profile);
        expect(evaluation.failure).toBeUndefined();
        expect(validateAgainst('trading-policy', evaluation.policy)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('closes the gate whenever volatility is EXTREME or the drawdown limit is hit, and only then at minimum risk', async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, fc.constantFrom('SAFE', 'MODERATE', 'AGGRESSIVE'), async (s, profile) => {
        const { policy, profile: limits } = await engine.evaluate(s, profile);
        const emergency = s.volatility === 'EXTREME' || s.risk.daily_dd_pct <= limits.circuit_breakers.daily_dd_limit_pct;
        if (emergency) expect(policy).toMatchObject({ allow_new_trades: false, max_risk_pct: 0.005, risk_profile: 'NO_NEW_TRADES' });
        else expect(policy.risk_profile).not.toBe('NO_NEW_TRADES');
      }),
      { numRuns: 300 },
    );
  });

  it('never loosens: adding a losing streak never raises risk or lowers the confidence bar', async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, async (s) => {
        const calm = (await engine.evaluate({ ...s, risk: { ...s.risk, losing_streak: 0 } })).policy;
        const losing = (await engine.evaluate({ ...s, risk: { ...s.risk, losing_streak: 9 } })).policy;
        expect(losing.max_risk_pct).toBeLessThanOrEqual(calm.max_risk_pct);
        expect(losing.min_confidence).toBeGreaterThanOrEqual(calm.min_confidence);
      }),
      { numRuns: 150 },
    );
  });
});
