import type { PolicyEngine } from '../policy/policy-engine.js';
import type { OrchestratorConfigDoc } from '../policy/rule-set.js';
import type { RunSpec } from './backtest.js';

/** Overrides of rules/orchestrator.yaml that make a run one of the baselines (or the policy run). */
export type OrchestratorSwitches = Partial<Omit<OrchestratorConfigDoc, 'apiVersion' | 'kind' | 'version'>>;

/** Run ids every backtest has: the policy run and its two baselines. */
export type BaselineId = 'off' | 'static';

/** The baseline the headline ratios (daily-DD and max-DD reduction) are computed against. */
export const HEADLINE_BASELINE: BaselineId = 'static';

/**
 * `off`: no controls at all (enable_orchestrator: false), the executor's emergency switch. Has: the
 * profile's static_policy for the gate (allow_new_trades), min_confidence, max_risk_pct sizing and the
 * exit mode; the paper venue's costs. Has NOT: position-count, correlation or exposure caps, symbol
 * blocks, the daily-drawdown circuit, the EXTREME-volatility stop, any policy evaluation; and it trades
 * from the first signal, also while the market state is still warming up.
 */
export const OFF_SWITCHES: OrchestratorSwitches = { enable_orchestrator: false };

/**
 * `static`: the pre-orchestrator system the design compares with: everything `off` has, plus the
 * profile's position, correlation and exposure caps (limits.*, with resize_to_fit when the profile
 * enables it) checked at every entry. The orchestrator runs (so this run waits for the first market
 * state, as `on` does), but only use_for_position_limits is switched on: the gate, confidence floor,
 * sizing and exit mode stay the profile's static_policy. Has NOT: symbol blocks / signal filter, dynamic
 * sizing or exit modes, the rules' gates, the daily-drawdown circuit, the EXTREME-volatility stop.
 */
export const STATIC_SWITCHES: OrchestratorSwitches = {
  enable_orchestrator: true,
  mode: 'LIVE',
  use_for_signal_filter: false,
  use_for_confidence_threshold: false,
  use_for_risk_sizing: false,
  use_for_exit_mode: false,
  use_for_trading_gate: false,
  use_for_position_limits: true,
};

/** `on`: the rule set's orchestrator as configured (rules/orchestrator.yaml), made to enforce. */
export const ON_SWITCHES: OrchestratorSwitches = { enable_orchestrator: true };

/** The three runs of every backtest, in table order: on, static, off. */
export function baselineRuns(engine: PolicyEngine, profile: string): RunSpec[] {
  const mode = engine.ruleSet.orchestrator.mode;
  return [
    { id: 'on', label: `orchestrator ON (${mode})`, engine, profile, orchestrator: ON_SWITCHES },
    { id: 'static', label: 'baseline STATIC (caps)', mode: 'STATIC', engine, profile, orchestrator: STATIC_SWITCHES },
    { id: 'off', label: 'baseline OFF (no caps)', engine, profile, orchestrator: OFF_SWITCHES },
  ];
}
