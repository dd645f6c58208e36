import { concatMap, scan, type OperatorFunction } from 'rxjs';
import type { Logger } from '../logger.js';
import type { MarketState } from '../state/market-state.js';
import type { Evaluation } from './policy-engine.js';
import type { Evaluated } from './policy-stage.js';
import type { TradingPolicy } from './trading-policy.js';

/** One evaluation of the policy over one market state, and whether it changed the policy in force. */
export interface PolicyDecision {
  readonly state: MarketState;
  readonly evaluation: Evaluation;
  readonly policy: TradingPolicy;
  readonly previous: TradingPolicy | undefined;
  /** Fields whose value differs from the previous decision (the note is not compared: it quotes live values). */
  readonly changed: readonly (keyof TradingPolicy)[];
}

const COMPARED: readonly (keyof TradingPolicy)[] = [
  'allow_new_trades', 'min_confidence', 'max_risk_pct', 'allowed_symbols', 'disallowed_symbols',
  'exit_mode', 'risk_profile', 'profile', 'rule_set_version',
];

/**
 * Turns the policy stage's assessments into decisions and logs transitions once: a `policy changed`
 * event with old and new values and the deciding rules, and the design's "TRADE SHUTDOWN ACTIVE" warning
 * when the gate closes ("trading gate re-opened" when it opens again), never once per cycle.
 */
export function policyDecisions(logger: Logger): OperatorFunction<Evaluated, PolicyDecision> {
  return (evaluated$) =>
    evaluated$.pipe(
      scan<Evaluated, PolicyDecision | undefined>((last, { state, evaluation }) => {
        const policy = evaluation.policy;
        const previous = last?.policy;
        const changed = previous ? COMPARED.filter((f) => JSON.stringify(previous[f]) !== JSON.stringify(policy[f])) : [...COMPARED];
        if (evaluation.failure && (!previous || previous.risk_profile !== 'FALLBACK')) {
          logger.error({ time: state.timestamp, failure: evaluation.failure }, 'policy evaluation failed: SAFE FALLBACK policy in force');
        }
        if (changed.length > 0) logTransition(logger, state, policy, previous, changed);
        return { state, evaluation, policy, previous, changed };
      }, undefined),
      // scan's seed is never emitted; every emission is a decision.
      concatMap((decision) => (decision ? [decision] : [])),
    );
}

function logTransition(
  logger: Logger,
  state: MarketState,
  policy: TradingPolicy,
  previous: TradingPolicy | undefined,
  changed: readonly (keyof TradingPolicy)[],
): void {
  const pick = (p: TradingPolicy | undefined) => (p ? Object.fromEntries(changed.map((f) => [f, p[f]])) : undefined);
  const deciders = Object.fromEntries(changed.filter((f) => f in policy.decided_by).map((f) => [f, policy.decided_by[f as keyof TradingPolicy['decided_by']]]));
  logger.info(
    {
      time: state.timestamp,
      regime: state.regime,
      volatility: state.volatility,
      old: pick(previous),
      new: pick(policy),
      decided_by: deciders,
      rule_set_version: policy.rule_set_version,
      note: policy.note,
    },
    previous ? 'policy changed' : 'policy initial',
  );
  const wasOpen = previous ? previous.allow_new_trades : true;
  if (wasOpen && !policy.allow_new_trades) {
    logger.warn({ time: state.timestamp, note: policy.note, decided_by: policy.decided_by.allow_new_trades }, 'TRADE SHUTDOWN ACTIVE: no new trades, open positions still managed');
  } else if (previous && !previous.allow_new_trades && policy.allow_new_trades) {
    logger.info({ time: state.timestamp }, 'trading gate re-opened');
  }
}
