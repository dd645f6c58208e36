import { describe, expect, it } from 'vitest';
import { parseSignalLines } from '../../src/signals/signal.js';

describe('signals from JSON lines', () => {
  it('accepts valid records (ISO or epoch time), skips comments, reports every bad line and keeps going', () => {
    const text = [
      '{"symbol":"BTCUSDT","side":"long","confidence":0.62,"timestamp":"2024-01-01T01:00:00Z","strategy":"model-a"}',
      '# a comment',
      '{"symbol":"ETHUSDT","side":"sideways","confidence":0.5,"timestamp":1}',
      'not json',
      '{"symbol":"ETHUSDT","side":"short","confidence":1.5,"timestamp":1}',
      '{"symbol":"SOLUSDT","side":"exit","confidence":0,"timestamp":1704067200000}',
    ].join('\n');
    const { signals, problems } = parseSignalLines(text, 'signals.jsonl');
    expect(signals).toEqual([
      { symbol: 'SOLUSDT', side: 'exit', confidence: 0, timestamp: 1_704_067_200_000 },
      { symbol: 'BTCUSDT', side: 'long', confidence: 0.62, timestamp: 1_704_070_800_000, strategy: 'model-a' },
    ]);
    expect(problems.map((p) => `${p.file}:${p.line} ${p.message}`)).toEqual([
      'signals.jsonl:3 invalid signal: side must be long, short or exit (got "sideways")',
      expect.stringMatching(/^signals\.jsonl:4 invalid signal: not JSON/),
      'signals.jsonl:5 invalid signal: confidence must be a number from 0 to 1 (got 1.5)',
    ]);
  });
});
