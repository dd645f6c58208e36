import { afterEach, describe, expect, it } from 'vitest';
import { HOSTILE_SAVES } from '../support/rule-mutations.js';
import { RuleSetCopy } from '../support/rule-sets.js';
import { WatchProcess } from '../support/watch-process.js';

const SAVES = ['self-referencing anchor', 'numeric path in a fact reference', 'alias bomb', 'FIFO named like a rule file', 'dangling symbolic link'];

// The saves that used to end the daemon with a stack trace, or hang it, against the real `watch` process.
describe('quantum-trader watch under hostile saves', () => {
  let copy: RuleSetCopy | undefined;
  let watch: WatchProcess | undefined;
  afterEach(async () => {
    watch?.stop();
    await watch?.exited;
    copy?.remove();
  });

  it('logs each rejected save with its file and position, keeps running the last good set, and applies the next valid edit', async () => {
    copy = new RuleSetCopy();
    watch = new WatchProcess(['--rules', copy.rulesDir, '--profiles', copy.profilesDir, '--symbols', 'BTCUSDT', '--bars', '480']);
    let exitedEarly = false;
    void watch.exited.then(() => (exitedEarly = true));
    await watch.waitFor('err', /data ended; still watching/);
    const saves = HOSTILE_SAVES.filter((s) => SAVES.includes(s.name));
    expect(saves).toHaveLength(SAVES.length);

    // Two rounds, so that the daemon also has to recover from one broken state into another.
    for (const round of [saves.slice(0, 3), saves.slice(3)]) {
      const seen = watch.err.length;
      for (const save of round) save.apply(copy);
      const rejected = await watch.waitFor('err', /policy reload rejected/, seen);
      for (const save of round) expect(rejected).toMatch(new RegExp(`${save.file.replace('.', '\\.')}(:\\d+:\\d+)? `));
      expect(rejected).toContain('keeping 1.2.0+');
      for (const save of round) save.undo(copy);
    }

    const before = watch.out.length;
    copy.edit('rules/ruleset.yaml', 'version: 1.2.0', 'version: 1.2.7');
    await watch.waitFor('out', /rules 1\.2\.7\+/, before);
    expect(watch.err.join('\n')).not.toMatch(/internal error|\n\s+at /);
    expect(exitedEarly).toBe(false);
    watch.stop();
    expect(await watch.exited).toBe(0);
  }, 90_000);
});
