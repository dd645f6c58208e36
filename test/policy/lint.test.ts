import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/config/problem.js';
import { lint } from '../../src/cli/lint-command.js';
import { RuleSetCopy } from '../support/rule-sets.js';

// Each documented lint check, triggered by the kind of edit a trader makes by mistake.
describe('lint', () => {
  let copy: RuleSetCopy;
  afterEach(() => copy?.remove());

  const lintCopy = (paths: string[] = []) => {
    const report = lint({ paths: paths.map((p) => copy.path(p)), format: 'pretty', rules: copy.rulesDir, profiles: copy.profilesDir }, copy.root);
    return report.problems.map(formatProblem);
  };

  it('finds no problem in the shipped rules and profiles', () => {
    copy = new RuleSetCopy();
    expect(lintCopy()).toEqual([]);
  });

  it('reports malformed YAML at its line and column', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/gates.yaml', '    priority: 95\n', '    priority: [95\n');
    const lines = lintCopy();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rules\/gates\.yaml:\d+:\d+ - invalid YAML: /);
  });

  it('reports a schema violation at the offending value, named by its rule', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/confidence.yaml', 'min_confidence: 0.60', 'min_confidence: 0.80');
    expect(lintCopy()).toEqual([
      'rules/confidence.yaml:33:25 confidence-high-volatility rules[1].event.params.min_confidence 0.8 is outside its range: it must be <= 0.7',
    ]);
  });

  it('rejects max_risk_pct outside 0.005-0.02', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/risk-stance.yaml', 'max_risk_pct: 0.008', 'max_risk_pct: 0.004');
    expect(lintCopy()).toEqual([expect.stringMatching(/^rules\/risk-stance\.yaml:\d+:\d+ stance-high-volatility .*max_risk_pct 0\.004 is outside its range: it must be >= 0\.005$/)]);
  });

  it('rejects an unknown policy field and suggests the right one', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/confidence.yaml', 'min_confidence: 0.70', 'min_confidance: 0.70');
    expect(lintCopy()).toEqual([
      expect.stringMatching(/^rules\/confidence\.yaml:46:9 confidence-extreme-volatility unknown field 'min_confidance' in rules\[2\]\.event\.params \(did you mean 'min_confidence'\?\)$/),
    ]);
  });

  it('rejects a missing version', () => {
    copy = new RuleSetCopy();
    copy.edit('profiles/safe.yaml', 'version: 1.0.0\n', '');
    expect(lintCopy()).toEqual([expect.stringMatching(/^profiles\/safe\.yaml:\d+:\d+ SAFE missing required field 'version'$/)]);
  });

  it('rejects an unknown fact and an unknown path inside a fact', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/exit-selection.yaml', '        - fact: volatility\n          operator: equal\n          value: HIGH', '        - fact: volatilty\n          operator: equal\n          value: HIGH');
    copy.edit('rules/gates.yaml', 'path: $.open_positions', 'path: $.open_position');
    const lines = lintCopy();
    expect(lines).toContainEqual(expect.stringMatching(/^rules\/exit-selection\.yaml:\d+:\d+ exit-high-volatility unknown fact 'volatilty' \(did you mean 'volatility'\?\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^rules\/gates\.yaml:\d+:\d+ gate-max-positions unknown path \$\.open_position in fact 'risk': risk\.open_position has no field 'open_position'/));
  });

  it('rejects a reference to a profile value that does not exist', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/gates.yaml', 'path: $.limits.max_open_positions', 'path: $.limits.max_positions');
    expect(lintCopy()).toContainEqual(expect.stringMatching(/gate-max-positions unknown path \$\.limits\.max_positions in fact 'profile'/));
  });

  it('rejects a value taken from a profile when it is out of range under any profile', () => {
    copy = new RuleSetCopy();
    copy.edit('profiles/aggressive.yaml', 'favourable_risk_pct: 0.02', 'favourable_risk_pct: 0.019');
    expect(lintCopy()).toEqual([]);
    copy.edit('rules/risk-stance.yaml', 'path: $.stance.favourable_risk_pct', 'path: $.symbol_judgement.max_spread_pct');
    expect(lintCopy()).toContainEqual(expect.stringMatching(/stance-favourable-market max_risk_pct taken from profile SAFE\.symbol_judgement\.max_spread_pct: .* must be >= 0\.005/));
  });

  it('rejects duplicate rule names across files', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/confidence.yaml', 'name: confidence-high-volatility', 'name: exit-high-volatility');
    expect(lintCopy()).toEqual([
      expect.stringMatching(/^rules\/exit-selection\.yaml:\d+:\d+ exit-high-volatility duplicate rule name 'exit-high-volatility' \(first defined at rules\/confidence\.yaml:22\)$/),
    ]);
  });

  it('rejects a comparison with a value the fact can never take (a typo in an enumeration)', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/gates.yaml', 'value: EXTREME', 'value: EXTREM');
    expect(lintCopy()).toContainEqual(expect.stringMatching(/gate-extreme-volatility volatility is never "EXTREM" \(possible: LOW, NORMAL, HIGH, EXTREME\)$/));
  });

  it('rejects a rule whose conditions contradict each other', () => {
    copy = new RuleSetCopy();
    copy.edit(
      'rules/confidence.yaml',
      '        - fact: volatility\n          operator: equal\n          value: HIGH\n',
      '        - fact: volatility\n          operator: equal\n          value: HIGH\n        - fact: volatility\n          operator: equal\n          value: LOW\n',
    );
    expect(lintCopy()).toEqual([expect.stringMatching(/confidence-high-volatility rule can never fire: no value of volatility satisfies all its conditions$/)]);
  });

  it('rejects a numeric condition outside what the fact can be (drawdown is never positive)', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/gates.yaml', 'operator: lessThanInclusive\n          value:\n            fact: profile\n            path: $.circuit_breakers.daily_dd_limit_pct', 'operator: greaterThan\n          value: 0.01');
    expect(lintCopy()).toContainEqual(expect.stringMatching(/gate-daily-drawdown rule can never fire: no value of risk\.daily_dd_pct satisfies all its conditions$/));
  });

  it('warns when a rule field is always overruled by a higher-priority rule that fires whenever it does', () => {
    copy = new RuleSetCopy();
    // Raising the catch-all default above the specific selections makes every other exit rule dead.
    copy.edit('rules/exit-selection.yaml', '    priority: 10\n', '    priority: 45\n');
    const lines = lintCopy();
    expect(lines).toContainEqual(expect.stringMatching(/exit-high-volatility warning: exit_mode never decides: rule 'exit-default' \(rules\/exit-selection\.yaml:\d+\) fires whenever this rule does and always wins exit_mode$/));
    expect(lines.filter((l) => l.includes('warning: exit_mode never decides'))).toHaveLength(4);
  });

  it('rejects a numeric operator on an enumerated fact', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/gates.yaml', 'operator: equal\n          value: EXTREME', 'operator: greaterThan\n          value: HIGH');
    expect(lintCopy()).toContainEqual(expect.stringMatching(/gate-extreme-volatility operator greaterThan compares numbers, but volatility is one of LOW, NORMAL, HIGH, EXTREME$/));
  });

  it('rejects an unknown placeholder or filter in a note', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/gates.yaml', '{{risk.daily_dd_pct | pct}}', '{{risk.daily_drawdown | percent}}');
    const lines = lintCopy();
    expect(lines).toContainEqual(expect.stringMatching(/gate-daily-drawdown unknown path \$\.daily_drawdown in fact 'risk'/));
  });

  it('rejects a default profile that does not exist', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/ruleset.yaml', 'default_profile: SAFE', 'default_profile: CAUTIOUS');
    expect(lintCopy()).toEqual([expect.stringMatching(/^rules\/ruleset\.yaml:\d+:\d+ - default_profile 'CAUTIOUS' is not a profile \(available: AGGRESSIVE, MODERATE, SAFE\)$/)]);
  });

  it('rejects a file of unknown kind', () => {
    copy = new RuleSetCopy();
    copy.write('rules/notes.yaml', 'apiVersion: quantum-trader/v1\nkind: Notes\nversion: 1.0.0\n');
    expect(lintCopy()).toEqual([expect.stringMatching(/^rules\/notes\.yaml:2:7 - unknown kind 'Notes' \(expected one of PolicyRules, ClassificationRules, RiskProfile, .*\)$/)]);
  });

  it('lints a single file against the rest of the set, reporting only that file', () => {
    copy = new RuleSetCopy();
    copy.edit('rules/confidence.yaml', 'name: confidence-high-volatility', 'name: exit-high-volatility');
    copy.edit('rules/gates.yaml', 'value: EXTREME', 'value: EXTREM');
    const lines = lintCopy(['rules/confidence.yaml']);
    expect(lines).toEqual([]);
    const gates = lintCopy(['rules/exit-selection.yaml']);
    expect(gates).toEqual([expect.stringMatching(/^rules\/exit-selection\.yaml:\d+:\d+ exit-high-volatility duplicate rule name/)]);
  });
});
