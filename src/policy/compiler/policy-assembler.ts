import { intersect, moreDefensive, mostRestrictive } from '../combine.js';
import type { Facts } from '../facts.js';
import type { RiskProfileDoc, RuleSet } from '../rule-set.js';
import type { ExitMode, ExitParams, PolicyField, RiskStance, TradingPolicy } from '../trading-policy.js';
import type { CompiledRule, CompiledRules, FieldSetter } from './policy-rule.js';

/** A fired symbol-scope rule for one symbol, its note already rendered. */
export interface CompiledVerdict {
  readonly rule: CompiledRule;
  readonly symbol: string;
  readonly note: unknown;
}

/**
 * combine() (src/policy/combine.ts) over compiled rules: the same combinators, the same credits in
 * `decided_by`, the same notes, computed from which rules fired (`fired[rank]`) and each field's setters,
 * already in canonical order, so nothing is sorted and only the notes that are kept are rendered.
 * combine() stays the specification; the differential property test holds this to it.
 */
export class PolicyAssembler {
  private readonly exitParams: ReadonlyMap<unknown, ExitParams>;

  constructor(
    private readonly market: CompiledRules,
    private readonly ruleSet: RuleSet,
  ) {
    // What `const { description, ...exit_params } = modes[mode]` gives, worked out once per mode.
    this.exitParams = new Map(
      Object.entries(ruleSet.exitModes.modes).map(([mode, params]) => {
        const { description: _description, ...exit_params } = params;
        return [mode, exit_params];
      }),
    );
  }

  assemble(fired: Uint8Array, facts: Facts, verdicts: readonly CompiledVerdict[], profile: RiskProfileDoc): TradingPolicy {
    const setters = this.market.setters;
    const defaults = profile.static_policy;

    // Any closed gate closes.
    const gates: string[] = [];
    const closers: string[] = [];
    let firstGate: unknown;
    let firstCloser: unknown;
    for (const setter of setters.allow_new_trades) {
      if (!fired[setter.rule.rank]) continue;
      const value = setter.value(facts);
      if (value === undefined) continue;
      if (gates.length === 0) firstGate = value;
      gates.push(setter.rule.name);
      if (!value) {
        if (closers.length === 0) firstCloser = value;
        closers.push(setter.rule.name);
      }
    }
    const allow_new_trades = (closers.length > 0 ? firstCloser : gates.length > 0 ? firstGate : defaults.allow_new_trades) as boolean;

    // The most restrictive value wins; every rule asking for that value is credited.
    const minConfidence = best(setters.min_confidence, fired, facts, true);
    const maxRisk = best(setters.max_risk_pct, fired, facts, false);
    let risk_profile: RiskStance = defaults.risk_profile;
    let stances = 0;
    for (const setter of setters.risk_profile) {
      if (!fired[setter.rule.rank]) continue;
      const value = setter.value(facts) as RiskStance | undefined;
      if (value === undefined) continue;
      risk_profile = stances++ === 0 ? value : mostRestrictive(risk_profile, value);
    }

    // The highest priority decides; a tie goes to the more defensive mode.
    let exit_mode: ExitMode = defaults.exit_mode;
    let top: number | undefined;
    for (const setter of setters.exit_mode) {
      if (!fired[setter.rule.rank]) continue;
      const value = setter.value(facts) as ExitMode | undefined;
      if (value === undefined) continue;
      if (top === undefined) {
        top = setter.rule.priority;
        exit_mode = value;
      } else if (setter.rule.priority === top) {
        exit_mode = moreDefensive(exit_mode, value);
      } else {
        break;
      }
    }

    let disallowed: Set<string> | undefined;
    const disallowedBy: string[] = [];
    for (const setter of setters.disallowed_symbols) {
      if (!fired[setter.rule.rank]) continue;
      const symbols = setter.value(facts) as string[] | undefined;
      if (symbols === undefined) continue;
      disallowed ??= new Set();
      symbols.forEach((s) => disallowed!.add(s));
      disallowedBy.push(setter.rule.name);
    }
    const allowedBy: string[] = [];
    const allowLists: string[][] = [];
    for (const setter of setters.allowed_symbols) {
      if (!fired[setter.rule.rank]) continue;
      const symbols = setter.value(facts) as string[] | undefined;
      if (symbols === undefined || !(symbols.length > 0)) continue;
      allowedBy.push(setter.rule.name);
      allowLists.push(symbols);
    }
    const ordered = verdicts.length > 1 ? [...verdicts].sort(bySymbolThenImportance) : verdicts;
    if (ordered.length > 0) {
      const allowedBySymbolRules = ordered.filter((v) => v.rule.action === 'allow').map((v) => v.symbol);
      if (allowedBySymbolRules.length > 0) allowLists.push(allowedBySymbolRules);
      for (const v of ordered) {
        if (v.rule.action === 'block') (disallowed ??= new Set()).add(v.symbol);
        const field = v.rule.action === 'block' ? disallowedBy : allowedBy;
        if (!field.includes(v.rule.name)) field.push(v.rule.name);
      }
    }

    const decided: Record<PolicyField, string[]> = {
      allow_new_trades: closers.length > 0 ? closers : gates,
      min_confidence: credited(setters.min_confidence, fired, facts, minConfidence),
      max_risk_pct: credited(setters.max_risk_pct, fired, facts, maxRisk),
      allowed_symbols: allowedBy,
      disallowed_symbols: disallowedBy,
      exit_mode: top === undefined ? [] : credited(setters.exit_mode, fired, facts, exit_mode, top),
      risk_profile: stances === 0 ? [] : credited(setters.risk_profile, fired, facts, risk_profile),
      note: [],
    };
    const note = this.notes(fired, facts, ordered, decided);

    const exit_params = this.exitParams.get(exit_mode);
    return {
      allow_new_trades,
      min_confidence: minConfidence === NONE ? defaults.min_confidence : (minConfidence as number),
      max_risk_pct: maxRisk === NONE ? defaults.max_risk_pct : (maxRisk as number),
      allowed_symbols: allowLists.length === 0 ? [] : intersect(allowLists),
      disallowed_symbols: disallowed === undefined ? [] : [...disallowed].sort(),
      exit_mode,
      exit_params: exit_params === undefined ? exitParamsOf(this.ruleSet, exit_mode) : { ...exit_params },
      risk_profile,
      note,
      decided_by: decided,
      profile: profile.name,
      rule_set_version: this.ruleSet.version,
    };
  }

  /** A rule's note is kept when the rule decided something (or says nothing but the note). */
  private notes(fired: Uint8Array, facts: Facts, verdicts: readonly CompiledVerdict[], decided: Record<PolicyField, string[]>): string {
    let text = '';
    let count = 0;
    for (const rule of this.market.noted) {
      if (!fired[rule.rank] || !(rule.onlyNote || decidedAnything(decided, rule.name))) continue;
      const note = rule.note!(facts);
      if (!note) continue;
      text = count++ === 0 ? String(note) : `${text}; ${String(note)}`;
      decided.note.push(rule.name);
    }
    for (const v of verdicts) {
      if (!v.note) continue;
      text = count++ === 0 ? String(v.note) : `${text}; ${String(v.note)}`;
      if (!decided.note.includes(v.rule.name)) decided.note.push(v.rule.name);
    }
    return text;
  }
}

/** No rule set the field. */
const NONE = Symbol('none');

/** The highest (or lowest) value among the fired setters (the first one wins a tie), or NONE. */
function best(setters: readonly FieldSetter[], fired: Uint8Array, facts: Facts, highest: boolean): unknown {
  let found: unknown = NONE;
  for (const setter of setters) {
    if (!fired[setter.rule.rank]) continue;
    const value = setter.value(facts) as number;
    if (value === undefined) continue;
    // As combine()'s reduce: the first value is compared with itself too (an object value can throw).
    if (found === NONE) found = value;
    if (highest ? value > (found as number) : value < (found as number)) found = value;
  }
  return found;
}

/** The fired setters (of the given priority, if any) asking for exactly `value`. */
function credited(setters: readonly FieldSetter[], fired: Uint8Array, facts: Facts, value: unknown, priority?: number): string[] {
  const names: string[] = [];
  if (value === NONE) return names;
  for (const setter of setters) {
    if (!fired[setter.rule.rank] || (priority !== undefined && setter.rule.priority !== priority)) continue;
    const own = setter.value(facts);
    if (own !== undefined && own === value) names.push(setter.rule.name);
  }
  return names;
}

function decidedAnything(decided: Readonly<Record<PolicyField, readonly string[]>>, rule: string): boolean {
  return (
    decided.allow_new_trades.includes(rule) || decided.min_confidence.includes(rule) || decided.max_risk_pct.includes(rule) ||
    decided.allowed_symbols.includes(rule) || decided.disallowed_symbols.includes(rule) || decided.exit_mode.includes(rule) ||
    decided.risk_profile.includes(rule) || decided.note.includes(rule)
  );
}

function bySymbolThenImportance(a: CompiledVerdict, b: CompiledVerdict): number {
  return a.symbol.localeCompare(b.symbol) || a.rule.rank - b.rule.rank;
}

/** An exit mode missing from the table fails as combine() does. */
function exitParamsOf(ruleSet: RuleSet, mode: ExitMode): ExitParams {
  const { description: _description, ...exit_params } = ruleSet.exitModes.modes[mode];
  return exit_params;
}
