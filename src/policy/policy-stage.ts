import { concatMap, type OperatorFunction } from 'rxjs';
import type { AccountEvent } from '../state/account-events.js';
import type { MarketStateBuilder } from '../state/market-state-builder.js';
import type { MarketInstant } from '../state/market-state-stream.js';
import type { MarketState } from '../state/market-state.js';
import type { Evaluation, PolicyEngine } from './policy-engine.js';

/** The market state after an instant, and the policy evaluated over it. */
export interface Assessment {
  /** Undefined while the reference symbol's indicators warm up. */
  readonly state?: MarketState;
  /** Undefined without a state, or when the stage does not evaluate (the orchestrator is off). */
  readonly evaluation?: Evaluation;
}

/** An assessment with both parts: what the policy stream carries. */
export type Evaluated = Assessment & { readonly state: MarketState; readonly evaluation: Evaluation };

export interface PolicyStageOptions {
  /** Profile to evaluate under; default: the rule set's active profile (so a switch applies live). */
  readonly profile?: string;
  /** Told about each account event the risk tracker refused (stale, malformed), which is then skipped. */
  readonly onRejected?: (event: AccountEvent, reason: string) => void;
  /** Whether to evaluate the policy at all, asked every time (the executor: only with the orchestrator on); default yes. */
  readonly evaluates?: () => boolean;
  /**
   * Runs once the instant is folded in and before the state is read: a circuit breaker that latches on
   * the risk just formed (the executor's daily-drawdown circuit), so the state evaluated shows the latch.
   */
  readonly beforeEvaluation?: (time: number) => void;
}

/**
 * The pipeline's state → policy stage, one code path for `watch` and the trading sessions: an instant's
 * candles go into the market state first, then its account events (so an equity mark at a close is
 * judged against that close's classes), then the policy is evaluated over the state with the rule set
 * in force at that moment (`source.engine` is read each time, so a hot reload applies from the next
 * instant on).
 */
export class PolicyStage {
  constructor(
    readonly builder: MarketStateBuilder,
    private readonly source: { readonly engine: PolicyEngine },
    private readonly options: PolicyStageOptions = {},
  ) {}

  /** Folds one instant into the market state and evaluates the policy over the result. */
  async run(instant: MarketInstant): Promise<Assessment> {
    if (instant.candles.length > 0) await this.builder.onCandles(instant.candles);
    for (const event of instant.events) {
      const result = this.builder.onAccount(event);
      if (!result.ok) this.options.onRejected?.(event, result.reason);
    }
    this.options.beforeEvaluation?.(instant.time);
    return this.assess();
  }

  /** The policy over the state as it is now (after a reload, at a start-up), without new input. */
  async assess(): Promise<Assessment> {
    const state = this.builder.state();
    if (state === undefined) return {};
    if (!(this.options.evaluates?.() ?? true)) return { state };
    return { state, evaluation: await this.source.engine.evaluate(state, this.options.profile) };
  }
}

/**
 * The stage as an RxJS operator over instants: one assessment per instant once the market has been
 * classified (nothing comes out while the reference symbol's indicators warm up).
 */
export function assessments(stage: PolicyStage): OperatorFunction<MarketInstant, Evaluated> {
  return (instants$) =>
    instants$.pipe(
      concatMap(async (instant) => {
        const assessment = await stage.run(instant);
        return assessment.state !== undefined && assessment.evaluation !== undefined ? [assessment as Evaluated] : [];
      }),
      concatMap((evaluated) => evaluated),
    );
}
