import { describe, expect, it } from 'vitest';
import { controlsFor } from '../../src/execution/controls.js';
import type { OrchestratorConfigDoc } from '../../src/policy/rule-set.js';
import { bundledEngine, bundledRuleSet } from '../support/rule-sets.js';
import { scenario } from '../support/states.js';

const ruleSet = bundledRuleSet();
const safe = ruleSet.profiles.get('SAFE')!;
const config = (overrides: Partial<OrchestratorConfigDoc> = {}): OrchestratorConfigDoc => ({ ...ruleSet.orchestrator, ...overrides });

// The design's OrchestratorIntegrationConfig: which control obeys the policy.
describe('executor controls', async () => {
  const extreme = (await bundledEngine().evaluate(scenario('extremeVolatility'))).policy;

  it('LIVE with every switch on: the policy decides every control', () => {
    const { enforced, observed } = controlsFor(extreme, safe, config(), ruleSet.exitModes);
    expect(enforced).toMatchObject({ gate_open: false, min_confidence: 0.7, max_risk_pct: 0.005, stance: 'NO_NEW_TRADES', exit_mode: 'DEFENSIVE_TRAIL', enforce_position_limits: true, source: 'policy' });
    expect(observed).toBeUndefined();
  });

  it('a disabled orchestrator uses the profile static policy for everything', () => {
    const { enforced } = controlsFor(extreme, safe, config({ enable_orchestrator: false }), ruleSet.exitModes);
    expect(enforced).toMatchObject({ gate_open: true, min_confidence: 0.55, max_risk_pct: 0.01, stance: 'SAFE', exit_mode: 'TREND_FOLLOW', enforce_position_limits: false, source: 'static' });
  });

  it('OBSERVE trades on the static policy and reports what the policy would have done', () => {
    const { enforced, observed } = controlsFor(extreme, safe, config({ mode: 'OBSERVE' }), ruleSet.exitModes);
    expect(enforced.source).toBe('static');
    expect(observed).toMatchObject({ gate_open: false, min_confidence: 0.7 });
  });

  it.each([
    ['use_for_trading_gate', 'gate_open', true],
    ['use_for_confidence_threshold', 'min_confidence', 0.55],
    ['use_for_risk_sizing', 'max_risk_pct', 0.01],
    ['use_for_exit_mode', 'exit_mode', 'TREND_FOLLOW'],
    ['use_for_position_limits', 'enforce_position_limits', false],
  ] as const)('%s off: %s falls back to the static value', (flag, control, value) => {
    const { enforced } = controlsFor(extreme, safe, config({ [flag]: false }), ruleSet.exitModes);
    expect(enforced[control]).toEqual(value);
    expect(enforced.source).toBe('mixed');
  });

  it('before the first policy (indicators warming up) the gate is closed', () => {
    expect(controlsFor(undefined, safe, config(), ruleSet.exitModes).enforced.gate_open).toBe(false);
  });
});
