import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLED, loadRuleSet } from '../../src/policy/index.js';
import { runCli } from '../support/cli.js';
import { REPO, RuleSetCopy } from '../support/rule-sets.js';

const versionOf = (location: { rulesDir: string; profilesDir: string }, cwd: string) => {
  const loaded = loadRuleSet(location, cwd);
  if (!loaded.ruleSet) throw new Error('rule set invalid');
  return loaded.ruleSet.version;
};

// Stored decisions carry rule_set_version: the same files must give the same version wherever the command runs.
describe('rule_set_version', () => {
  let copy: RuleSetCopy | undefined;
  let elsewhere: string | undefined;
  afterEach(() => {
    copy?.remove();
    if (elsewhere) rmSync(elsewhere, { recursive: true, force: true });
  });

  it('depends on the files and their paths inside the folders only, not on the working folder or how the folders are named', () => {
    copy = new RuleSetCopy();
    elsewhere = mkdtempSync(join(tmpdir(), 'qt-cwd-'));
    const bundled = versionOf(BUNDLED, REPO);
    expect(versionOf(BUNDLED, elsewhere)).toBe(bundled);
    expect(versionOf(BUNDLED, '/')).toBe(bundled);
    // A copy of the same files under other folder names.
    expect(versionOf({ rulesDir: copy.rulesDir, profilesDir: copy.profilesDir }, REPO)).toBe(bundled);
    expect(versionOf({ rulesDir: copy.rulesDir, profilesDir: copy.profilesDir }, copy.root)).toBe(bundled);

    copy.edit('rules/gates.yaml', 'priority: 95', 'priority: 96');
    expect(versionOf({ rulesDir: copy.rulesDir, profilesDir: copy.profilesDir }, REPO)).not.toBe(bundled);
  });

  it('is the same from the command line run in two folders, with bundled or explicit --rules paths', async () => {
    elsewhere = mkdtempSync(join(tmpdir(), 'qt-cwd-'));
    const version = async (args: string[], cwd: string) => (JSON.parse((await runCli(['status', '--format', 'json', ...args], { cwd })).stdout) as { rule_set_version: string }).rule_set_version;
    const inRepo = await version([], REPO);
    expect(inRepo).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    expect(inRepo).toBe(versionOf(BUNDLED, REPO));
    expect(await version(['--rules', relative(elsewhere, BUNDLED.rulesDir), '--profiles', BUNDLED.profilesDir], elsewhere)).toBe(inRepo);
  }, 60_000);
});
