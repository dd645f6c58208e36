import { describe, expect, it } from 'vitest';
import { schemaJson } from '../../../src/config/schemas.js';
import { YamlSource } from '../../../src/config/yaml-source.js';
import { loadTestFile, testContextOf } from '../../../src/policy/testing/index.js';
import { bundledRuleSet } from '../../support/rule-sets.js';

const context = testContextOf(bundledRuleSet());
const HEADER = 'apiVersion: quantum-trader/v1\nkind: PolicyTests\nversion: 1.0.0\n';

function load(body: string) {
  const source = YamlSource.parse('rules/tests/x.test.yaml', HEADER + body);
  if (Array.isArray(source)) throw new Error(source.map((p) => p.message).join('\n'));
  return loadTestFile(source, context);
}

/** The `default` of every property of a definition in the test-file schema: what a trader reads there. */
function schemaDefaults(definition: string, property?: string): Record<string, unknown> {
  const definitions = schemaJson('policy-tests').definitions as Record<string, { properties: Record<string, { default?: unknown; properties?: Record<string, { default?: unknown }> }> }>;
  const node = property ? definitions[definition]!.properties[property]! : definitions[definition]!;
  return Object.fromEntries(Object.entries(node.properties!).filter(([, p]) => 'default' in p).map(([k, p]) => [k, p.default]));
}

describe('loading a policy test file', () => {
  it('fills what a case leaves out with the neutral defaults stated in the schema', () => {
    const { file } = load('cases:\n  - { name: empty state, expect: { allow_new_trades: true } }\n');
    expect(file!.cases[0]!.state).toEqual({ ...schemaDefaults('state'), risk: schemaDefaults('state', 'risk') });
    expect(file!.cases[0]!.state).toMatchObject({ regime: 'SIDEWAYS', volatility: 'NORMAL' });
  });

  it('layers the schema defaults, the file defaults and the case, field by field and symbol by symbol', () => {
    const { file } = load(
      [
        'defaults:',
        '  profile: moderate',
        '  state: { regime: TRENDING_UP, risk: { open_positions: 3 }, symbols: { BTCUSDT: { trades: 40, win_rate: 0.6 } } }',
        'cases:',
        '  - name: layered',
        '    state: { risk: { losing_streak: 2 }, symbols: { BTCUSDT: { win_rate: 0.2 }, ETHUSDT: { spread_pct: 0.0003 } } }',
        '    expect: { min_confidence: 0.45 }',
      ].join('\n'),
    );
    const testCase = file!.cases[0]!;
    expect(testCase.profile).toBe('MODERATE');
    expect(testCase.state!.regime).toBe('TRENDING_UP');
    expect(testCase.state!.risk).toEqual({ ...schemaDefaults('state', 'risk'), open_positions: 3, losing_streak: 2 });
    expect(testCase.state!.symbols).toEqual({
      BTCUSDT: { ...schemaDefaults('symbolStats'), trades: 40, win_rate: 0.2 },
      ETHUSDT: { ...schemaDefaults('symbolStats'), spread_pct: 0.0003 },
    });
  });

  it('runs a case once per profile of a list, and classification cases on completed indicators', () => {
    const { file } = load(
      [
        'cases:',
        '  - { name: every profile, profile: [SAFE, aggressive], expect: { exit_mode: FAST_TP } }',
        '  - { name: a spike, features: { atr_pct_ratio: 3 }, expect: { volatility: EXTREME }, decided_by: { volatility: volatility-extreme-spike } }',
      ].join('\n'),
    );
    expect(file!.cases.map((c) => [c.name, c.kind, c.profile])).toEqual([
      ['every profile', 'policy', 'SAFE'],
      ['every profile', 'policy', 'AGGRESSIVE'],
      ['a spike', 'classification', undefined],
    ]);
    expect(file!.cases[2]!.features).toEqual({ ...schemaDefaults('features'), atr_pct_ratio: 3 });
    expect(file!.cases[2]!.decidedBy).toEqual({ volatility: ['volatility-extreme-spike'] });
    expect(file!.cases[2]!.line).toBe(6);
  });

  it('names file, line and column of every unknown profile, unknown rule, duplicate name and bad pattern', () => {
    const { file, problems } = load(
      [
        'cases:',
        '  - { name: a, profile: SAFER, expect: { allow_new_trades: true } }',
        '  - { name: a, expect: { allow_new_trades: true }, decided_by: { allow_new_trades: gate-max-position } }',
        '  - { name: c, expect: { note: { matches: "(" } }, decided_by: { min_confidence: volatility-high } }',
        '  - { name: d, features: { adx: 30 }, expect: { regime: SIDEWAYS }, decided_by: { regime: volatility-high } }',
      ].join('\n'),
    );
    expect(file).toBeUndefined();
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.rule} ${p.message}`)).toEqual([
      "rules/tests/x.test.yaml:5:25 a unknown profile 'SAFER' (available: AGGRESSIVE, MODERATE, SAFE)",
      "rules/tests/x.test.yaml:6:13 a duplicate case name 'a' (also case 1)",
      "rules/tests/x.test.yaml:6:84 a unknown rule 'gate-max-position' (did you mean 'gate-max-positions'?)",
      "rules/tests/x.test.yaml:7:82 c rule 'volatility-high' is a classification rule, not a policy rule",
      expect.stringMatching(/^rules\/tests\/x\.test\.yaml:7:43 c invalid regular expression: /),
      "rules/tests/x.test.yaml:8:91 d rule 'volatility-high' does not classify regime",
    ]);
  });

  it('reports schema violations at their line, with the case name and a suggestion', () => {
    const { problems } = load(
      ['cases:', '  - name: typo', '    state: { risk: { daily_dd_pct: 0.02 } }', '    expect: { min_confidense: 0.45 }'].join('\n'),
    );
    expect(problems.map((p) => `${p.line}:${p.column} ${p.rule} ${p.message}`)).toEqual([
      '6:36 typo cases[0].state.risk.daily_dd_pct 0.02 is outside its range: it must be <= 0',
      "7:15 typo unknown field 'min_confidense' in cases[0].expect (did you mean 'min_confidence'?)",
    ]);
  });

  it('without the rule set\'s names (lint of a broken set) only the file itself is checked', () => {
    const source = YamlSource.parse('x.test.yaml', `${HEADER}cases:\n  - { name: a, profile: SAFER, expect: { allow_new_trades: true }, decided_by: { allow_new_trades: nope } }\n`);
    expect(loadTestFile(source as YamlSource, {}).problems).toEqual([]);
  });
});
