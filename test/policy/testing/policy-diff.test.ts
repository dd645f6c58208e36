import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { policyDiff } from '../../../src/cli/diff-command.js';
import { REGIMES, VOLATILITIES } from '../../../src/policy/index.js';
import { diffReportJson, isEqual, renderDiffReport, ruleSetSettingsDiff, summarise, type Comparison, type DiffReport, type Dimension } from '../../../src/policy/testing/index.js';
import type { MarketState } from '../../../src/state/index.js';
import { RuleSetCopy } from '../../support/rule-sets.js';

const copies: RuleSetCopy[] = [];
afterAll(() => copies.forEach((c) => c.remove()));

/** A (the shipped rules, in a private copy) and B (a copy with the edits), sharing A's profiles. */
function ab(...edits: [file: string, from: string, to: string][]) {
  const [a, b] = [new RuleSetCopy(), new RuleSetCopy()];
  copies.push(a, b);
  for (const [file, from, to] of edits) b.edit(file, from, to);
  return { a, b, diff: (profile = 'SAFE') => policyDiff({ format: 'pretty', vsRules: b.rulesDir, profile }, a.root) };
}

const comparison = (report: DiffReport, subspace: Comparison['subspace'], title: string) =>
  report.comparisons.find((c) => c.subspace === subspace && c.title === title)!;
const lines = (c: Comparison) =>
  summarise(c).map((ch) => `${ch.field} ${JSON.stringify(ch.from)} → ${JSON.stringify(ch.to)}: ${ch.count} | ${ch.regions.map((r) => `${r.when} (${r.count})`).join(' | ')}`);

describe('diff: two rule sets over the whole state space', () => {
  it('finds no difference when an edit changes no decision (a renamed rule), and says over how many states', async () => {
    const report = await ab(['rules/confidence.yaml', 'name: confidence-extreme-volatility', 'name: confidence-extreme']).diff();
    expect(isEqual(report)).toBe(true);
    expect(report.comparisons.map((c) => [c.subspace, c.title, c.space.size, c.identical])).toEqual([
      // regime × volatility × four risk numbers at their thresholds × the drawdown latch (false, true)
      ['market', 'SAFE', 4 * 4 * 3 ** 4 * 2, false],
      ['symbol', 'SAFE', 3 ** 5, false],
      // Identical rules on both sides: equal without evaluating.
      ['classification', 'volatility', 7 * 5, true],
      ['classification', 'regime', 3 ** 6, true],
    ]);
    expect(renderDiffReport(report).split('\n').at(-1)).toBe('Equal: A and B give the same decisions in all 3,599 states.');
  });

  it('a confidence edit changes min_confidence in calm markets, except where the drawdown gate already raises it', async () => {
    const report = await ab(['rules/confidence.yaml', 'min_confidence: 0.45', 'min_confidence: 0.55']).diff();
    expect(isEqual(report)).toBe(false);
    expect(lines(comparison(report, 'market', 'SAFE'))).toEqual([
      'min_confidence 0.45 → 0.55: 216 | volatility ∈ {LOW, NORMAL} and risk.daily_dd_pct > -0.025 and risk.daily_dd_latched = false (216)',
    ]);
    expect(renderDiffReport(report)).toContain(
      '    min_confidence 0.45 → 0.55 when volatility ∈ {LOW, NORMAL} and risk.daily_dd_pct > -0.025 and risk.daily_dd_latched = false: 216 of 2,592 market states',
    );
    expect(comparison(report, 'symbol', 'SAFE').differing).toEqual([]);
    // --format json: every differing state with both sides' values.
    const json = diffReportJson(report) as { equal: boolean; comparisons: { subspace: string; differing_states: { state: MarketState; fields: object }[] }[] };
    expect(json.equal).toBe(false);
    const states = json.comparisons.find((c) => c.subspace === 'market')!.differing_states;
    expect(states).toHaveLength(216);
    expect(states.every((s) => ['LOW', 'NORMAL'].includes(s.state.volatility) && s.state.risk.daily_dd_pct > -0.025)).toBe(true);
    expect(states[0]!.fields).toEqual({ min_confidence: { a: 0.45, b: 0.55 } });
  });

  it('per-symbol and classification thresholds: exactly the stretch between the old and the new value', async () => {
    const report = await ab(
      ['rules/symbols.yaml', 'value: 0.35', 'value: 0.40'],
      ['rules/classification/volatility.yaml', 'value: 1.4', 'value: 1.3'],
    ).diff();
    expect(lines(comparison(report, 'symbol', 'SAFE'))).toEqual([
      'disallowed_symbols [] → ["ANYUSDT"]: 16 | symbol.trades ≥ 20 and 0.35 ≤ symbol.win_rate < 0.4 and symbol.avg_r < 0.5 and symbol.spread_pct ≤ 0.001 and symbol.slippage_pct ≤ 0.0015 (16)',
    ]);
    expect(lines(comparison(report, 'classification', 'volatility'))).toEqual([
      'volatility "NORMAL" → "HIGH": 6 | 1.3 ≤ features.atr_pct_ratio < 1.4 and -0.06 ≤ features.return_1 ≤ 0.06 (6)',
    ]);
    expect(comparison(report, 'market', 'SAFE').differing).toEqual([]);
  });

  it('a rule on a symbol\'s name and a market rule on one symbol\'s record are enumerated like any fact', async () => {
    const namedRule = [
      '  - name: block-doge',
      '    priority: 45',
      '    description: Delisted.',
      '    conditions:',
      '      all:',
      '        - { fact: symbol, path: $.name, operator: equal, value: DOGEUSDT }',
      '    event: { type: block-symbol }',
      '',
    ].join('\n');
    const marketRule = [
      '  - name: confidence-weak-btc',
      '    priority: 10',
      '    description: A weak BTC record raises the bar.',
      '    conditions:',
      '      all:',
      '        - { fact: symbols, path: $.BTCUSDT.win_rate, operator: lessThan, value: 0.3 }',
      '    event: { type: policy, params: { min_confidence: 0.65 } }',
      '',
    ].join('\n');
    const report = await ab(['rules/symbols.yaml', 'rules:\n', `rules:\n${namedRule}`], ['rules/confidence.yaml', 'rules:\n', `rules:\n${marketRule}`]).diff();
    const symbol = summarise(comparison(report, 'symbol', 'SAFE'));
    expect(symbol.map((c) => [c.field, c.from, c.to])).toEqual([['disallowed_symbols', [], ['DOGEUSDT']]]);
    expect(symbol[0]!.regions.every((r) => r.when.endsWith('and symbol.name = DOGEUSDT'))).toBe(true);
    const market = comparison(report, 'market', 'SAFE');
    expect(market.space.dimensions.map((d) => d.key)).toContain('symbols.BTCUSDT.win_rate');
    expect(summarise(market).every((c) => c.field === 'min_confidence' && c.to === 0.65)).toBe(true);
    expect(summarise(market).flatMap((c) => c.regions.map((r) => r.when)).every((w) => w.includes('symbols.BTCUSDT.win_rate < 0.3'))).toBe(true);
  });

  it('settings the state space does not reach are compared field by field, and make the sets differ', () => {
    const { a, b } = ab(
      ['rules/orchestrator.yaml', 'use_for_exit_mode: true', 'use_for_exit_mode: false'],
      ['rules/gates.yaml', 'note: "Max positions reached', 'note: "Book full'],
    );
    const settings = ruleSetSettingsDiff(a.load().ruleSet!, b.load().ruleSet!);
    expect(settings).toEqual([
      { document: 'rules/orchestrator.yaml', field: 'use_for_exit_mode', a: true, b: false },
      {
        document: 'rules/gates.yaml',
        field: 'gate-max-positions note',
        a: 'Max positions reached ({{risk.open_positions}}/{{profile.limits.max_open_positions}})',
        b: 'Book full ({{risk.open_positions}}/{{profile.limits.max_open_positions}})',
      },
    ]);
    expect(isEqual({ compared: 'rules', a: 'A', b: 'B', comparisons: [], settings })).toBe(false);
  });

  it('signal sources of rules/strategies/ are settings too: matched by name, field by field, or named when only one set has them', () => {
    const { a, b } = ab(['rules/strategies/breakout.yaml', 'channel_bars: 20', 'channel_bars: 55'], ['rules/strategies/mean-reversion.yaml', '  deviations: 2.0', '  deviations: 2.5']);
    b.write('rules/strategies/turtle.yaml', 'apiVersion: quantum-trader/v1\nkind: BreakoutStrategy\nversion: 1.0.0\nname: turtle\n');
    expect(ruleSetSettingsDiff(a.load().ruleSet!, b.load().ruleSet!)).toEqual([
      { document: 'rules/strategies/breakout.yaml', field: 'channel_bars', a: 20, b: 55 },
      { document: 'rules/strategies/mean-reversion.yaml', field: 'bands.deviations', a: 2, b: 2.5 },
      { document: 'rules/strategies/turtle.yaml', field: 'signal source', a: undefined, b: 'turtle' },
    ]);
  });

  // The claim behind "exact, not sampled": any state at all, random numbers included, differs between A and
  // B exactly when the enumerated state standing for it does.
  it('agrees with evaluating arbitrary states directly', async () => {
    const { a, b, diff } = ab(['rules/gates.yaml', 'value:\n            fact: profile\n            path: $.limits.max_total_exposure_pct', 'value: 0.08']);
    const report = await diff();
    const market = comparison(report, 'market', 'SAFE');
    expect(market.differing.length).toBeGreaterThan(0);
    const differing = new Set(market.differing.map((d) => d.indices.join()));
    const [engineA, engineB] = [a.engine(), b.engine()];
    const state = fc.record({
      regime: fc.constantFrom(...REGIMES),
      volatility: fc.constantFrom(...VOLATILITIES),
      risk: fc.record({
        daily_dd_pct: fc.oneof(fc.constantFrom(-0.025, 0), fc.integer({ min: -1000, max: 0 }).map((n) => n / 10_000)),
        open_positions: fc.integer({ min: 0, max: 12 }),
        exposure_pct: fc.oneof(fc.constantFrom(0.08, 0.1), fc.integer({ min: 0, max: 3000 }).map((n) => n / 10_000)),
        losing_streak: fc.integer({ min: 0, max: 8 }),
        daily_dd_latched: fc.boolean(),
      }),
    });
    await fc.assert(
      fc.asyncProperty(state, async (s) => {
        const [pa, pb] = await Promise.all([engineA.evaluate(s as MarketState, 'SAFE'), engineB.evaluate(s as MarketState, 'SAFE')]);
        const { note: _na, decided_by: _da, rule_set_version: _va, ...policyA } = pa.policy;
        const { note: _nb, decided_by: _db, rule_set_version: _vb, ...policyB } = pb.policy;
        const standIn = market.space.dimensions.map((d) => indexOf(d, valueAt(s, d))).join();
        expect(differing.has(standIn)).toBe(JSON.stringify(policyA) !== JSON.stringify(policyB));
      }),
      { numRuns: 150 },
    );
  });

  it('two profiles under one rule set: a draft profile with an earlier drawdown circuit', async () => {
    const { a } = ab();
    a.write('profiles/cautious.yaml', a.read('profiles/safe.yaml').replace('name: SAFE', 'name: CAUTIOUS').replace('daily_dd_limit_pct: -0.025', 'daily_dd_limit_pct: -0.02'));
    const report = await policyDiff({ format: 'pretty', vsProfile: 'cautious', profile: 'safe' }, a.root);
    const market = comparison(report, 'market', 'SAFE → CAUTIOUS');
    const band = '-0.025 < risk.daily_dd_pct ≤ -0.02';
    const open = 'risk.daily_dd_latched = false';
    const calmTrend = 'regime ∈ {TRENDING_UP, TRENDING_DOWN} and volatility ∈ {LOW, NORMAL}';
    expect(lines(market)).toEqual([
      // Only where no other gate is closed already: under 5 positions and 10% exposure, the latch not tripped
      // (once it is, both profiles close the gate); exits change whatever the latch says.
      `allow_new_trades true → false: 72 | volatility ≠ EXTREME and ${band} and ${open} and risk.open_positions ≤ 4 and risk.exposure_pct < 0.1 (72)`,
      `min_confidence 0.45 → 0.6: 432 | volatility ∈ {LOW, NORMAL} and ${band} and ${open} (432)`,
      `max_risk_pct 0.015 → 0.005: 216 | ${calmTrend} and ${band} and ${open} (216)`,
      `max_risk_pct 0.008 → 0.005: 216 | volatility = HIGH and ${band} and ${open} (216)`,
      `max_risk_pct 0.01 → 0.005: 216 | regime ∈ {SIDEWAYS, CHOPPY} and volatility ∈ {LOW, NORMAL} and ${band} and ${open} (216)`,
      `risk_profile "REDUCED" → "NO_NEW_TRADES": 504 | volatility ∈ {LOW, NORMAL} and ${band} and ${open} and risk.losing_streak ≥ 3 (288) | volatility = HIGH and ${band} and ${open} (216)`,
      `risk_profile "MODERATE" → "NO_NEW_TRADES": 72 | ${calmTrend} and ${band} and ${open} and risk.losing_streak ≤ 2 (72)`,
      `risk_profile "SAFE" → "NO_NEW_TRADES": 72 | regime ∈ {SIDEWAYS, CHOPPY} and volatility ∈ {LOW, NORMAL} and ${band} and ${open} and risk.losing_streak ≤ 2 (72)`,
      `exit_mode "TREND_FOLLOW" → "FAST_TP": 432 | ${calmTrend} and ${band} (432)`,
      expect.stringMatching(new RegExp(`^exit_params .*: 432 \\| ${calmTrend.replace(/[{}]/g, '\\$&')} and`)),
    ]);
    expect(report.settings).toEqual([{ document: 'profile SAFE → CAUTIOUS', field: 'circuit_breakers.daily_dd_limit_pct', a: -0.025, b: -0.02 }]);
    expect(report.comparisons.some((c) => c.subspace === 'classification')).toBe(false);
  });
});

function valueAt(state: object, d: Dimension): unknown {
  const root = (state as Record<string, unknown>)[d.fact];
  return d.path ? (root as Record<string, unknown>)[d.path.slice(2)] : root;
}

function indexOf(d: Dimension, value: unknown): number {
  if (d.kind !== 'number') return d.values.indexOf(value);
  const v = value as number;
  return d.stretches!.findIndex(
    (s) => (s.lo === undefined || v > s.lo || (s.loIncluded && v === s.lo)) && (s.hi === undefined || v < s.hi || (s.hiIncluded && v === s.hi)),
  );
}

