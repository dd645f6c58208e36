import type { ExitModesDoc, RiskProfileDoc } from './rule-set.js';
import {
  EXIT_MODES,
  RISK_STANCES,
  type ExitMode,
  type PolicyField,
  type PolicyParams,
  type RiskStance,
  type TradingPolicy,
} from './trading-policy.js';

/** What one fired market rule asks for, after fact references and note placeholders are resolved. */
export interface Contribution {
  readonly rule: string;
  readonly priority: number;
  readonly params: PolicyParams;
}

/** What one fired symbol rule says about one symbol. */
export interface SymbolVerdict {
  readonly rule: string;
  readonly priority: number;
  readonly symbol: string;
  readonly action: 'block' | 'allow';
  readonly note?: string;
}

export type CombinedPolicy = Omit<TradingPolicy, 'profile' | 'rule_set_version'>;

/**
 * Combines the outcomes of all fired rules into one policy. Each field has one documented combinator
 * (see schemas/trading-policy.schema.json); inputs are put in a canonical order first, so the result
 * never depends on the order of files or rules.
 */
export function combine(
  contributions: readonly Contribution[],
  verdicts: readonly SymbolVerdict[],
  profile: RiskProfileDoc,
  exitModes: ExitModesDoc,
): CombinedPolicy {
  const ordered = [...contributions].sort(byImportance);
  const defaults = profile.static_policy;
  const decided: Record<PolicyField, string[]> = {
    allow_new_trades: [],
    min_confidence: [],
    max_risk_pct: [],
    allowed_symbols: [],
    disallowed_symbols: [],
    exit_mode: [],
    risk_profile: [],
    note: [],
  };
  const setters = <K extends keyof PolicyParams>(field: K) =>
    ordered.filter((c) => c.params[field] !== undefined) as (Contribution & { params: Required<Pick<PolicyParams, K>> })[];

  // Any closed gate closes.
  const gates = setters('allow_new_trades');
  const closers = gates.filter((c) => !c.params.allow_new_trades);
  const gateDeciders = closers.length > 0 ? closers : gates;
  const allow_new_trades = gateDeciders.length > 0 ? gateDeciders[0]!.params.allow_new_trades : defaults.allow_new_trades;
  decided.allow_new_trades = names(gateDeciders);

  // The most restrictive value wins; every rule asking for that value is credited.
  const pick = <K extends 'min_confidence' | 'max_risk_pct'>(field: K, better: (a: number, b: number) => boolean) => {
    const candidates = setters(field);
    if (candidates.length === 0) return defaults[field];
    const best = candidates.reduce((acc, c) => (better(c.params[field] as number, acc) ? (c.params[field] as number) : acc), candidates[0]!.params[field] as number);
    decided[field] = names(candidates.filter((c) => c.params[field] === best));
    return best;
  };
  const min_confidence = pick('min_confidence', (a, b) => a > b);
  const max_risk_pct = pick('max_risk_pct', (a, b) => a < b);

  const stances = setters('risk_profile');
  let risk_profile: RiskStance = defaults.risk_profile;
  if (stances.length > 0) {
    risk_profile = stances.map((c) => c.params.risk_profile as RiskStance).reduce(mostRestrictive);
    decided.risk_profile = names(stances.filter((c) => c.params.risk_profile === risk_profile));
  }

  // The highest priority decides; a tie goes to the more defensive mode.
  const exits = setters('exit_mode');
  let exit_mode: ExitMode = defaults.exit_mode;
  if (exits.length > 0) {
    const top = exits[0]!.priority;
    const tied = exits.filter((c) => c.priority === top);
    exit_mode = tied.map((c) => c.params.exit_mode as ExitMode).reduce(moreDefensive);
    decided.exit_mode = names(tied.filter((c) => c.params.exit_mode === exit_mode));
  }

  const disallowed = new Set<string>();
  for (const c of setters('disallowed_symbols')) {
    (c.params.disallowed_symbols as string[]).forEach((s) => disallowed.add(s));
    decided.disallowed_symbols.push(c.rule);
  }
  const allowLists: string[][] = setters('allowed_symbols')
    .filter((c) => (c.params.allowed_symbols as string[]).length > 0)
    .map((c) => {
      decided.allowed_symbols.push(c.rule);
      return c.params.allowed_symbols as string[];
    });
  const orderedVerdicts = [...verdicts].sort(
    (a, b) => a.symbol.localeCompare(b.symbol) || byImportance(a, b),
  );
  const allowedBySymbolRules = orderedVerdicts.filter((v) => v.action === 'allow');
  if (allowedBySymbolRules.length > 0) allowLists.push(allowedBySymbolRules.map((v) => v.symbol));
  for (const v of orderedVerdicts) {
    if (v.action === 'block') disallowed.add(v.symbol);
    const field = v.action === 'block' ? decided.disallowed_symbols : decided.allowed_symbols;
    if (!field.includes(v.rule)) field.push(v.rule);
  }
  const allowed_symbols = allowLists.length === 0 ? [] : intersect(allowLists);

  // A rule's note is kept when the rule decided something (or says nothing but the note): the note of a
  // rule overruled on every field would explain a policy that is not in force.
  const deciders = new Set(Object.values(decided).flat());
  const speaks = (c: Contribution) => deciders.has(c.rule) || Object.keys(c.params).every((k) => k === 'note');
  const notes = [
    ...ordered.filter((c) => c.params.note && speaks(c)).map((c) => ({ rule: c.rule, note: c.params.note! })),
    ...orderedVerdicts.filter((v) => v.note).map((v) => ({ rule: v.rule, note: v.note! })),
  ];
  decided.note = [...new Set(notes.map((n) => n.rule))];

  const { description: _description, ...exit_params } = exitModes.modes[exit_mode];
  return {
    allow_new_trades,
    min_confidence,
    max_risk_pct,
    allowed_symbols,
    disallowed_symbols: [...disallowed].sort(),
    exit_mode,
    exit_params,
    risk_profile,
    note: notes.map((n) => n.note).join('; '),
    decided_by: decided,
  };
}

function byImportance(a: { priority: number; rule: string }, b: { priority: number; rule: string }): number {
  return b.priority - a.priority || a.rule.localeCompare(b.rule);
}

function names(list: readonly { rule: string }[]): string[] {
  return list.map((c) => c.rule);
}

export function mostRestrictive(a: RiskStance, b: RiskStance): RiskStance {
  return RISK_STANCES.indexOf(a) <= RISK_STANCES.indexOf(b) ? a : b;
}

export function moreDefensive(a: ExitMode, b: ExitMode): ExitMode {
  return EXIT_MODES.indexOf(a) >= EXIT_MODES.indexOf(b) ? a : b;
}

/** The symbols in every list, sorted. */
export function intersect(lists: readonly string[][]): string[] {
  const [first = [], ...rest] = lists;
  return [...new Set(first)].filter((s) => rest.every((l) => l.includes(s))).sort();
}
