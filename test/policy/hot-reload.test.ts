import { renameSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveRuleSet } from '../../src/policy/hot-reload.js';
import { captureLogger } from '../support/log-capture.js';
import { RuleSetCopy } from '../support/rule-sets.js';
import { scenario, state } from '../support/states.js';

// Traders edit YAML while the system runs: valid edits apply at the next evaluation, invalid ones never do.
describe('hot reload', () => {
  let copy: RuleSetCopy;
  let live: LiveRuleSet | undefined;
  afterEach(async () => {
    await live?.close();
    live = undefined;
    copy?.remove();
  });

  const open = () => {
    copy = new RuleSetCopy();
    const { logger, records } = captureLogger();
    const opened = LiveRuleSet.open({ rulesDir: copy.rulesDir, profilesDir: copy.profilesDir }, logger);
    if (!(opened instanceof LiveRuleSet)) throw new Error('initial set invalid');
    live = opened;
    return { live: opened, records };
  };
  const minConfidence = async (l: LiveRuleSet) => (await l.engine.evaluate(scenario('highVolatility'))).policy.min_confidence;

  it('applies a valid edit as one swap and logs old and new versions and hashes', async () => {
    const { live, records } = open();
    const before = live.ruleSet;
    copy.edit('rules/confidence.yaml', 'min_confidence: 0.60', 'min_confidence: 0.66');
    copy.edit('rules/ruleset.yaml', 'version: 1.2.0', 'version: 1.2.1');
    expect(live.reload().status).toBe('reloaded');
    expect(await minConfidence(live)).toBe(0.66);
    expect(records.find((r) => r.msg === 'policy reloaded')).toMatchObject({
      old_version: before.version,
      new_version: expect.stringMatching(/^1\.2\.1\+/),
      old_hash: before.contentHash,
      new_hash: live.ruleSet.contentHash,
    });
    expect(live.reload().status).toBe('unchanged');
  });

  it('rejects an invalid edit with its file:line, keeps the last good set, and recovers on the next valid edit', async () => {
    const { live, records } = open();
    const good = live.ruleSet.version;
    copy.edit('rules/confidence.yaml', 'min_confidence: 0.60', 'min_confidence: 0.95');
    const outcome = live.reload();
    expect(outcome.status).toBe('rejected');
    expect(live.ruleSet.version).toBe(good);
    expect(await minConfidence(live)).toBe(0.6);
    const rejection = records.find((r) => String(r.msg).startsWith('policy reload rejected'));
    expect(rejection?.problems).toEqual([expect.stringMatching(/rules\/confidence\.yaml:33:25 confidence-high-volatility .*must be <= 0\.7$/)]);
    expect(rejection?.level).toBe(50);

    copy.edit('rules/confidence.yaml', 'min_confidence: 0.95', 'min_confidence: 0.62');
    expect(live.reload().status).toBe('reloaded');
    expect(await minConfidence(live)).toBe(0.62);
  });

  it('switches the active profile at run time: the limits follow', async () => {
    const { live } = open();
    const sixPositions = state({ risk: { open_positions: 6 } });
    expect((await live.engine.evaluate(sixPositions)).policy).toMatchObject({ profile: 'SAFE', allow_new_trades: false });
    copy.edit('profiles/active.yaml', 'profile: SAFE', 'profile: moderate');
    expect(live.reload().status).toBe('reloaded');
    expect((await live.engine.evaluate(sixPositions)).policy).toMatchObject({ profile: 'MODERATE', allow_new_trades: true });
  });

  it('refuses a switch to a profile that does not exist', () => {
    const { live } = open();
    copy.edit('profiles/active.yaml', 'profile: SAFE', 'profile: YOLO');
    const outcome = live.reload();
    expect(outcome).toMatchObject({ status: 'rejected', problems: [{ file: expect.stringMatching(/profiles\/active\.yaml$/), check: 'unknown-profile' }] });
    expect(live.ruleSet.activeProfile).toBe('SAFE');
  });

  it('watching: an editor-style atomic save (temp file + rename) is picked up', async () => {
    const { live } = open();
    await live.watch({ quietMs: 50 });
    const path = copy.path('rules/confidence.yaml');
    writeFileSync(`${path}.tmp~`, copy.read('rules/confidence.yaml').replace('min_confidence: 0.60', 'min_confidence: 0.64'));
    renameSync(`${path}.tmp~`, path);
    await vi.waitFor(async () => expect(await minConfidence(live)).toBe(0.64), { timeout: 30_000, interval: 50 });
  });

  it('watching: a burst of saves ends on the last content, and a half-written file is never applied', async () => {
    const { live, records } = open();
    await live.watch({ quietMs: 100 });
    const path = copy.path('rules/confidence.yaml');
    const full = copy.read('rules/confidence.yaml');
    for (const value of ['0.61', '0.62', '0.63']) writeFileSync(path, full.replace('min_confidence: 0.60', `min_confidence: ${value}`));
    // Half of the file: the last rules are cut off mid-way.
    writeFileSync(path, full.slice(0, Math.floor(full.length * 0.6)));
    writeFileSync(path, full.replace('min_confidence: 0.60', 'min_confidence: 0.65'));
    await vi.waitFor(async () => expect(await minConfidence(live)).toBe(0.65), { timeout: 30_000, interval: 50 });
    const applied = records.filter((r) => r.msg === 'policy reloaded');
    expect(applied.length).toBeLessThanOrEqual(2);
  });
});
