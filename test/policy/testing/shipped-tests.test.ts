import { readdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyTest } from '../../../src/cli/test-command.js';
import { renderTestReport } from '../../../src/policy/testing/index.js';
import { runCli } from '../../support/cli.js';
import { REPO, ruleSetCopies } from '../../support/rule-sets.js';

// The design's scenarios and tables as YAML (rules/tests/*.test.yaml), run through `quantum-trader test`:
// this is how `npm test` checks the shipped policy.
describe('the shipped policy tests', () => {
  const copy = ruleSetCopies();

  it('all pass against the shipped rules, and every shipped rule fires and every comparison goes both ways', async () => {
    const report = await policyTest({ paths: [], format: 'pretty', coverage: true }, REPO);
    const failures = report.files.flatMap((f) => f.results.filter((r) => !r.passed));
    expect(failures.map((r) => `${r.case.file}:${r.case.line} ${r.case.name}`)).toEqual([]);
    expect(report.files.map((f) => f.file)).toEqual(readdirSync(`${REPO}/rules/tests`).sort().map((f) => `rules/tests/${f}`));
    expect(report.passed).toBeGreaterThan(200);
    expect(report.coverage!.rules.filter((r) => !r.fired)).toEqual([]);
    expect(report.coverage!.rules.map((r) => r.scope).sort()).toContain('classification');
    expect(report.coverage!.conditions.filter((c) => !(c.seenTrue && c.seenFalse))).toEqual([]);
  });

  it('the command exits 0 and closes with the totals', async () => {
    const result = await runCli(['test']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed \(rule set \d+\.\d+\.\d+\+[0-9a-f]{12}\)$/);
  });

  it('an edited threshold fails exactly the cases that pin it, each with a field-by-field diff and its file:line', async () => {
    const c = copy();
    c.edit('rules/confidence.yaml', 'min_confidence: 0.60', 'min_confidence: 0.65');
    const report = await policyTest({ paths: [], format: 'pretty', coverage: false }, c.root);
    const failed = report.files.flatMap((f) => f.results.filter((r) => !r.passed).map((r) => `${r.case.name} [${r.profile}]`));
    const highVolatility = ['TRENDING_UP', 'TRENDING_DOWN', 'SIDEWAYS', 'CHOPPY'].flatMap((regime) =>
      ['SAFE', 'MODERATE', 'AGGRESSIVE'].map((profile) => `${regime} HIGH needs 0.60 [${profile}]`),
    );
    expect(failed).toEqual([...highVolatility, 'Scenario 2: high volatility [SAFE]']);
    const text = renderTestReport(report);
    expect(text).toContain(
      [
        '  FAIL  Scenario 2: high volatility [SAFE]  (rules/tests/scenarios.test.yaml:32)',
        '          min_confidence  expected 0.6, got 0.65  (decided by confidence-high-volatility at rules/confidence.yaml:22)',
      ].join('\n'),
    );
    expect(text.split('\n').at(-1)).toMatch(/^207 passed, 13 failed/);
  });

  it('a profile edit shows up through the rules that read it: several fields of one case, each explained', async () => {
    const c = copy();
    c.edit('profiles/safe.yaml', 'daily_dd_limit_pct: -0.025', 'daily_dd_limit_pct: -0.03');
    const report = await policyTest({ paths: ['rules/tests/scenarios.test.yaml'], format: 'pretty', coverage: false }, c.root);
    const scenario4 = report.files[0]!.results.find((r) => r.case.name.startsWith('Scenario 4'))!;
    expect(scenario4.mismatches.map((m) => `${m.field}: expected ${m.expected}, got ${JSON.stringify(m.actual)}`)).toEqual([
      'allow_new_trades: expected false, got true',
      'min_confidence: expected 0.6, got 0.45',
      'max_risk_pct: expected 0.005, got 0.015',
      'exit_mode: expected "FAST_TP", got "TREND_FOLLOW"',
      'risk_profile: expected "NO_NEW_TRADES", got "MODERATE"',
      'note: expected contains "Daily DD limit hit (-2.60%)", got "Favourable market (TRENDING_DOWN, NORMAL volatility)"',
      'decided_by.allow_new_trades: expected ["gate-daily-drawdown"], got []',
      'decided_by.min_confidence: expected ["gate-daily-drawdown"], got ["confidence-calm-market"]',
      'decided_by.exit_mode: expected ["exit-daily-drawdown"], got ["exit-trending-calm"]',
    ]);
    expect(scenario4.sources.allow_new_trades).toBe('profile SAFE static_policy');
  });

  it('coverage names a rule no case makes fire, and its comparison never seen true', async () => {
    const c = copy();
    c.edit(
      'rules/confidence.yaml',
      'rules:\n',
      [
        'rules:',
        '  - name: confidence-long-streak',
        '    priority: 10',
        '    description: After ten losses only the strongest signals.',
        '    conditions:',
        '      all:',
        '        - { fact: risk, path: $.losing_streak, operator: greaterThanInclusive, value: 10 }',
        '    event: { type: policy, params: { min_confidence: 0.70 } }',
        '',
      ].join('\n'),
    );
    const report = await policyTest({ paths: [], format: 'pretty', coverage: true }, c.root);
    expect(report.coverage!.rules.filter((r) => !r.fired).map((r) => `${r.file}:${r.line} ${r.rule}`)).toEqual([
      'rules/confidence.yaml:9 confidence-long-streak',
    ]);
    const text = renderTestReport(report);
    expect(text).toContain('Coverage: 27 of 28 rules fired; 37 of 38 comparisons seen both true and false');
    expect(text).toContain('    rules/confidence.yaml:14  confidence-long-streak all[0]: risk.losing_streak greaterThanInclusive 10: never true');
  });

  it('the test files are not part of the rule set: its version does not change with them', async () => {
    const c = copy();
    const before = c.load().ruleSet!.version;
    rmSync(c.path('rules/tests'), { recursive: true });
    expect(c.load().ruleSet!.version).toBe(before);
  });
});
