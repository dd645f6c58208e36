import { SCOPE_FACTS } from '../facts.js';
import type { LocatedRule, RiskProfileDoc, RuleSet } from '../rule-set.js';
import type { ExitMode, ExitParams, TradingPolicy } from '../trading-policy.js';
import type { MarketState } from '../../state/market-state.js';
import { assemblyCode } from './assembly-source.js';
import { marketRulesCode, ruleSources, symbolRulesCode } from './rule-source.js';
import { RUNTIME, RUNTIME_NAMES } from './runtime.js';
import { factLocal, SourceBuilder } from './source-builder.js';
import { unsupportedConstructs } from './support.js';

/** The policy rules the PolicyEngine evaluates: enabled market- and symbol-scope rules. */
export function policyRules(ruleSet: RuleSet): LocatedRule[] {
  return ruleSet.rules.filter((r) => r.spec.enabled !== false && r.scope !== 'classification');
}

type Evaluate = (state: MarketState, profile: RiskProfileDoc) => TradingPolicy;

/**
 * A rule set's market and symbol rules compiled, once per rule-set version, into one JavaScript function
 * (`new Function`): conditions become inline expressions, combine() straight-line code for the rule set's
 * own fields and setters (rule-source.ts, assembly-source.ts). Measured, this is what brings evaluation to
 * the speed of a hand-written function: closures per condition and a generic assembler spent most of the
 * time in calls and loops over setters. No value of the rule files is written into the source (see
 * SourceBuilder). `evaluate` returns the TradingPolicy json-rules-engine and combine() produce for the same
 * state, or throws where that path would fail (and possibly where it would not: the PolicyEngine then asks
 * json-rules-engine, so a failure is always the engine's own).
 */
export class CompiledPolicy {
  /** The generated source, for reading and debugging (`constants` hold what its `k` names stand for). */
  readonly source: string;
  readonly evaluate: Evaluate;

  private constructor(ruleSet: RuleSet, rules: readonly LocatedRule[]) {
    const b = new SourceBuilder();
    const market = ruleSources(b, rules.filter((r) => r.scope === 'market'), 'market');
    const symbol = ruleSources(b, rules.filter((r) => r.scope === 'symbol'), 'symbol');
    const symbols = factLocal('market', 'symbols')!;
    const code = [...marketRulesCode(market), ...symbolRulesCode(b, symbol, symbols), ...assemblyCode(b, market, ruleSet.version)];
    this.source = [
      '"use strict";',
      `const { ${RUNTIME_NAMES.join(', ')} } = H;`,
      b.constantBindings(),
      'return function evaluate(state, profile) {',
      b.tempDeclarations(),
      marketFactBindings(),
      b.hoistedDeclarations(),
      ...code,
      '};',
    ].join('\n');
    const factory = new Function('K', 'H', 'exitParams', this.source) as (k: readonly unknown[], h: typeof RUNTIME, e: (mode: ExitMode) => ExitParams) => Evaluate;
    this.evaluate = factory(b.constants, RUNTIME, exitParamsOf(ruleSet));
  }

  /** The compiled rule set, or why it cannot be compiled (json-rules-engine then evaluates it). */
  static compile(ruleSet: RuleSet): CompiledPolicy | { readonly unsupported: readonly string[] } {
    const rules = policyRules(ruleSet);
    const unsupported = unsupportedConstructs(rules);
    return unsupported.length > 0 ? { unsupported } : new CompiledPolicy(ruleSet, rules);
  }
}

/**
 * marketFacts() (src/policy/facts.ts) as locals: `symbols` defaults to an empty object. Symbol-scope rules
 * use the same locals (the market facts come first in SCOPE_FACTS.symbol too).
 */
function marketFactBindings(): string {
  const read: Readonly<Record<string, string>> = { regime: 'state.regime', volatility: 'state.volatility', risk: 'state.risk', symbols: 'state.symbols ?? {}', profile: 'profile' };
  return `const ${SCOPE_FACTS.market.map((fact) => {
    if (factLocal('symbol', fact) !== factLocal('market', fact) || !Object.hasOwn(read, fact)) throw new Error(`market fact ${fact} has no place in the compiled evaluation`);
    return `${factLocal('market', fact)!} = ${read[fact]!}`;
  }).join(', ')};`;
}

/** `const { description, ...exit_params } = modes[mode]` for a mode, each mode's worked out once. */
function exitParamsOf(ruleSet: RuleSet): (mode: ExitMode) => ExitParams {
  const known = new Map(
    Object.entries(ruleSet.exitModes.modes).map(([mode, params]) => {
      const { description: _description, ...exit_params } = params;
      return [mode, exit_params];
    }),
  );
  return (mode) => {
    const params = known.get(mode);
    if (params !== undefined) return { ...params };
    // A mode missing from the table fails as combine() does.
    const { description: _description, ...exit_params } = ruleSet.exitModes.modes[mode];
    return exit_params;
  };
}
