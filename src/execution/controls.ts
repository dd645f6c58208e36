import type { ExitModesDoc, OrchestratorConfigDoc, RiskProfileDoc } from '../policy/rule-set.js';
import type { ExitMode, ExitParams, ReportedStance, TradingPolicy } from '../policy/trading-policy.js';

/**
 * The settings the executor actually obeys for one cycle: per control, the orchestrator's policy or the
 * profile's static policy, as rules/orchestrator.yaml says. Pure, so LIVE, OBSERVE and OFF are the same
 * code with different inputs.
 */
export interface Controls {
  readonly gate_open: boolean;
  readonly min_confidence: number;
  readonly allowed_symbols: readonly string[];
  readonly disallowed_symbols: readonly string[];
  readonly max_risk_pct: number;
  readonly stance: ReportedStance;
  readonly exit_mode: ExitMode;
  readonly exit_params: ExitParams;
  readonly enforce_position_limits: boolean;
  /** Where each control came from, for decision records. */
  readonly source: 'policy' | 'static' | 'mixed';
}

/** Controls when every switch uses the profile's static policy (orchestrator off). */
export function staticControls(profile: RiskProfileDoc, exitModes: ExitModesDoc): Controls {
  const s = profile.static_policy;
  const { description: _d, ...exit_params } = exitModes.modes[s.exit_mode];
  return {
    gate_open: s.allow_new_trades,
    min_confidence: s.min_confidence,
    allowed_symbols: [],
    disallowed_symbols: [],
    max_risk_pct: s.max_risk_pct,
    stance: s.risk_profile,
    exit_mode: s.exit_mode,
    exit_params,
    enforce_position_limits: false,
    source: 'static',
  };
}

/**
 * Controls from the policy for every switch that is on; the static policy for the others. The policy is
 * undefined until the first evaluation (indicators warming up): then the gate stays closed, since
 * trading on a market nobody has classified yet is exactly what the gates exist to prevent.
 */
export function policyControls(
  policy: TradingPolicy | undefined,
  profile: RiskProfileDoc,
  config: OrchestratorConfigDoc,
  exitModes: ExitModesDoc,
): Controls {
  const fallback = staticControls(profile, exitModes);
  if (!config.enable_orchestrator) return fallback;
  if (!policy) return { ...fallback, gate_open: false, enforce_position_limits: config.use_for_position_limits, source: 'policy' };
  const controls: Controls = {
    gate_open: config.use_for_trading_gate ? policy.allow_new_trades : fallback.gate_open,
    min_confidence: config.use_for_confidence_threshold ? policy.min_confidence : fallback.min_confidence,
    allowed_symbols: config.use_for_signal_filter ? policy.allowed_symbols : [],
    disallowed_symbols: config.use_for_signal_filter ? policy.disallowed_symbols : [],
    max_risk_pct: config.use_for_risk_sizing ? policy.max_risk_pct : fallback.max_risk_pct,
    stance: config.use_for_risk_sizing ? policy.risk_profile : fallback.stance,
    exit_mode: config.use_for_exit_mode ? policy.exit_mode : fallback.exit_mode,
    exit_params: config.use_for_exit_mode ? policy.exit_params : fallback.exit_params,
    enforce_position_limits: config.use_for_position_limits,
    source: 'policy',
  };
  const all = [
    config.use_for_trading_gate, config.use_for_confidence_threshold, config.use_for_signal_filter,
    config.use_for_risk_sizing, config.use_for_exit_mode, config.use_for_position_limits,
  ];
  return { ...controls, source: all.every(Boolean) ? 'policy' : all.some(Boolean) ? 'mixed' : 'static' };
}

/**
 * What trading obeys this cycle, and (in OBSERVE mode) what it would obey if the policy were enforced.
 */
export function controlsFor(
  policy: TradingPolicy | undefined,
  profile: RiskProfileDoc,
  config: OrchestratorConfigDoc,
  exitModes: ExitModesDoc,
): { readonly enforced: Controls; readonly observed?: Controls } {
  if (config.enable_orchestrator && config.mode === 'OBSERVE') {
    return { enforced: staticControls(profile, exitModes), observed: policyControls(policy, profile, config, exitModes) };
  }
  return { enforced: policyControls(policy, profile, config, exitModes) };
}
