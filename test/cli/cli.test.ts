import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { ruleSetCopies } from '../support/rule-sets.js';
import { SCENARIO_FILES } from '../support/states.js';

// The commands as a newcomer uses them: the real binary, real files, exit statuses.
describe('quantum-trader CLI', () => {
  const copy = ruleSetCopies();

  it('lint: the shipped rule set is clean (exit 0)', async () => {
    const result = await runCli(['lint']);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/file\(s\) checked: no problems/);
    expect(result.status).toBe(0);
  });

  it('lint: a broken file gives `file:line:column rule-name message` and exit 1; --format json too', async () => {
    const c = copy();
    c.edit('rules/gates.yaml', 'value: EXTREME', 'value: EXTREM');
    const pretty = await runCli(['lint'], { cwd: c.root });
    expect(pretty.status).toBe(1);
    expect(pretty.stdout.trim().split('\n')).toEqual([
      'rules/gates.yaml:18:18 gate-extreme-volatility volatility is never "EXTREM" (possible: LOW, NORMAL, HIGH, EXTREME)',
    ]);
    const json = await runCli(['lint', '--format', 'json'], { cwd: c.root });
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      errors: 1,
      warnings: 0,
      problems: [{ file: 'rules/gates.yaml', line: 18, column: 18, rule: 'gate-extreme-volatility', check: 'impossible-value', severity: 'error' }],
    });
  });

  const seedAnswers = {
    normal: { allow_new_trades: true, min_confidence: 0.45, max_risk_pct: 0.015, exit_mode: 'TREND_FOLLOW', risk_profile: 'MODERATE' },
    highVolatility: { allow_new_trades: true, min_confidence: 0.6, max_risk_pct: 0.008, exit_mode: 'FAST_TP', risk_profile: 'REDUCED' },
    extremeVolatility: { allow_new_trades: false, min_confidence: 0.7, max_risk_pct: 0.005, exit_mode: 'DEFENSIVE_TRAIL', risk_profile: 'NO_NEW_TRADES' },
    dailyDrawdown: { allow_new_trades: false, min_confidence: 0.6, max_risk_pct: 0.005, exit_mode: 'FAST_TP', risk_profile: 'NO_NEW_TRADES' },
  } as const;
  it.each(Object.entries(seedAnswers))('eval: prints the seed answer for the %s scenario file as one JSON object', async (name, fields) => {
    const result = await runCli(['eval', '--state', SCENARIO_FILES[name as keyof typeof SCENARIO_FILES]]);
    expect(result.status, result.stderr).toBe(0);
    const policy = JSON.parse(result.stdout);
    expect(policy).toMatchObject({ ...fields, profile: 'SAFE' });
    for (const key of ['allowed_symbols', 'disallowed_symbols', 'exit_params', 'note', 'rule_set_version']) expect(policy).toHaveProperty(key);
  });

  it('eval: reads the state from standard input with `-`, and takes the profile case-insensitively', async () => {
    const state = JSON.stringify({ regime: 'TRENDING_UP', volatility: 'LOW', risk: { daily_dd_pct: 0, open_positions: 0, exposure_pct: 0, losing_streak: 0 } });
    const result = await runCli(['eval', '--state', '-', '--profile', 'aggressive'], { input: state });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ profile: 'AGGRESSIVE', risk_profile: 'AGGRESSIVE', max_risk_pct: 0.02 });
  });

  it('eval follows a threshold edited in YAML, with no code change', async () => {
    const c = copy();
    const before = JSON.parse((await runCli(['eval', '--state', `${process.cwd()}/${SCENARIO_FILES.highVolatility}`], { cwd: c.root })).stdout);
    c.edit('rules/confidence.yaml', 'min_confidence: 0.60', 'min_confidence: 0.65');
    c.edit('rules/ruleset.yaml', 'version: 1.2.0', 'version: 1.3.0');
    const after = JSON.parse((await runCli(['eval', '--state', `${process.cwd()}/${SCENARIO_FILES.highVolatility}`], { cwd: c.root })).stdout);
    expect(before.min_confidence).toBe(0.6);
    expect(after.min_confidence).toBe(0.65);
    expect(after.rule_set_version).toMatch(/^1\.3\.0\+/);
  });

  it('eval: a state with a bad value or a missing field gives one line per problem naming the field, exit 2, no stack', async () => {
    const bad = JSON.stringify({ regime: 'TRENDING_UP', volatility: 'EXTREM', risk: { daily_dd_pct: -0.01, open_positions: 1, exposure_pct: 0.01 } }, null, 2);
    const result = await runCli(['eval', '--state', '-'], { input: bad });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      "error: <stdin>:3:17 - invalid state: volatility must be one of LOW, NORMAL, HIGH, EXTREME (got 'EXTREM')",
      "error: <stdin>:4:11 - invalid state: missing required field 'losing_streak' in risk",
    ]);
  });

  it('eval: malformed JSON, a missing file and an unknown profile are one-line errors', async () => {
    const malformed = await runCli(['eval', '--state', '-'], { input: '{"regime": "SIDEWAYS",' });
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toMatch(/^error: <stdin>:1:\d+ - invalid YAML: /);
    expect(malformed.stderr).not.toMatch(/\n\s+at /);

    const missing = await runCli(['eval', '--state', 'nowhere.json']);
    expect(missing.stderr.trim()).toBe('error: nowhere.json: cannot read state: file not found');
    expect(missing.status).toBe(2);

    const profile = await runCli(['eval', '--state', SCENARIO_FILES.normal, '--profile', 'reckless']);
    expect(profile.stderr.trim()).toBe("error: unknown profile 'reckless' (available: AGGRESSIVE, MODERATE, SAFE)");
    expect(profile.status).toBe(2);
  });

  it('eval refuses to run an invalid rule set and says where it is broken (exit 1)', async () => {
    const c = copy();
    c.edit('profiles/safe.yaml', 'max_open_positions: 5', 'max_open_positions: five');
    const result = await runCli(['eval', '--state', `${process.cwd()}/${SCENARIO_FILES.normal}`], { cwd: c.root });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("profiles/safe.yaml:9:23 SAFE limits.max_open_positions must be an integer (got 'five')");
  });

  it('explain: names the fired rules, the failing condition of the others, and who decided each field', async () => {
    const result = await runCli(['explain', '--state', SCENARIO_FILES.dailyDrawdown]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Fired \(\d+\):\n {2}gate-daily-drawdown {2}priority 95 {2}\(rules\/gates\.yaml:\d+\)\n {6}risk\.daily_dd_pct = -0\.026 {2}lessThanInclusive {2}profile\.circuit_breakers\.daily_dd_limit_pct \(-0\.025\) {2}→ true/);
    expect(result.stdout).toMatch(/gate-extreme-volatility {2}priority 100 .*\n {6}volatility = "NORMAL" {2}equal {2}"EXTREME" {2}→ FALSE/);
    expect(result.stdout).toMatch(/allow_new_trades +false +\(by gate-daily-drawdown\)/);
    expect(result.stdout).toMatch(/exit_mode +"FAST_TP" +\(by exit-daily-drawdown\)/);

    const json = JSON.parse((await runCli(['explain', '--state', SCENARIO_FILES.dailyDrawdown, '--format', 'json'])).stdout);
    expect(json.trace.find((t: { rule: string }) => t.rule === 'gate-daily-drawdown')).toMatchObject({ fired: true, priority: 95 });
  });

  it('a usage error exits 2 and shows the help', async () => {
    const result = await runCli(['eval']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/required option '--state <file>' not specified/);
  });
});
