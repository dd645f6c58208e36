import fc from 'fast-check';
import { EXIT_MODES, REGIMES, RISK_STANCES, VOLATILITIES, type RuleSet } from '../../src/policy/index.js';
import type { Classified, LocatedRule, Scope } from '../../src/policy/rule-set.js';
import type { MarketState } from '../../src/state/index.js';

/**
 * Random rules in the rule files' language (schemas/policy-rules.schema.json, classification-rules):
 * every operator and decorator, all/any/not to any depth, condition priorities, fact references in values
 * and event params, note templates. Schema-valid, not necessarily lint-clean: comparisons of the wrong
 * type and unknown paths are in, so that failing evaluations are compared too.
 */

/** Numbers at the shipped thresholds (and either side), so that comparisons go both ways. */
const THRESHOLDS = [-0.2, -0.06, -0.04, -0.025, -0.02, 0, 0.0005, 0.001, 0.0015, 0.005, 0.008, 0.01, 0.015, 0.02, 0.1, 0.2, 0.35, 0.45, 0.5, 0.55, 0.6, 0.7, 1, 2, 3, 5, 10, 20, 40];
export const numberArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...THRESHOLDS) },
  { weight: 1, arbitrary: fc.double({ min: -1, max: 50, noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 }) },
);

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', '1000PEPEUSDT'];

/** Facts and paths rules may read, per scope, including paths that lead nowhere and a fact that does not exist. */
const READS: Record<Scope, readonly { fact: string; path?: string }[]> = {
  market: [
    { fact: 'regime' }, { fact: 'volatility' }, { fact: 'regime', path: '$.x' },
    { fact: 'risk', path: '$.daily_dd_pct' }, { fact: 'risk', path: '$.open_positions' }, { fact: 'risk', path: '$.exposure_pct' },
    { fact: 'risk', path: '$.losing_streak' }, { fact: 'risk' }, { fact: 'risk', path: '$.nope' }, { fact: 'risk', path: '$.daily_dd_pct.x' },
    { fact: 'profile', path: '$.limits.max_open_positions' }, { fact: 'profile', path: '$.limits.max_total_exposure_pct' },
    { fact: 'profile', path: '$.circuit_breakers.daily_dd_limit_pct' }, { fact: 'profile', path: '$.circuit_breakers.losing_streak_threshold' },
    { fact: 'profile', path: '$.stance.favourable' }, { fact: 'profile', path: '$.stance.favourable_risk_pct' }, { fact: 'profile', path: '$.name' },
    { fact: 'profile', path: '$.static_policy.min_confidence' }, { fact: 'profile', path: '$' },
    { fact: 'symbols' }, { fact: 'symbols', path: '$.BTCUSDT.win_rate' }, { fact: 'symbols', path: '$.BTCUSDT' },
    { fact: 'nope' },
  ],
  symbol: [
    { fact: 'symbol', path: '$.name' }, { fact: 'symbol', path: '$.win_rate' }, { fact: 'symbol', path: '$.avg_r' }, { fact: 'symbol', path: '$.trades' },
    { fact: 'symbol', path: '$.spread_pct' }, { fact: 'symbol', path: '$.slippage_pct' }, { fact: 'symbol', path: '$.pnl' },
    { fact: 'symbol', path: '$.regime' }, { fact: 'symbol', path: '$.volatility' }, { fact: 'symbol', path: '$.name.length' },
    { fact: 'symbol', path: '$.constructor' }, { fact: 'symbol' }, { fact: 'symbol', path: '$' },
    { fact: 'profile', path: '$.symbol_judgement.min_trades' }, { fact: 'profile', path: '$.symbol_judgement.max_spread_pct' },
    { fact: 'volatility' }, { fact: 'risk', path: '$.open_positions' }, { fact: 'symbols' }, { fact: 'nope' },
  ],
  classification: [
    { fact: 'features', path: '$.atr_pct_ratio' }, { fact: 'features', path: '$.adx' }, { fact: 'features', path: '$.choppiness' },
    { fact: 'features', path: '$.ema_slope_pct' }, { fact: 'features', path: '$.return_1' }, { fact: 'features', path: '$.ready' },
    { fact: 'features', path: '$.symbol' }, { fact: 'features', path: '$.bars' }, { fact: 'features', path: '$.plus_di' },
    { fact: 'features', path: '$.minus_di' }, { fact: 'features' }, { fact: 'features', path: '$.nope' }, { fact: 'nope' },
  ],
};

const DECORATORS = ['not', 'swap', 'someFact', 'someValue', 'everyFact', 'everyValue'];
const BASES = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];

export const operatorArb = fc
  .tuple(fc.array(fc.constantFrom(...DECORATORS), { maxLength: 2 }), fc.constantFrom(...BASES))
  .map(([decorators, base]) => [...decorators, base].join(':'));

const WORDS = [...REGIMES, ...VOLATILITIES, ...RISK_STANCES, ...SYMBOLS, 'x', ''];
const literalArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: numberArb },
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.subarray([...REGIMES, ...VOLATILITIES]) },
  { weight: 1, arbitrary: fc.array(numberArb, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.subarray(SYMBOLS) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, 'LOWNORMAL', [[1]], [null], ['LOW', 0.5]) },
);

const referenceArb = (scope: Scope) => fc.constantFrom(...READS[scope]);

function leafArb(scope: Scope): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      {
        read: fc.constantFrom(...READS[scope]),
        operator: operatorArb,
        value: fc.oneof({ weight: 4, arbitrary: literalArb }, { weight: 1, arbitrary: referenceArb(scope) }),
        priority: fc.integer({ min: 1, max: 3 }),
      },
      { requiredKeys: ['read', 'operator', 'value'] },
    )
    .map(({ read, ...rest }) => ({ ...read, ...rest }));
}

/** A condition tree: all / any / not groups (with optional priorities) over comparisons, three levels at most. */
export function conditionsArb(scope: Scope): fc.Arbitrary<Record<string, unknown>> {
  const { node } = fc.letrec<{ node: Record<string, unknown> }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: 3 },
      { weight: 4, arbitrary: leafArb(scope) },
      { weight: 2, arbitrary: group('all', tie('node')) },
      { weight: 1, arbitrary: group('any', tie('node')) },
      { weight: 1, arbitrary: fc.record({ not: tie('node') }) },
    ),
  }));
  return fc.oneof(
    { weight: 5, arbitrary: group('all', node) },
    { weight: 2, arbitrary: group('any', node) },
    { weight: 1, arbitrary: fc.record({ not: node }) },
  );
}

function group(kind: 'all' | 'any', child: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({ children: fc.array(child, { maxLength: 4 }), priority: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) })
    .map(({ children, priority }) => ({ [kind]: children, ...(priority === undefined ? {} : { priority }) }));
}

const NOTES = [
  'plain note', '', '{{regime}} / {{volatility}}', 'DD {{risk.daily_dd_pct | pct}}', '{{risk.open_positions}}/{{profile.limits.max_open_positions}}',
  'risk {{risk}}', 'unknown {{nope.x}}', 'bad filter {{risk.losing_streak | bogus}}', '{{profile.name}}', '{{symbols}}',
  '{{symbol.name}} blocked ({{symbol.win_rate | pct}}, {{symbol.avg_r}})', '{{symbol}}', '{{ regime|pct }}', '{{risk.constructor}}',
];

const policyParamsArb = fc
  .record(
    {
      allow_new_trades: fc.boolean(),
      min_confidence: fc.oneof(fc.constantFrom(0.45, 0.5, 0.55, 0.6, 0.65, 0.7), fc.constant({ fact: 'profile', path: '$.static_policy.min_confidence' })),
      max_risk_pct: fc.oneof(
        fc.constantFrom(0.005, 0.008, 0.01, 0.015, 0.02),
        fc.constantFrom({ fact: 'profile', path: '$.stance.favourable_risk_pct' }, { fact: 'profile', path: '$.sizing.base_risk_pct' }, { fact: 'risk', path: '$.nope' }),
      ),
      allowed_symbols: fc.subarray(SYMBOLS),
      disallowed_symbols: fc.subarray(SYMBOLS),
      exit_mode: fc.constantFrom(...EXIT_MODES),
      risk_profile: fc.oneof(fc.constantFrom(...RISK_STANCES), fc.constantFrom({ fact: 'profile', path: '$.stance.favourable' }, { fact: 'regime' })),
      note: fc.oneof(fc.constantFrom(...NOTES), fc.constant({ fact: 'regime' })),
    },
    { requiredKeys: [] },
  )
  .filter((params) => Object.keys(params).length > 0);

const symbolEventArb = fc.record(
  { type: fc.constantFrom('block-symbol', 'allow-symbol'), params: fc.record({ note: fc.constantFrom(...NOTES) }, { requiredKeys: [] }) },
  { requiredKeys: ['type'] },
);

/** A generated rule, without its name (given by position). */
export interface RuleDraft {
  readonly priority: number;
  readonly enabled?: boolean;
  readonly conditions: Record<string, unknown>;
  readonly event: Record<string, unknown>;
}

function ruleArb(scope: Scope, event: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<RuleDraft> {
  return fc.record(
    {
      priority: fc.constantFrom(1, 2, 5, 10, 10, 50, 90, 100),
      enabled: fc.constantFrom(true, true, true, false),
      conditions: conditionsArb(scope),
      event,
    },
    { requiredKeys: ['priority', 'conditions', 'event'] },
  );
}

export interface PolicyRuleDrafts {
  readonly market: readonly RuleDraft[];
  readonly symbol: readonly RuleDraft[];
}

/** Random market rules (one to ten) and symbol rules (none to four). */
export const policyRulesArb: fc.Arbitrary<PolicyRuleDrafts> = fc.record({
  market: fc.array(ruleArb('market', policyParamsArb.map((params) => ({ type: 'policy', params }))), { minLength: 1, maxLength: 10 }),
  symbol: fc.array(ruleArb('symbol', symbolEventArb), { maxLength: 4 }),
});

/** `base` with its policy rules replaced by the drafts (named market-rule-N, symbol-rule-N). */
export function withPolicyRules(base: RuleSet, drafts: PolicyRuleDrafts): RuleSet {
  const marketTemplate = base.rules.find((r) => r.scope === 'market')!;
  const symbolTemplate = base.rules.find((r) => r.scope === 'symbol')!;
  return {
    ...base,
    rules: [
      ...base.rules.filter((r) => r.scope === 'classification'),
      ...drafts.market.map((draft, i) => located(marketTemplate, draft, `market-rule-${i}`)),
      ...drafts.symbol.map((draft, i) => located(symbolTemplate, draft, `symbol-rule-${i}`)),
    ],
  };
}

export interface ClassificationRuleDrafts {
  readonly volatility: readonly RuleDraft[];
  readonly regime: readonly RuleDraft[];
}

const classRulesArb = (what: Classified, classes: readonly string[]) =>
  fc.array(ruleArb('classification', fc.constantFrom(...classes).map((c) => ({ type: 'classify', params: { [what]: c } }))), { maxLength: 6 });

/** Random classification rules, up to six for each quantity. */
export const classificationRulesArb: fc.Arbitrary<ClassificationRuleDrafts> = fc.record({
  volatility: classRulesArb('volatility', VOLATILITIES),
  regime: classRulesArb('regime', REGIMES),
});

/** `base` with its classification rules replaced by the drafts. */
export function withClassificationRules(base: RuleSet, drafts: ClassificationRuleDrafts): RuleSet {
  const template = (what: Classified) =>
    base.rules.find((r) => r.scope === 'classification' && (r.document.data as { classifies: string }).classifies === what)!;
  return {
    ...base,
    rules: [
      ...base.rules.filter((r) => r.scope !== 'classification'),
      ...drafts.volatility.map((draft, i) => located(template('volatility'), draft, `volatility-rule-${i}`)),
      ...drafts.regime.map((draft, i) => located(template('regime'), draft, `regime-rule-${i}`)),
    ],
  };
}

function located(template: LocatedRule, draft: RuleDraft, name: string): LocatedRule {
  return { ...template, spec: { name, description: 'generated', ...draft } as unknown as LocatedRule['spec'] };
}

const statNumber = (min: number, max: number) => fc.oneof(fc.constantFrom(...THRESHOLDS.filter((t) => t >= min && t <= max)), fc.double({ min, max, noNaN: true }));

/** Any schema-valid symbol record: optional costs and classes left out at times. */
export const symbolRecordArb = fc.record(
  {
    win_rate: statNumber(0, 1),
    avg_r: statNumber(-3, 5),
    pnl: fc.double({ min: -1e5, max: 1e5, noNaN: true }),
    trades: fc.oneof(fc.constantFrom(0, 19, 20, 21, 40), fc.nat({ max: 500 })),
    spread_pct: statNumber(0, 0.01),
    slippage_pct: statNumber(0, 0.01),
    regime: fc.constantFrom(...REGIMES),
    volatility: fc.constantFrom(...VOLATILITIES),
  },
  { requiredKeys: ['win_rate', 'avg_r', 'trades'] },
);

/** Any schema-valid market state, its numbers often at the profiles' thresholds, with up to five symbols. */
export const thresholdStateArb: fc.Arbitrary<MarketState> = fc.record(
  {
    regime: fc.constantFrom(...REGIMES),
    volatility: fc.constantFrom(...VOLATILITIES),
    risk: fc.record({
      daily_dd_pct: statNumber(-1, 0),
      open_positions: fc.oneof(fc.constantFrom(0, 4, 5, 7, 10), fc.nat({ max: 15 })),
      exposure_pct: statNumber(0, 0.4),
      losing_streak: fc.oneof(fc.constantFrom(0, 2, 3, 5), fc.nat({ max: 10 })),
    }),
    symbols: fc.dictionary(fc.constantFrom(...SYMBOLS), symbolRecordArb, { maxKeys: 5 }),
  },
  { requiredKeys: ['regime', 'volatility', 'risk'] },
);
