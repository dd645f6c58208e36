import type { RuleResult } from 'json-rules-engine';
import type { MarketState } from '../state/market-state.js';
import { combine, type Contribution, type SymbolVerdict } from './combine.js';
import { EnginePool } from './engine-pool.js';
import { marketFacts, resolvePath, symbolFacts, type Facts } from './facts.js';
import { renderNote } from './note-template.js';
import { isPolicyEvent, type LocatedRule, type RiskProfileDoc, type RuleSet } from './rule-set.js';
import type { PolicyParams, TradingPolicy } from './trading-policy.js';

/** A condition as json-rules-engine evaluated it: the fact's value, the compared value and the outcome. */
export interface ConditionTrace {
  readonly fact?: string;
  readonly path?: string;
  readonly operator?: string;
  readonly value?: unknown;
  readonly factResult?: unknown;
  readonly valueResult?: unknown;
  /** undefined when json-rules-engine did not need to evaluate it. */
  readonly result?: boolean;
  readonly all?: readonly ConditionTrace[];
  readonly any?: readonly ConditionTrace[];
  readonly not?: ConditionTrace;
}

export interface RuleTrace {
  readonly rule: string;
  readonly priority: number;
  readonly file: string;
  readonly line: number;
  /** Set for symbol-scope rules. */
  readonly symbol?: string;
  readonly fired: boolean;
  readonly conditions: ConditionTrace;
}

/**
 * The reference evaluation: the rules run by json-rules-engine (one engine for market rules, one for
 * per-symbol rules) and combined by combine(), with a trace of every rule. It powers `explain` and
 * decides whenever the compiled evaluator cannot; the compiled evaluator is held to its answers.
 */
export class ReferenceEvaluator {
  private readonly marketEngine: EnginePool;
  private readonly symbolEngine: EnginePool;
  private readonly rulesByName: ReadonlyMap<string, LocatedRule>;
  private readonly origins: ReadonlyMap<string, { readonly file: string; readonly line: number }>;
  private readonly hasSymbolRules: boolean;

  constructor(
    private readonly ruleSet: RuleSet,
    enabled: readonly LocatedRule[],
  ) {
    const options = { replaceFactsInEventParams: true, allowUndefinedFacts: false, pathResolver: resolvePath };
    this.marketEngine = new EnginePool(enabled.filter((r) => r.scope !== 'symbol').map((r) => r.spec), options);
    this.symbolEngine = new EnginePool(enabled.filter((r) => r.scope === 'symbol').map((r) => r.spec), options);
    this.rulesByName = new Map(enabled.map((r) => [r.spec.name, r]));
    this.origins = new Map(
      enabled.map((r) => [r.spec.name, { file: r.document.source.file, line: r.document.source.locate(['rules', r.index]).line }]),
    );
    this.hasSymbolRules = enabled.some((r) => r.scope === 'symbol');
  }

  /** The policy and the trace of every enabled rule, highest priority first. Throws when the rules fail. */
  async run(state: MarketState, profile: RiskProfileDoc): Promise<{ policy: TradingPolicy; trace: RuleTrace[] }> {
    const facts = marketFacts(state, profile);
    const market = await this.marketEngine.run(facts);
    const trace: RuleTrace[] = [];
    const contributions: Contribution[] = [];
    for (const result of [...market.results, ...market.failureResults]) {
      trace.push(this.traceOf(result));
      if (result.result) contributions.push(this.contribution(result, facts));
    }

    const verdicts: SymbolVerdict[] = [];
    if (this.hasSymbolRules) {
      const symbols = Object.entries(state.symbols ?? {});
      const runs = await Promise.all(
        symbols.map(async ([symbol, stats]) => {
          const scoped = symbolFacts(facts, symbol, stats);
          return { symbol, scoped, outcome: await this.symbolEngine.run(scoped) };
        }),
      );
      for (const { symbol, scoped, outcome } of runs) {
        for (const result of [...outcome.results, ...outcome.failureResults]) {
          trace.push(this.traceOf(result, symbol));
          if (!result.result) continue;
          const note = result.event?.params?.note as string | undefined;
          verdicts.push({
            rule: result.name,
            priority: result.priority ?? 1,
            symbol,
            action: result.event?.type === 'allow-symbol' ? 'allow' : 'block',
            ...(note ? { note: renderNote(note, scoped) } : {}),
          });
        }
      }
    }

    trace.sort((a, b) => b.priority - a.priority || a.rule.localeCompare(b.rule) || (a.symbol ?? '').localeCompare(b.symbol ?? ''));
    const combined = combine(contributions, verdicts, profile, this.ruleSet.exitModes);
    const policy: TradingPolicy = { ...combined, profile: profile.name, rule_set_version: this.ruleSet.version };
    return { policy, trace };
  }

  private contribution(result: RuleResult, facts: Facts): Contribution {
    const located = this.rulesByName.get(result.name);
    if (!located || !isPolicyEvent(located.spec.event)) throw new Error(`rule ${result.name} is not a policy rule`);
    const params = { ...(result.event?.params ?? {}) } as PolicyParams;
    if (typeof params.note === 'string') params.note = renderNote(params.note, facts);
    return { rule: result.name, priority: result.priority ?? 1, params };
  }

  private traceOf(result: RuleResult, symbol?: string): RuleTrace {
    const origin = this.origins.get(result.name) ?? { file: '-', line: 0 };
    return {
      rule: result.name,
      priority: result.priority ?? 1,
      file: origin.file,
      line: origin.line,
      ...(symbol !== undefined ? { symbol } : {}),
      fired: Boolean(result.result),
      conditions: result.conditions as unknown as ConditionTrace,
    };
  }
}
