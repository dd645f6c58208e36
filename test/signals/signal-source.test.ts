import { describe, expect, it } from 'vitest';
import { closeTimeGroups } from '../../src/market/time-batches.js';
import type { Candle } from '../../src/market/candle.js';
import { JsonLinesSignalSource, mergeSources, ReferenceStrategy, type SignalSource } from '../../src/signals/index.js';
import { bundledRuleSet } from '../support/rule-sets.js';
import { candlesOf } from '../support/trading.js';

/** Asks a source instant by instant, as the replay and the live session do. */
const signalsOf = (candles: readonly Candle[], source: SignalSource) => [...closeTimeGroups(candles)].flatMap(({ time, candles: batch }) => source.signalsAt(time, batch));
const strategy = () => new ReferenceStrategy(() => bundledRuleSet().strategy);

describe('mergeSources', () => {
  it('runs merged sources side by side, neither disturbing the other’s signals', async () => {
    const lines = '{"symbol":"XRPUSDT","side":"long","confidence":0.8,"timestamp":"2024-03-01T00:00:00Z"}';
    const candles = await candlesOf({ bars: 600, start: '2024-03-01T00:00:00Z' });
    const alone = signalsOf(candles, strategy());
    expect(alone.length).toBeGreaterThan(0);
    const merged = mergeSources([JsonLinesSignalSource.fromText(lines, 'model.jsonl'), strategy()]);
    expect(merged.name).toBe(`model.jsonl+${strategy().name}`);
    const both = signalsOf(candles, merged);
    expect(both[0]).toMatchObject({ symbol: 'XRPUSDT', side: 'long', confidence: 0.8 });
    expect(both.slice(1)).toEqual(alone);
  });
});
