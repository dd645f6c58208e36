import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveRuleSet } from '../../src/policy/hot-reload.js';
import { ReferenceStrategy } from '../../src/signals/index.js';
import { runCli } from '../support/cli.js';
import { captureLogger } from '../support/log-capture.js';
import { bundledRuleSet, RuleSetCopy } from '../support/rule-sets.js';

// rules/strategy.yaml is a document of the rule set like any other: linted, required, hashed, hot-reloaded.
describe('rules/strategy.yaml (kind ReferenceStrategy)', () => {
  let copy: RuleSetCopy | undefined;
  let live: LiveRuleSet | undefined;
  afterEach(async () => {
    await live?.close();
    live = undefined;
    copy?.remove();
    copy = undefined;
  });
  const edited = (from: string, to: string) => {
    copy = new RuleSetCopy();
    copy.edit('rules/strategy.yaml', from, to);
    return copy;
  };

  it('lints clean as shipped', async () => {
    const result = await runCli(['lint', 'rules/strategy.yaml']);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/1 file\(s\) checked: no problems/);
    expect(result.status).toBe(0);
  });

  it('reports a schema violation with file:line:column, and lint exits 1', async () => {
    const c = edited('cooldown_bars: 6', 'cooldown_bars: -6');
    const result = await runCli(['lint'], { cwd: c.root });
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual(['rules/strategy.yaml:28:16 - cooldown_bars -6 is outside its range: it must be >= 0']);
  });

  it('names a misspelt field where it was written, with the field it probably meant', async () => {
    const loaded = edited('    weight: 0.35', '    wieght: 0.35').load();
    expect(loaded.ruleSet).toBeUndefined();
    expect(loaded.problems).toContainEqual(expect.objectContaining({ file: 'rules/strategy.yaml', line: 16, check: 'schema', message: "unknown field 'wieght' in confidence.trend_strength (did you mean 'weight'?)" }));
  });

  it('is required exactly once: a rule set without it does not load', async () => {
    copy = new RuleSetCopy();
    rmSync(copy.path('rules/strategy.yaml'));
    const loaded = copy.load();
    expect(loaded.ruleSet).toBeUndefined();
    expect(loaded.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^the rule set has no ReferenceStrategy document/));
  });

  it('is exposed as RuleSet.strategy', async () => {
    expect(bundledRuleSet().strategy).toMatchObject({ kind: 'ReferenceStrategy', name: 'ema-cross', cooldown_bars: 6 });
  });

  it('is part of the content hash, and a valid edit reaches a running strategy at its next bar', async () => {
    copy = new RuleSetCopy();
    const opened = LiveRuleSet.open({ rulesDir: copy.rulesDir, profilesDir: copy.profilesDir }, captureLogger().logger);
    if (!(opened instanceof LiveRuleSet)) throw new Error('initial rule set invalid');
    live = opened;
    const strategy = new ReferenceStrategy(() => opened.ruleSet.strategy);
    const before = opened.ruleSet.contentHash;
    copy.edit('rules/strategy.yaml', 'name: ema-cross', 'name: ema-cross-edited');
    // The random entries are `like` the reference strategy by name: a rename alone is a lint error.
    expect(opened.reload().status).toBe('rejected');
    copy.edit('rules/strategies/random.yaml', 'like: ema-cross', 'like: ema-cross-edited');
    expect(opened.reload().status).toBe('reloaded');
    expect(opened.ruleSet.contentHash).not.toBe(before);
    expect(strategy.name).toBe('ema-cross-edited');
  });

  it('keeps the last good parameters when an edit is invalid', async () => {
    copy = new RuleSetCopy();
    const opened = LiveRuleSet.open({ rulesDir: copy.rulesDir, profilesDir: copy.profilesDir }, captureLogger().logger);
    if (!(opened instanceof LiveRuleSet)) throw new Error('initial rule set invalid');
    live = opened;
    copy.edit('rules/strategy.yaml', 'ema_slow: 48', 'ema_slow: 10');
    expect(opened.reload().status).toBe('rejected');
    expect(opened.ruleSet.strategy.indicators.ema_slow).toBe(48);
  });
});
