import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { bundledRuleSet, ruleSetCopies } from '../support/rule-sets.js';

// `test` and `diff` as a trader uses them after an edit: the real binary on a private copy of the YAML.
describe('quantum-trader test and diff', () => {
  const copy = ruleSetCopies();

  it('test: an edited threshold fails the cases that pin it (exit 1), one line per case, the diff under each failure', async () => {
    const c = copy();
    c.edit('rules/confidence.yaml', 'min_confidence: 0.45', 'min_confidence: 0.50');
    const result = await runCli(['test', 'rules/tests/scenarios.test.yaml'], { cwd: c.root });
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      'rules/tests/scenarios.test.yaml',
      '  FAIL  Scenario 1: normal trading [SAFE]  (rules/tests/scenarios.test.yaml:12)',
      '          min_confidence  expected 0.45, got 0.5  (decided by confidence-calm-market at rules/confidence.yaml:9)',
      '  ok    Scenario 2: high volatility [SAFE]',
      '  ok    Scenario 3: EXTREME volatility shutdown [SAFE]',
      '  ok    Scenario 4: daily DD limit hit [SAFE]',
      '',
      expect.stringMatching(new RegExp(`^3 passed, 1 failed \\(rule set ${bundledRuleSet().manifest.version.replaceAll('.', '\\.')}\\+[0-9a-f]{12}\\)$`)),
    ]);
  });

  it('test: a broken test file is bad input (exit 2) named by file, line and column; lint reports it too (exit 1)', async () => {
    const c = copy();
    c.edit('rules/tests/gates.test.yaml', 'profile: MODERATE,   state: { risk: { daily_dd_pct: -0.04 } }', 'profile: MODERAT,   state: { risk: { daily_dd_pct: -0.04 } }');
    const line = 'rules/tests/gates.test.yaml:23:76 MODERATE daily drawdown at -4% ends the session unknown profile \'MODERAT\' (available: AGGRESSIVE, MODERATE, SAFE)';
    const test = await runCli(['test'], { cwd: c.root });
    expect(test.status).toBe(2);
    expect(test.stderr.trim()).toBe(`error: ${line}`);
    const lint = await runCli(['lint'], { cwd: c.root });
    expect(lint.status).toBe(1);
    expect(lint.stdout.trim()).toBe(line);
  });

  it('diff: prints where the policy changes and exits 1', async () => {
    const c = copy();
    const b = copy();
    b.edit('rules/risk-stance.yaml', 'max_risk_pct: 0.008', 'max_risk_pct: 0.006');
    const pretty = await runCli(['diff', '--vs-rules', b.rulesDir, '--profile', 'safe'], { cwd: c.root });
    expect(pretty.status).toBe(1);
    expect(pretty.stdout).toContain('    max_risk_pct 0.008 → 0.006 when volatility = HIGH and risk.daily_dd_pct > -0.025 and risk.daily_dd_latched = false: 108 of 2,592 market states');
    expect(pretty.stdout.trim().split('\n').at(-1)).toBe('Different: 108 of 3,599 states differ.');
  });

  it('diff: exit 0 when equal, 2 without exactly one of --vs-rules and --vs-profile', async () => {
    const c = copy();
    const equal = await runCli(['diff', '--vs-profile', 'safe', '--profile', 'SAFE'], { cwd: c.root });
    expect(equal.status).toBe(0);
    expect(equal.stdout.trim().split('\n').at(-1)).toMatch(/^Equal: A and B give the same decisions in all [\d,]+ states\.$/);
    const neither = await runCli(['diff'], { cwd: c.root });
    expect(neither.status).toBe(2);
    expect(neither.stderr.trim()).toBe('error: give exactly one of --vs-rules DIR or --vs-profile NAME');
  });
});
