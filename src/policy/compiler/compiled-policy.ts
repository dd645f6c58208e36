import { marketFacts, type Facts } from '../facts.js';
import type { LocatedRule, RiskProfileDoc, RuleSet } from '../rule-set.js';
import type { TradingPolicy } from '../trading-policy.js';
import type { MarketState } from '../../state/market-state.js';
import { PolicyAssembler, type CompiledVerdict } from './policy-assembler.js';
import { compileRules, type CompiledRule } from './policy-rule.js';
import { unsupportedConstructs } from './support.js';
import { SymbolFacts } from './symbol-facts.js';

/** The policy rules the PolicyEngine evaluates: enabled market- and symbol-scope rules. */
export function policyRules(ruleSet: RuleSet): LocatedRule[] {
  return ruleSet.rules.filter((r) => r.spec.enabled !== false && r.scope !== 'classification');
}

/**
 * A rule set's market and symbol rules compiled into closures, once per rule-set version. `evaluate`
 * returns the TradingPolicy json-rules-engine and combine() produce for the same state, or throws where
 * that path would fail (and possibly where it would not: the PolicyEngine then asks json-rules-engine, so
 * a failure is always the engine's own).
 */
export class CompiledPolicy {
  private readonly market: readonly CompiledRule[];
  private readonly symbol: readonly CompiledRule[];
  private readonly assembler: PolicyAssembler;
  /** Which market rules fired in the evaluation under way (by rank); evaluation is synchronous. */
  private readonly fired: Uint8Array;

  private constructor(ruleSet: RuleSet, rules: readonly LocatedRule[]) {
    const market = compileRules(rules.filter((r) => r.scope === 'market'), 'market');
    this.market = market.rules;
    this.symbol = compileRules(rules.filter((r) => r.scope === 'symbol'), 'symbol').rules;
    this.assembler = new PolicyAssembler(market, ruleSet);
    this.fired = new Uint8Array(this.market.length);
  }

  /** The compiled rule set, or why it cannot be compiled (json-rules-engine then evaluates it). */
  static compile(ruleSet: RuleSet): CompiledPolicy | { readonly unsupported: readonly string[] } {
    const rules = policyRules(ruleSet);
    const unsupported = unsupportedConstructs(rules);
    return unsupported.length > 0 ? { unsupported } : new CompiledPolicy(ruleSet, rules);
  }

  evaluate(state: MarketState, profile: RiskProfileDoc): TradingPolicy {
    const facts = marketFacts(state, profile);
    const fired = this.fired;
    for (const rule of this.market) {
      fired[rule.rank] = rule.test(facts) ? 1 : 0;
      rule.resolveParams?.(facts);
    }
    const verdicts = this.symbol.length > 0 ? this.verdicts(facts) : NO_VERDICTS;
    return this.assembler.assemble(fired, facts, verdicts, profile);
  }

  private verdicts(market: Facts): CompiledVerdict[] {
    const verdicts: CompiledVerdict[] = [];
    const symbols = market.symbols as NonNullable<MarketState['symbols']>;
    // One object for every symbol in turn: nothing keeps it past the symbol's turn (params and notes are
    // resolved on the spot).
    const scoped = new SymbolFacts(market);
    const facts = scoped as unknown as Facts;
    for (const symbol of Object.keys(symbols)) {
      scoped.next(symbol, symbols[symbol]);
      for (const rule of this.symbol) {
        const fires = rule.test(facts);
        rule.resolveParams?.(facts);
        if (!fires) continue;
        const note = rule.note?.(facts);
        // The engine path renders whatever truthy note it finds, and fails on one that is not text.
        if (note && typeof note !== 'string') throw new TypeError(`rule ${rule.name}: the note is not text`);
        verdicts.push({ rule, symbol, note });
      }
    }
    return verdicts;
  }
}

const NO_VERDICTS: readonly CompiledVerdict[] = [];
