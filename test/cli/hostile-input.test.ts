import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { HOSTILE_SAVES } from '../support/rule-mutations.js';
import { RuleSetCopy } from '../support/rule-sets.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(args, output);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// Input a hostile tester gives the one-shot commands: answered with exit 1 or 2 and a position, never exit 3 or a hang.
describe('hostile input to lint, eval and explain', () => {
  let copy: RuleSetCopy | undefined;
  afterEach(() => copy?.remove());

  it('lint reports every hostile rule file with its position (exit 1), without hanging on a FIFO', async () => {
    copy = new RuleSetCopy();
    const saves = HOSTILE_SAVES.filter((s) => s.file !== 'rules/gates.yaml' || s.name === 'self-referencing anchor');
    for (const save of saves) save.apply(copy);
    const result = await run(['lint', '--rules', copy.rulesDir, '--profiles', copy.profilesDir]);
    expect(result.err).not.toMatch(/internal error/);
    expect(result.code).toBe(1);
    for (const save of saves) expect(result.out).toMatch(new RegExp(`${save.file.replace('.', '\\.')}(:\\d+:\\d+)? `));
  });

  it('lint reports a rich JSONPath and a numeric path as errors at the path, not as misleading warnings', async () => {
    copy = new RuleSetCopy();
    copy.edit('rules/gates.yaml', 'path: $.daily_dd_pct', 'path: $.daily_dd_pct[0]');
    copy.edit('rules/gates.yaml', 'path: $.limits.max_open_positions', 'path: 16');
    copy.edit('rules/gates.yaml', 'path: $.exposure_pct', 'path: $..*');
    const result = await run(['lint', '--rules', copy.rulesDir, '--profiles', copy.profilesDir]);
    expect(result.code).toBe(1);
    expect(result.out.split('\n')).toEqual([
      expect.stringMatching(/rules\/gates\.yaml:35:17 gate-daily-drawdown .*path '\$\.daily_dd_pct\[0\]' is not valid: expected a plain member path/),
      expect.stringMatching(/rules\/gates\.yaml:84:19 gate-max-positions .*path must be a string \(got 16\)/),
      expect.stringMatching(/rules\/gates\.yaml:100:17 gate-total-exposure .*path '\$\.\.\*' is not valid: expected a plain member path/),
    ]);
  });

  it('eval and explain refuse a YAML-bomb state, a self-referencing state, a FIFO and invalid UTF-8 with one line and exit 2', async () => {
    copy = new RuleSetCopy();
    const bomb = copy.path('bomb.yaml');
    const lines = ['l0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1]'];
    for (let i = 1; i <= 9; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
    writeFileSync(bomb, `${lines.join('\n')}\nregime: SIDEWAYS\n`);
    const selfRef = copy.path('self.yaml');
    writeFileSync(selfRef, 'regime: &r [SIDEWAYS, *r]\nvolatility: LOW\n');
    const fifo = copy.path('state.fifo');
    execFileSync('mkfifo', [fifo]);
    const latin1 = copy.path('latin1.json');
    writeFileSync(latin1, Buffer.concat([Buffer.from('{"regime": "SIDEWAYS", "note": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]));
    const expected: [string, RegExp][] = [
      [bomb, /^error: .*bomb\.yaml:\d+:\d+ - aliases expand to more than 100000 values/],
      [selfRef, /^error: .*self\.yaml:1:\d+ - alias \*r is inside the value anchored as &r/],
      [fifo, /^error: .*state\.fifo: cannot read state: not a regular file \(a FIFO\)/],
      [latin1, /^error: .*latin1\.json:1:36 - invalid UTF-8/],
    ];
    for (const command of ['eval', 'explain']) {
      for (const [file, message] of expected) {
        const result = await run([command, '--state', file, '--rules', copy.rulesDir, '--profiles', copy.profilesDir]);
        expect(result.err.split('\n')).toEqual([expect.stringMatching(message)]);
        expect(result.code).toBe(2);
      }
    }
  });
});
