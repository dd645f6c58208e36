import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../src/config/input-limits.js';
import { formatProblem, type Problem } from '../../src/config/problem.js';
import { firstInvalidUtf8, readTextFile } from '../../src/config/text-file.js';
import { YamlSource } from '../../src/config/yaml-source.js';

const problemsOf = (result: YamlSource | Problem[]): string[] => {
  if (!Array.isArray(result)) throw new Error(`expected problems, got data ${JSON.stringify(result.data)}`);
  return result.map(formatProblem);
};

/** `levels` anchors, each a list of `fanOut` aliases of the previous: fanOut^levels values from a few lines. */
function aliasBomb(levels: number, fanOut: number): string {
  const lines = [`l0: &l0 [${Array(fanOut).fill('"lol"').join(', ')}]`];
  for (let i = 1; i <= levels; i++) lines.push(`l${i}: &l${i} [${Array(fanOut).fill(`*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

// Every YAML a user gives is parsed through YamlSource: whatever the text, the answer is data or positioned problems.
describe('YamlSource.parse limits', () => {
  it('refuses a self-referencing anchor at the alias, instead of building a circular value', () => {
    expect(problemsOf(YamlSource.parse('rules/gates.yaml', 'rules:\n  - value: &a [LOW, *a]\n'))).toEqual([
      'rules/gates.yaml:2:21 - alias *a is inside the value anchored as &a: a value cannot contain itself',
    ]);
  });

  it('refuses an alias with no anchor before it', () => {
    expect(problemsOf(YamlSource.parse('f.yaml', 'a: 1\nb: *nope\n'))).toEqual(['f.yaml:2:4 - alias *nope has no anchor &nope defined before it']);
  });

  it('refuses an alias bomb before expanding it (9^10 values from ten lines)', () => {
    const [problem] = problemsOf(YamlSource.parse('bomb.yaml', aliasBomb(9, 9)));
    expect(problem).toMatch(/^bomb\.yaml:\d+:\d+ - aliases expand to more than 100000 values/);
  });

  it('accepts ordinary anchors and aliases within the limits', () => {
    const source = YamlSource.parse('ok.yaml', 'base: &b {x: 1}\nuse: [*b, *b]\n');
    expect(Array.isArray(source) ? source : source.data).toEqual({ base: { x: 1 }, use: [{ x: 1 }, { x: 1 }] });
  });

  it('refuses more aliases than the limit even when they expand to little', () => {
    const text = `a: &a 1\nlist: [${Array(INPUT_LIMITS.maxAliases + 1).fill('*a').join(', ')}]\n`;
    expect(problemsOf(YamlSource.parse('many.yaml', text))).toEqual([expect.stringMatching(/^many\.yaml:2:\d+ - more than 100 aliases in one file$/)]);
  });

  it('refuses nesting deeper than the limit, in flow style before parsing and in block style after', () => {
    const flow = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(problemsOf(YamlSource.parse('flow.yaml', `a: ${flow}\n`))).toEqual(['flow.yaml:1:68 - nesting deeper than 64 levels']);
    const block = `${'- '.repeat(70)}x\n`;
    expect(problemsOf(YamlSource.parse('block.yaml', block))).toEqual([expect.stringMatching(/^block\.yaml:1:\d+ - nesting deeper than 64 levels$/)]);
    // An alias nests its value where it is used.
    const deep = `d: &d ${'['.repeat(40)}${']'.repeat(40)}\nuse: ${'['.repeat(30)}*d${']'.repeat(30)}\n`;
    expect(problemsOf(YamlSource.parse('alias.yaml', deep))).toEqual([expect.stringMatching(/^alias\.yaml:2:\d+ - nesting deeper than 64 levels$/)]);
  });

  it('refuses a duplicate key at its second occurrence', () => {
    expect(problemsOf(YamlSource.parse('d.yaml', 'a: 1\nb: 2\nnested: {x: 1, x: 2}\na: 3\n'))).toEqual(["d.yaml:3:16 - duplicate key 'x' (each key may appear once in a mapping)"]);
  });

  it('caps the problems of one file', () => {
    const garbage = Array.from({ length: 200 }, (_, i) => `k${i}: [\n`).join('');
    expect(problemsOf(YamlSource.parse('g.yaml', garbage)).length).toBeLessThanOrEqual(INPUT_LIMITS.maxProblems);
  });

  it('never throws, whatever the text', () => {
    const yamlish = fc.array(fc.constantFrom('a', ':', ' ', '\n', '-', '[', ']', '{', '}', ',', '&a', '*a', '&b', '*b', '!!str', '"', "'", '#', '? ', '|', '>', '---', '\t', '1'), { maxLength: 80 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string({ maxLength: 80 })), (text) => {
        const result = YamlSource.parse('fuzz.yaml', text);
        if (Array.isArray(result)) {
          expect(result.length).toBeGreaterThan(0);
          for (const p of result) expect(p.line).toBeGreaterThanOrEqual(1);
        } else {
          expect(() => JSON.stringify(result.data)).not.toThrow();
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('readTextFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qt-read-'));
    mkdirSync(join(dir, 'rules'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const rules = () => join(dir, 'rules');
  const read = (name: string) => readTextFile(join(rules(), name), { display: `rules/${name}`, within: [rules()] });
  const messages = (result: ReturnType<typeof readTextFile>) => (Array.isArray(result) ? result.map(formatProblem) : [`text: ${result.text}`]);

  it('refuses a FIFO without waiting for a writer', () => {
    expect(spawnSync('mkfifo', [join(rules(), 'pipe.yaml')]).status).toBe(0);
    expect(messages(read('pipe.yaml'))).toEqual(['rules/pipe.yaml - not a regular file (a FIFO); only regular files are read']);
  });

  it('follows a link inside the folder, and refuses dangling links, loops and links leaving the folder', () => {
    writeFileSync(join(rules(), 'real.yaml'), 'a: 1\n');
    symlinkSync('real.yaml', join(rules(), 'alias.yaml'));
    symlinkSync('missing.yaml', join(rules(), 'dangling.yaml'));
    symlinkSync('loop-b.yaml', join(rules(), 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(rules(), 'loop-b.yaml'));
    writeFileSync(join(dir, 'outside.yaml'), 'a: 2\n');
    symlinkSync('../outside.yaml', join(rules(), 'escape.yaml'));
    expect(messages(read('alias.yaml'))).toEqual(['text: a: 1\n']);
    expect(messages(read('dangling.yaml'))).toEqual(['rules/dangling.yaml - dangling symbolic link: its target missing.yaml does not exist']);
    expect(messages(read('loop-a.yaml'))).toEqual([expect.stringMatching(/^rules\/loop-a\.yaml - symbolic link loop/)]);
    expect(messages(read('escape.yaml'))).toEqual([expect.stringMatching(/^rules\/escape\.yaml - symbolic link leaves the rule-set folders: it points to .*outside\.yaml/)]);
    // Without a folder to stay in (a file named on the command line), any link target is read.
    expect(messages(readTextFile(join(rules(), 'escape.yaml')))).toEqual(['text: a: 2\n']);
  });

  it('refuses a file over the size limit and a folder', () => {
    writeFileSync(join(rules(), 'big.yaml'), 'x'.repeat(2000));
    expect(messages(readTextFile(join(rules(), 'big.yaml'), { display: 'big.yaml', limits: { ...INPUT_LIMITS, maxBytes: 1000 } }))).toEqual([
      'big.yaml - file too large: 2 KiB (limit 1000 bytes)',
    ]);
    expect(messages(readTextFile(rules(), { display: 'rules' }))).toEqual(['rules - not a regular file (a folder); only regular files are read']);
  });

  it('reports invalid UTF-8 at its line and column instead of replacing it', () => {
    writeFileSync(join(rules(), 'latin1.yaml'), Buffer.concat([Buffer.from('a: 1\nnote: caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]));
    expect(messages(read('latin1.yaml'))).toEqual(['rules/latin1.yaml:2:10 - invalid UTF-8 (byte 0xe9 at offset 14); save the file as UTF-8']);
    writeFileSync(join(rules(), 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: é\n')]));
    expect(messages(read('bom.yaml'))).toEqual(['text: a: é\n']);
  });

  it('finds the first invalid UTF-8 byte exactly as the strict decoder judges validity', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        let strictOk = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          strictOk = false;
        }
        const at = firstInvalidUtf8(bytes);
        expect(at === bytes.length).toBe(strictOk);
        if (!strictOk) expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, at))).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });
});
