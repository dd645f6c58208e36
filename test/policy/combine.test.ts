import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combine, type Contribution, type SymbolVerdict } from '../../src/policy/combine.js';
import { PolicyEngine, type RuleSet } from '../../src/policy/index.js';
import { bundledRuleSet } from '../support/rule-sets.js';
import { state, symbolStats } from '../support/states.js';

const ruleSet = bundledRuleSet();
const safe = ruleSet.profiles.get('SAFE')!;
const c = (rule: string, priority: number, params: Contribution['params']): Contribution => ({ rule, priority, params });

// How rule outcomes combine per field (schemas/trading-policy.schema.json documents each combinator).
describe('combining rule outcomes', () => {
  it('uses the profile static policy for every field no rule decides', () => {
    const policy = combine([], [], safe, ruleSet.exitModes);
    expect(policy).toMatchObject({ ...safe.static_policy, allowed_symbols: [], disallowed_symbols: [], note: '' });
    expect(Object.values(policy.decided_by).every((by) => by.length === 0)).toBe(true);
  });

  it('allow_new_trades: any closed gate closes', () => {
    const policy = combine([c('open', 90, { allow_new_trades: true }), c('closed', 10, { allow_new_trades: false })], [], safe, ruleSet.exitModes);
    expect(policy.allow_new_trades).toBe(false);
    expect(policy.decided_by.allow_new_trades).toEqual(['closed']);
  });

  it('min_confidence: the highest wins; max_risk_pct: the lowest wins; stance: the most restrictive wins', () => {
    const policy = combine(
      [
        c('a', 10, { min_confidence: 0.5, max_risk_pct: 0.01, risk_profile: 'AGGRESSIVE' }),
        c('b', 90, { min_confidence: 0.6, max_risk_pct: 0.02, risk_profile: 'REDUCED' }),
        c('c', 50, { min_confidence: 0.6, max_risk_pct: 0.015, risk_profile: 'SAFE' }),
      ],
      [],
      safe,
      ruleSet.exitModes,
    );
    expect(policy).toMatchObject({ min_confidence: 0.6, max_risk_pct: 0.01, risk_profile: 'REDUCED' });
    expect(policy.decided_by).toMatchObject({ min_confidence: ['b', 'c'], max_risk_pct: ['a'], risk_profile: ['b'] });
  });

  it('exit_mode: the highest priority decides, a tie goes to the more defensive mode', () => {
    const pick = (list: Contribution[]) => combine(list, [], safe, ruleSet.exitModes).exit_mode;
    expect(pick([c('low', 10, { exit_mode: 'DEFENSIVE_TRAIL' }), c('high', 20, { exit_mode: 'TREND_FOLLOW' })])).toBe('TREND_FOLLOW');
    expect(pick([c('x', 20, { exit_mode: 'FAST_TP' }), c('y', 20, { exit_mode: 'DEFENSIVE_TRAIL' }), c('z', 20, { exit_mode: 'TREND_FOLLOW' })])).toBe('DEFENSIVE_TRAIL');
  });

  it('symbols: blocked lists are united, allowed lists intersected; notes follow priority, then per-symbol', () => {
    const verdicts: SymbolVerdict[] = [
      { rule: 'block-b', priority: 5, symbol: 'BBB', action: 'block', note: 'BBB out' },
      { rule: 'allow-a', priority: 5, symbol: 'AAA', action: 'allow' },
      { rule: 'allow-a', priority: 5, symbol: 'CCC', action: 'allow' },
    ];
    const policy = combine(
      [
        c('list-1', 10, { allowed_symbols: ['AAA', 'BBB', 'CCC'], disallowed_symbols: ['DDD'], note: 'second' }),
        c('list-2', 30, { allowed_symbols: ['AAA', 'CCC', 'EEE'], note: 'first' }),
        c('empty', 40, { allowed_symbols: [] }),
      ],
      verdicts,
      safe,
      ruleSet.exitModes,
    );
    expect(policy.allowed_symbols).toEqual(['AAA', 'CCC']);
    expect(policy.disallowed_symbols).toEqual(['BBB', 'DDD']);
    expect(policy.note).toBe('first; second; BBB out');
  });

  it('drops the note of a rule overruled on every field it set', () => {
    const policy = combine([c('strict', 90, { max_risk_pct: 0.005, note: 'strict' }), c('loose', 10, { max_risk_pct: 0.02, note: 'loose' })], [], safe, ruleSet.exitModes);
    expect(policy.note).toBe('strict');
  });

  it('never depends on the order of rules or files (property)', async () => {
    const baseline = new PolicyEngine(ruleSet);
    const probe = state({
      regime: 'TRENDING_DOWN',
      volatility: 'HIGH',
      risk: { daily_dd_pct: -0.03, open_positions: 5, exposure_pct: 0.12, losing_streak: 4 },
      symbols: { XRPUSDT: symbolStats({ win_rate: 0.2, avg_r: 0.1, spread_pct: 0.01 }), BTCUSDT: symbolStats() },
    });
    const expected = (await baseline.evaluate(probe)).policy;
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray([...ruleSet.rules], { minLength: ruleSet.rules.length }), async (rules) => {
        const shuffled: RuleSet = { ...ruleSet, rules };
        expect((await new PolicyEngine(shuffled).evaluate(probe)).policy).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
