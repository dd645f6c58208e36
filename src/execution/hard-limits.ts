import type { Logger } from '../logger.js';
import type { Evaluation } from '../policy/policy-engine.js';
import type { OrchestratorConfigDoc, RiskProfileDoc, RuleSet } from '../policy/rule-set.js';
import type { MarketState } from '../state/market-state.js';
import type { RiskTracker } from '../state/risk/index.js';
import type { Controls } from './controls.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the hard-limit layer sees of one cycle. */
export interface HardLimitCycle {
  readonly time: number;
  readonly profile: RiskProfileDoc;
  readonly config: OrchestratorConfigDoc;
  readonly ruleSet: RuleSet;
  /** The policy evaluation of this cycle; undefined while warming up or with the orchestrator off. */
  readonly evaluation?: Evaluation;
  readonly state?: MarketState;
}

/** Why the hard-limit layer closed the gate, if it did. */
export type HardStop = 'EXTREME volatility' | 'daily drawdown circuit tripped';

/**
 * The design's GlobalRiskController as a layer outside the rules engine: whatever the rules say (or
 * when they cannot be evaluated and the fallback policy applies), EXTREME volatility and a tripped
 * daily-drawdown circuit close the gate, and the position-count and exposure caps are checked at every
 * entry (judgeEntry). It also keeps the drawdown latch, logs every fallback and every gate transition
 * where the design does ("Orchestrator failed … using SAFE FALLBACK", "TRADE SHUTDOWN ACTIVE"), and
 * announces the mode at start-up ("FULL LIVE MODE - Policy ENFORCED").
 *
 * It acts on the controls that come from the policy: enforced ones in LIVE mode, the observed ones in
 * OBSERVE mode; with the orchestrator off (the pre-orchestrator baseline) it changes nothing.
 */
export class HardLimits {
  private gateWasOpen: boolean | undefined;
  private fallbackCount = 0;

  constructor(
    private readonly risk: RiskTracker,
    private readonly logger: Logger,
  ) {}

  /** Fallback policies used since start. */
  get fallbacks(): number {
    return this.fallbackCount;
  }

  /** The design's start-up line: which controls obey the policy. */
  announce(config: OrchestratorConfigDoc): void {
    const switches = [
      config.use_for_signal_filter, config.use_for_confidence_threshold, config.use_for_risk_sizing,
      config.use_for_exit_mode, config.use_for_trading_gate, config.use_for_position_limits,
    ];
    if (!config.enable_orchestrator) this.logger.info('orchestrator DISABLED - static profile policy, no position limits (pre-orchestrator baseline)');
    else if (config.mode === 'OBSERVE') this.logger.info('OBSERVE MODE - policy computed and recorded, not enforced');
    else if (switches.every(Boolean)) this.logger.info('FULL LIVE MODE - Policy ENFORCED');
    else this.logger.info({ orchestrator: config }, 'LIVE MODE - Policy ENFORCED on the switched-on controls only');
  }

  /**
   * Before the policy is evaluated: trips the daily-drawdown circuit when the day's drawdown has reached
   * the profile's limit. The latch lasts `circuit_breakers.daily_dd_latch`: the rest of the trading day
   * (default), or a number of hours; the risk tracker keeps it (and its checkpoint persists it).
   */
  observe(time: number, profile: RiskProfileDoc, config: OrchestratorConfigDoc): void {
    if (!config.enable_orchestrator) return;
    const snapshot = this.risk.snapshot();
    const dd = snapshot.risk.daily_dd_pct;
    const limit = profile.circuit_breakers.daily_dd_limit_pct;
    if (!(dd <= limit) || snapshot.dayStart === null) return;
    const length = profile.circuit_breakers.daily_dd_latch ?? 'rest_of_day';
    const until = length === 'rest_of_day' ? snapshot.dayStart + DAY : time + length * HOUR;
    if (!(until > time)) return;
    const before = snapshot.drawdownLatch;
    this.risk.latchDrawdown({ since: time, until, daily_dd_pct: dd });
    if (before === null) {
      this.logger.info({ daily_dd_pct: dd, limit, until: new Date(until).toISOString() }, `daily drawdown ${pct(dd)} hit the limit ${pct(limit)}: circuit tripped, no new trades until ${new Date(until).toISOString()}`);
    }
  }

  /** The limits that hold whatever the rules engine did, applied to the controls of this cycle. */
  apply(controls: { readonly enforced: Controls; readonly observed?: Controls }, cycle: HardLimitCycle): { readonly enforced: Controls; readonly observed?: Controls; readonly stops: readonly HardStop[] } {
    const failure = cycle.evaluation?.failure;
    if (failure !== undefined) {
      this.fallbackCount++;
      this.logger.warn({ reason: failure, time: new Date(cycle.time).toISOString() }, `Orchestrator failed (${failure}): using SAFE FALLBACK policy`);
    }
    const config = cycle.config;
    if (!config.enable_orchestrator) return { ...controls, stops: [] };
    const stops = this.hardStops(cycle);
    const bounded = (c: Controls): Controls => this.bound(c, cycle, stops);
    const result = config.mode === 'OBSERVE'
      ? { enforced: controls.enforced, ...(controls.observed === undefined ? {} : { observed: bounded(controls.observed) }), stops }
      : { enforced: bounded(controls.enforced), stops };
    if (config.mode !== 'OBSERVE') this.noteGate(result.enforced, cycle, stops);
    return result;
  }

  private hardStops(cycle: HardLimitCycle): HardStop[] {
    const stops: HardStop[] = [];
    if (!cycle.config.use_for_trading_gate) return stops;
    if (cycle.state?.volatility === 'EXTREME') stops.push('EXTREME volatility');
    if (this.risk.drawdownLatch !== null) stops.push('daily drawdown circuit tripped');
    return stops;
  }

  private bound(controls: Controls, cycle: HardLimitCycle, stops: readonly HardStop[]): Controls {
    let gate = controls.gate_open;
    // With use_for_position_limits off, a gate closed only by the position-count / exposure rules is no gate.
    const policy = cycle.evaluation?.policy;
    if (!gate && policy !== undefined && cycle.config.use_for_trading_gate && !cycle.config.use_for_position_limits) {
      const closers = policy.decided_by.allow_new_trades;
      const limitRules = new Set(cycle.ruleSet.rules.filter((r) => r.spec.control === 'position_limits').map((r) => r.spec.name));
      if (!policy.allow_new_trades && closers.length > 0 && closers.every((name) => limitRules.has(name))) gate = true;
    }
    if (stops.length > 0) gate = false;
    return gate === controls.gate_open ? controls : { ...controls, gate_open: gate };
  }

  /** "TRADE SHUTDOWN ACTIVE" when the gate closes, and a line when it opens again; warm-up is no transition. */
  private noteGate(controls: Controls, cycle: HardLimitCycle, stops: readonly HardStop[]): void {
    const policy = cycle.evaluation?.policy;
    if (policy === undefined) return;
    const open = controls.gate_open;
    if (this.gateWasOpen !== false && !open) {
      // The policy's note says why when the rules closed the gate; otherwise this layer did.
      const why = policy.allow_new_trades ? stops.join('; ') : policy.note;
      this.logger.info({ time: new Date(cycle.time).toISOString(), reasons: why, decided_by: policy.decided_by.allow_new_trades }, `🚨 TRADE SHUTDOWN ACTIVE: ${why || 'gate closed'}`);
    } else if (this.gateWasOpen === false && open) {
      this.logger.info({ time: new Date(cycle.time).toISOString() }, 'trading gate OPEN again: new trades allowed');
    }
    this.gateWasOpen = open;
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** What the hard-limit layer makes of a state and its evaluation, for `explain`. */
export interface HardLimitSummary {
  readonly gate_open: boolean;
  readonly stops: readonly HardStop[];
  readonly fallback: boolean;
  readonly daily_dd_pct: number;
  readonly daily_dd_limit_pct: number;
  readonly daily_dd_latched: boolean;
  readonly daily_dd_latch: 'rest_of_day' | number;
  readonly exposure_basis: 'notional' | 'margin';
  readonly exposure_pct: number;
  readonly margin_pct: number;
  readonly max_symbol_exposure_pct: number;
  readonly max_total_exposure_pct: number;
}

/**
 * The hard limits as they apply to one state: the drawdown circuit and its latch, EXTREME volatility,
 * the exposure on the profile's basis with the margin in use beside it, and whether the policy is the
 * fallback. (Within a running process the latch also trips on the drawdown itself; a state given by hand
 * says it with risk.daily_dd_latched.)
 */
export function summarizeHardLimits(state: MarketState, evaluation: Evaluation, config: OrchestratorConfigDoc): HardLimitSummary {
  const profile = evaluation.profile;
  const basis = profile.limits.exposure_basis ?? 'notional';
  const latched = state.risk.daily_dd_latched === true || state.risk.daily_dd_pct <= profile.circuit_breakers.daily_dd_limit_pct;
  const stops: HardStop[] = [];
  if (config.enable_orchestrator && config.use_for_trading_gate) {
    if (state.volatility === 'EXTREME') stops.push('EXTREME volatility');
    if (latched) stops.push('daily drawdown circuit tripped');
  }
  const exposure = state.risk.exposure_pct;
  return {
    gate_open: evaluation.policy.allow_new_trades && stops.length === 0,
    stops,
    fallback: evaluation.failure !== undefined,
    daily_dd_pct: state.risk.daily_dd_pct,
    daily_dd_limit_pct: profile.circuit_breakers.daily_dd_limit_pct,
    daily_dd_latched: latched,
    daily_dd_latch: profile.circuit_breakers.daily_dd_latch ?? 'rest_of_day',
    exposure_basis: basis,
    exposure_pct: exposure,
    margin_pct: basis === 'notional' ? exposure / profile.sizing.leverage : exposure,
    max_symbol_exposure_pct: profile.limits.max_symbol_exposure_pct,
    max_total_exposure_pct: profile.limits.max_total_exposure_pct,
  };
}

export function renderHardLimits(s: HardLimitSummary): string {
  const latch = s.daily_dd_latch === 'rest_of_day' ? 'for the rest of the trading day' : `for ${s.daily_dd_latch} h`;
  return [
    'Hard limits (outside the rules engine):',
    `  daily drawdown   ${pct(s.daily_dd_pct)} (limit ${pct(s.daily_dd_limit_pct)}), circuit ${s.daily_dd_latched ? `LATCHED: no new trades ${latch}` : `not tripped (latches ${latch} once hit)`}`,
    `  exposure         ${pct(s.exposure_pct)} of equity on the ${s.exposure_basis} basis (caps ${pct(s.max_symbol_exposure_pct)} per symbol, ${pct(s.max_total_exposure_pct)} in total); margin in use ${pct(s.margin_pct)}`,
    `  policy           ${s.fallback ? 'FALLBACK (evaluation failed); the hard limits still hold' : 'evaluated by the rules'}`,
    `  gate             ${s.gate_open ? 'OPEN' : `CLOSED${s.stops.length > 0 ? ` (${s.stops.join('; ')})` : ' (by the rules)'}`}`,
  ].join('\n');
}
