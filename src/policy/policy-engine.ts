import { InputError } from '../config/problem.js';
import type { Logger } from '../logger.js';
import type { MarketState } from '../state/market-state.js';
import { CompiledPolicy, policyRules } from './compiler/compiled-policy.js';
import { ReferenceEvaluator, type RuleTrace } from './reference-evaluator.js';
import type { RiskProfileDoc, RuleSet } from './rule-set.js';
import type { TradingPolicy } from './trading-policy.js';

export type { ConditionTrace, RuleTrace } from './reference-evaluator.js';

export interface Evaluation {
  readonly policy: TradingPolicy;
  readonly profile: RiskProfileDoc;
  /** Set when evaluation failed and the fallback policy was produced. */
  readonly failure?: string;
}

/** An evaluation by json-rules-engine, with how each rule was evaluated (for `explain` and policy tests). */
export interface Explanation extends Evaluation {
  /** Every enabled rule, fired or not, highest priority first. */
  readonly trace: readonly RuleTrace[];
}

/** Which evaluator decides: the rule compiler's generated function (the default) or json-rules-engine itself. */
export type EvaluatorKind = 'compiled' | 'json-rules-engine';

export interface PolicyEngineOptions {
  readonly evaluator?: EvaluatorKind;
  /** Told when the rule set cannot be compiled, and of any disagreement with json-rules-engine. */
  readonly logger?: Logger;
}

/**
 * Evaluates market states against a validated rule set. The rules are compiled into one function once
 * (src/policy/compiler/); json-rules-engine stays the reference: it explains, and it decides whenever the
 * compiled evaluator cannot (a rule set the compiler does not support, or an evaluation that fails, so
 * that the failure and the fallback policy are always the engine's own). Immutable: hot reload builds a
 * new engine and swaps it.
 */
export class PolicyEngine {
  readonly ruleSet: RuleSet;
  /** The evaluator `evaluate` uses. */
  readonly evaluator: EvaluatorKind;
  /** Why the rule set could not be compiled (empty when it was, or when not asked to). */
  readonly unsupported: readonly string[];
  private readonly reference: ReferenceEvaluator;
  private readonly compiled: CompiledPolicy | undefined;
  private readonly logger: Logger | undefined;

  constructor(ruleSet: RuleSet, options: PolicyEngineOptions = {}) {
    this.ruleSet = ruleSet;
    this.logger = options.logger;
    this.reference = new ReferenceEvaluator(ruleSet, policyRules(ruleSet));
    const compiled = options.evaluator === 'json-rules-engine' ? undefined : CompiledPolicy.compile(ruleSet);
    this.compiled = compiled instanceof CompiledPolicy ? compiled : undefined;
    this.unsupported = compiled !== undefined && !(compiled instanceof CompiledPolicy) ? compiled.unsupported : [];
    this.evaluator = this.compiled ? 'compiled' : 'json-rules-engine';
    if (this.unsupported.length > 0) {
      this.logger?.warn({ rule_set_version: ruleSet.version, unsupported: this.unsupported }, 'rule set not compiled: json-rules-engine evaluates it');
    }
  }

  get version(): string {
    return this.ruleSet.version;
  }

  /** The profile for a name (case-insensitive), or the rule set's active profile. */
  profile(name?: string): RiskProfileDoc {
    const wanted = (name ?? this.ruleSet.activeProfile).toUpperCase();
    const profile = this.ruleSet.profiles.get(wanted);
    if (!profile) {
      throw new InputError(`unknown profile '${name ?? wanted}' (available: ${[...this.ruleSet.profiles.keys()].join(', ')})`);
    }
    return profile;
  }

  /**
   * Evaluates the rules over a state. Never throws for a failure inside the rules: the rule set's fallback
   * policy is returned instead, with the reason in `failure` and in the note (the design's safety net).
   */
  async evaluate(state: MarketState, profileName?: string): Promise<Evaluation> {
    const profile = this.profile(profileName);
    if (this.compiled) {
      try {
        return { policy: this.compiled.evaluate(state, profile), profile };
      } catch (error) {
        // json-rules-engine decides: the same failure, with its own message, or (a compiler defect) a policy.
        const explained = await this.explainWith(state, profile);
        if (!explained.failure) this.logger?.error({ error: String(error), rule_set_version: this.version }, 'compiled evaluator failed where json-rules-engine did not');
        return { policy: explained.policy, profile, ...(explained.failure !== undefined ? { failure: explained.failure } : {}) };
      }
    }
    const { trace: _trace, ...evaluation } = await this.explainWith(state, profile);
    return evaluation;
  }

  /** Evaluates through json-rules-engine, with the trace of every rule (`explain`, policy tests, coverage). */
  async explain(state: MarketState, profileName?: string): Promise<Explanation> {
    return this.explainWith(state, this.profile(profileName));
  }

  /** The rule set's fallback policy, reported with stance FALLBACK. */
  fallback(profile: RiskProfileDoc, reason: string): TradingPolicy {
    const { note, ...fields } = this.ruleSet.manifest.fallback;
    const { description: _d, ...exit_params } = this.ruleSet.exitModes.modes[fields.exit_mode];
    return {
      ...fields,
      allowed_symbols: [...fields.allowed_symbols],
      disallowed_symbols: [...fields.disallowed_symbols],
      exit_params,
      risk_profile: 'FALLBACK',
      note: `${note} (${reason})`,
      profile: profile.name,
      rule_set_version: this.ruleSet.version,
      decided_by: {
        allow_new_trades: [], min_confidence: [], max_risk_pct: [], allowed_symbols: [],
        disallowed_symbols: [], exit_mode: [], risk_profile: [], note: [],
      },
    };
  }

  private async explainWith(state: MarketState, profile: RiskProfileDoc): Promise<Explanation> {
    try {
      const { policy, trace } = await this.reference.run(state, profile);
      return { policy, profile, trace };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { policy: this.fallback(profile, reason), profile, trace: [], failure: reason };
    }
  }
}
