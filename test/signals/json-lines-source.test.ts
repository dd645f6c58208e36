import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/config/problem.js';
import { JsonLinesSignalSource } from '../../src/signals/index.js';
import { REPO } from '../support/rule-sets.js';

const LINES = [
  '# an external model\'s signals',
  '{"symbol":"BTCUSDT","side":"long","confidence":0.72,"timestamp":"2024-03-01T12:00:00Z","strategy":"model-a"}',
  '{"symbol":"ETHUSDT","side":"short","confidence":0.55,"timestamp":1709298000000}',
  '{"symbol":"ETHUSDT","side":"sideways","confidence":0.55,"timestamp":1709298000000}',
  '{"symbol":"SOLUSDT","side":"long","confidence":1.5,"timestamp":1709298000000}',
  'not json at all',
  '',
  '{"symbol":"BTCUSDT","side":"exit","confidence":1,"timestamp":"2024-03-01T15:00:00Z"}',
].join('\n');

describe('JSON-lines signal source', () => {
  it('releases each signal at the first candle close at or after its timestamp, in time order', () => {
    const source = JsonLinesSignalSource.fromText(LINES, 'signals.jsonl');
    expect(source.size).toBe(3);
    expect(source.signalsAt(Date.parse('2024-03-01T11:00:00Z'))).toEqual([]);
    expect(source.signalsAt(Date.parse('2024-03-01T13:00:00Z')).map((s) => [s.symbol, s.side])).toEqual([['BTCUSDT', 'long'], ['ETHUSDT', 'short']]);
    expect(source.signalsAt(Date.parse('2024-03-01T14:00:00Z'))).toEqual([]);
    expect(source.signalsAt(Date.parse('2024-03-01T15:00:00Z'))).toEqual([{ symbol: 'BTCUSDT', side: 'exit', confidence: 1, timestamp: Date.parse('2024-03-01T15:00:00Z') }]);
  });

  it('reports each malformed line with file:line and the reason, and keeps the good ones', () => {
    const seen: Problem[] = [];
    const source = JsonLinesSignalSource.fromText(LINES, 'signals.jsonl', (p) => seen.push(p));
    expect(source.problems).toEqual(seen);
    expect(seen.map((p) => [p.line, p.message])).toEqual([
      [4, 'invalid signal: side must be long, short or exit (got "sideways")'],
      [5, 'invalid signal: confidence must be a number from 0 to 1 (got 1.5)'],
      [6, expect.stringMatching(/^invalid signal: not JSON/)],
    ]);
    expect(seen.every((p) => p.file === 'signals.jsonl')).toBe(true);
  });

  it('reads a file, and names a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qt-signals-'));
    try {
      writeFileSync(join(dir, 's.jsonl'), LINES);
      expect(JsonLinesSignalSource.read(join(dir, 's.jsonl')).size).toBe(3);
      expect(() => JsonLinesSignalSource.read(join(dir, 'missing.jsonl'))).toThrow(`${join(dir, 'missing.jsonl')}: cannot read signals: ENOENT`);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('reads standard input with `-`, naming it stdin in problems', () => {
    // Standard input is the test process's own, so the real read happens in a child fed through a pipe.
    const script = `import { JsonLinesSignalSource } from './src/signals/index.ts';
      const source = JsonLinesSignalSource.read('-', (p) => console.error(p.file + ':' + p.line + ': ' + p.message));
      console.log(JSON.stringify({ name: source.name, signals: source.signalsAt(Infinity) }));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, input: LINES, encoding: 'utf8', timeout: 120_000 });
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout) as { name: string; signals: { symbol: string; side: string }[] };
    expect(out.name).toBe('stdin');
    expect(out.signals.map((s) => `${s.symbol} ${s.side}`)).toEqual(['BTCUSDT long', 'ETHUSDT short', 'BTCUSDT exit']);
    expect(child.stderr.trim().split('\n').filter((l) => l.startsWith('stdin:')).map((l) => l.split(': ')[0])).toEqual(['stdin:4', 'stdin:5', 'stdin:6']);
  });

  it('gives another run the same signals from the start again', () => {
    const source = JsonLinesSignalSource.fromText(LINES, 'signals.jsonl');
    const all = source.signalsAt(Number.POSITIVE_INFINITY);
    expect(source.signalsAt(Number.POSITIVE_INFINITY)).toEqual([]);
    expect(source.fresh().signalsAt(Number.POSITIVE_INFINITY)).toEqual(all);
  });
});
