import { Classifier } from '../classification/classifier.js';
import type { MarketState } from '../../state/market-state.js';
import { marketFacts, symbolFacts } from '../facts.js';
import type { PolicyEngine } from '../policy-engine.js';
import type { Classified, LocatedRule, Scope } from '../rule-set.js';
import { same } from './expectation.js';
import { completeFeatures, completeState, neutralSymbol } from './neutral-state.js';
import { assignments, checkSize, stateSpace, type Dimension, type StateSpace } from './state-space.js';

export type Subspace = 'market' | 'symbol' | 'classification';

/**
 * The policy fields `diff` compares in market states. The note is left out: its text quotes the state and
 * follows from which rules decide, so it would repeat every other difference once per value; edited note
 * texts are reported with the settings.
 */
export const MARKET_FIELDS = [
  'allow_new_trades', 'min_confidence', 'max_risk_pct', 'risk_profile', 'exit_mode', 'exit_params',
  'allowed_symbols', 'disallowed_symbols',
] as const;
/** In per-symbol states only what the symbol rules decide is compared (the market part is compared above). */
export const SYMBOL_FIELDS = ['allowed_symbols', 'disallowed_symbols'] as const;

/** The symbol per-symbol states are evaluated with; any name would do. */
export const PROBE_SYMBOL = 'ANYUSDT';

export interface DifferingState {
  readonly indices: readonly number[];
  /** The market state (or, for classification, the indicators) both sides evaluated. */
  readonly state: Readonly<Record<string, unknown>>;
  readonly fields: Readonly<Record<string, { readonly a: unknown; readonly b: unknown }>>;
}

export interface Comparison {
  /** Profile (or `A → B` profiles) for policy subspaces; the classified quantity for classification. */
  readonly title: string;
  readonly subspace: Subspace;
  readonly space: StateSpace;
  readonly differing: readonly DifferingState[];
  /** Both sides evaluate this subspace from identical rules and settings, so it was not enumerated. */
  readonly identical: boolean;
}

export interface DiffInput {
  readonly a: PolicyEngine;
  readonly b: PolicyEngine;
  /** Profiles compared: the same name on both sides (`--vs-rules`), or two names (`--vs-profile`). */
  readonly profiles: readonly { readonly a: string; readonly b: string }[];
  /** Whether the classification rules are compared too (they do not depend on the profile). */
  readonly classification: boolean;
}

/** Evaluates both sides over the whole state space of each subspace and keeps the states that differ. */
export async function comparePolicies(input: DiffInput): Promise<Comparison[]> {
  const { a, b } = input;
  const rules = (scope: Scope, ...engines: PolicyEngine[]) =>
    (engines.length > 0 ? engines : [a, b]).flatMap((e) => e.ruleSet.rules).filter((r) => r.scope === scope && r.spec.enabled !== false);
  type Plan = { title: string; subspace: Subspace; space: StateSpace; identical: boolean; run: (space: StateSpace) => Promise<DifferingState[]> };
  const plans: Plan[] = [];
  // Everything a policy evaluation reads besides the state: equal inputs give equal policies. Symbol rules
  // matter to market states only when those name a symbol (`symbols.BTCUSDT.win_rate`).
  const policyInputs = (engine: PolicyEngine, profile: string, withSymbolRules: boolean) =>
    canonical([
      byName(rules('market', engine)),
      withSymbolRules ? byName(rules('symbol', engine)) : [],
      engine.ruleSet.exitModes.modes,
      engine.ruleSet.manifest.fallback,
      engine.profile(profile),
    ]);
  const unchanged = (pair: { a: string; b: string }, withSymbolRules: boolean) =>
    policyInputs(a, pair.a, withSymbolRules) === policyInputs(b, pair.b, withSymbolRules);
  for (const pair of input.profiles) {
    const profiles = [a.profile(pair.a), b.profile(pair.b)];
    const title = pair.a === pair.b ? pair.a : `${pair.a} → ${pair.b}`;
    const neutral = completeState() as unknown as MarketState;
    const facts = marketFacts(neutral, profiles[0]!);
    const market = stateSpace({ rules: rules('market'), scope: 'market', always: ['regime', 'volatility'], profiles, neutral: facts });
    const namesSymbols = market.dimensions.some((d) => d.fact === 'symbols');
    plans.push({ title, subspace: 'market', space: market, identical: unchanged(pair, namesSymbols), run: (space) => marketDiff(input, pair, space) });
    if (rules('symbol').length > 0) {
      const symbolNeutral = symbolFacts(facts, PROBE_SYMBOL, neutralSymbol() as never);
      const symbol = stateSpace({ rules: rules('symbol'), scope: 'symbol', profiles, neutral: symbolNeutral });
      plans.push({ title, subspace: 'symbol', space: symbol, identical: unchanged(pair, true), run: (space) => symbolDiff(input, pair, space) });
    }
  }
  if (input.classification) {
    for (const what of ['volatility', 'regime'] as const) {
      const classifying = (...engines: PolicyEngine[]) => rules('classification', ...engines).filter((r) => classifies(r) === what);
      const space = stateSpace({ rules: classifying(), scope: 'classification', profiles: [], neutral: { features: completeFeatures() } });
      const inputs = (engine: PolicyEngine) => canonical([byName(classifying(engine)), engine.ruleSet.classification[what].default]);
      plans.push({ title: what, subspace: 'classification', space, identical: inputs(a) === inputs(b), run: (s) => classificationDiff(input, what, s) });
    }
  }
  checkSize(plans.reduce((n, p) => n + (p.identical ? 0 : p.space.size), 0) * 2, 'the comparison');
  const out: Comparison[] = [];
  for (const plan of plans) {
    const differing = plan.identical ? [] : await plan.run(plan.space);
    out.push({ title: plan.title, subspace: plan.subspace, space: plan.space, differing, identical: plan.identical });
  }
  return out;
}

function byName(rules: readonly LocatedRule[]): LocatedRule[] {
  return [...rules].sort((x, y) => x.spec.name.localeCompare(y.spec.name));
}

/** Rules (without where they were written) and settings as one comparable text. */
function canonical(parts: readonly unknown[]): string {
  return JSON.stringify(parts, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && 'spec' in value && 'document' in value ? (value as LocatedRule).spec : value,
  );
}

async function marketDiff(input: DiffInput, pair: { a: string; b: string }, space: StateSpace): Promise<DifferingState[]> {
  const out: DifferingState[] = [];
  for (const indices of assignments(space)) {
    const state = assign(completeState(), space.dimensions, indices);
    const market = state as unknown as MarketState;
    const [pa, pb] = await Promise.all([input.a.evaluate(market, pair.a), input.b.evaluate(market, pair.b)]);
    const fields = differences(MARKET_FIELDS, pa.policy, pb.policy);
    if (fields) out.push({ indices, state, fields });
  }
  return out;
}

async function symbolDiff(input: DiffInput, pair: { a: string; b: string }, space: StateSpace): Promise<DifferingState[]> {
  const out: DifferingState[] = [];
  for (const indices of assignments(space)) {
    const state = assign({ ...completeState(), symbols: { [PROBE_SYMBOL]: neutralSymbol() } }, space.dimensions, indices);
    const withSymbol = state as unknown as MarketState;
    const [pa, pb] = await Promise.all([input.a.evaluate(withSymbol, pair.a), input.b.evaluate(withSymbol, pair.b)]);
    const fields = differences(SYMBOL_FIELDS, pa.policy, pb.policy);
    if (fields) out.push({ indices, state, fields });
  }
  return out;
}

async function classificationDiff(input: DiffInput, what: Classified, space: StateSpace): Promise<DifferingState[]> {
  const [ca, cb] = [new Classifier(input.a.ruleSet), new Classifier(input.b.ruleSet)];
  const out: DifferingState[] = [];
  for (const indices of assignments(space)) {
    const { features } = assign({ features: completeFeatures() }, space.dimensions, indices) as { features: Record<string, unknown> };
    const [ra, rb] = await Promise.all([ca.classify(features), cb.classify(features)]);
    if (ra[what] !== rb[what]) out.push({ indices, state: features, fields: { [what]: { a: ra[what], b: rb[what] } } });
  }
  return out;
}

function differences(fields: readonly string[], a: object, b: object): DifferingState['fields'] | undefined {
  const out: Record<string, { a: unknown; b: unknown }> = {};
  for (const field of fields) {
    const [va, vb] = [(a as Record<string, unknown>)[field], (b as Record<string, unknown>)[field]];
    if (!same(va, vb)) out[field] = { a: va, b: vb };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Sets each dimension's value in a state (`symbol` facts go to the probe symbol's record). */
function assign(root: Record<string, unknown>, dimensions: readonly Dimension[], indices: readonly number[]): Record<string, unknown> {
  dimensions.forEach((d, i) => {
    const value = d.values[indices[i]!];
    if (d.fact === 'symbol') {
      const symbols = root.symbols as Record<string, Record<string, unknown>>;
      if (d.path === '$.name') {
        const [current] = Object.keys(symbols);
        if (current !== String(value)) {
          symbols[String(value)] = symbols[current!]!;
          delete symbols[current!];
        }
      } else setPath(symbols, [Object.keys(symbols)[0]!, ...parts(d.path)], value);
    } else if (d.path === undefined) {
      root[d.fact] = value;
    } else {
      setPath(root, [d.fact, ...parts(d.path)], value);
    }
  });
  return root;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((part, depth) => {
    if (node[part] === undefined || node[part] === null || typeof node[part] !== 'object') {
      // A symbol named by a market rule (`symbols.BTCUSDT.win_rate`) starts as a neutral record.
      node[part] = depth === 1 && path[0] === 'symbols' ? neutralSymbol() : {};
    }
    node = node[part] as Record<string, unknown>;
  });
  node[path[path.length - 1]!] = value;
}

function parts(path: string | undefined): string[] {
  return (path ?? '$').replace(/^\$\.?/, '').split('.').filter(Boolean);
}

function classifies(rule: LocatedRule): Classified | undefined {
  return rule.document.kind === 'ClassificationRules' ? (rule.document.data as { classifies: Classified }).classifies : undefined;
}
