import { describe, expect, it } from 'vitest';
import { bundledEngine } from '../support/rule-sets.js';
import { scenario } from '../support/states.js';

// full-live-mode.md, "Example: Policy Switching Scenarios", evaluated under the SAFE profile.
describe('the seed scenarios under the SAFE profile', () => {
  const engine = bundledEngine();
  const evaluate = async (name: Parameters<typeof scenario>[0]) => (await engine.evaluate(scenario(name), 'SAFE')).policy;

  it('Scenario 1, normal trading: gate open, 0.45 confidence, 1.5% risk, trend-following exits, MODERATE', async () => {
    expect(await evaluate('normal')).toMatchObject({
      allow_new_trades: true,
      min_confidence: 0.45,
      max_risk_pct: 0.015,
      exit_mode: 'TREND_FOLLOW',
      exit_params: { tp_pct: 0.08, sl_pct: 0.04 },
      risk_profile: 'MODERATE',
      profile: 'SAFE',
    });
  });

  it('Scenario 2, high volatility: confidence raised to 0.60, risk reduced to 0.8%, FAST_TP, REDUCED', async () => {
    expect(await evaluate('highVolatility')).toMatchObject({
      allow_new_trades: true,
      min_confidence: 0.6,
      max_risk_pct: 0.008,
      exit_mode: 'FAST_TP',
      exit_params: { tp_pct: 0.05, sl_pct: 0.03, trail_pct: 0.02 },
      risk_profile: 'REDUCED',
    });
  });

  it('Scenario 3, EXTREME volatility: shutdown at max confidence and min risk, defensive exits', async () => {
    expect(await evaluate('extremeVolatility')).toMatchObject({
      allow_new_trades: false,
      min_confidence: 0.7,
      max_risk_pct: 0.005,
      exit_mode: 'DEFENSIVE_TRAIL',
      exit_params: { tp_pct: 0.04, sl_pct: 0.02, trail_pct: 0.015 },
      risk_profile: 'NO_NEW_TRADES',
    });
  });

  it('Scenario 4, daily DD limit hit: session shutdown, 0.60 confidence, fast exits, and the note says why', async () => {
    const policy = await evaluate('dailyDrawdown');
    expect(policy).toMatchObject({
      allow_new_trades: false,
      min_confidence: 0.6,
      max_risk_pct: 0.005,
      exit_mode: 'FAST_TP',
      risk_profile: 'NO_NEW_TRADES',
    });
    expect(policy.note).toContain('Daily DD limit hit (-2.60%)');
  });

  it('the profile name is case-insensitive and SAFE is the default', async () => {
    const byDefault = (await engine.evaluate(scenario('normal'))).policy;
    const lower = (await engine.evaluate(scenario('normal'), 'safe')).policy;
    expect(byDefault.profile).toBe('SAFE');
    expect(lower).toEqual(byDefault);
  });

  it('reports the rule set version and which rule decided each field', async () => {
    const policy = await evaluate('dailyDrawdown');
    expect(policy.rule_set_version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    expect(policy.decided_by.allow_new_trades).toEqual(['gate-daily-drawdown']);
    expect(policy.decided_by.exit_mode).toEqual(['exit-daily-drawdown']);
  });
});
