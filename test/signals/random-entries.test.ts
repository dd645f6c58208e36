import { describe, expect, it } from 'vitest';
import { randomEntries, type RandomEntriesDoc, type Signal, type SignalSource } from '../../src/signals/index.js';
import { closes, run, SCALES, T0 } from './strategy-candles.js';

const H = 3_600_000;
const doc: RandomEntriesDoc = { apiVersion: 'quantum-trader/v1', kind: 'RandomEntries', version: '1.0.0', description: '', name: 'random', like: 'model', seed: 1 };

/** A model that signals at fixed bars: long at 10 (0.6), exit at 14, short at 20 (0.8), long at 30 (0.55), per symbol. */
const model = (): SignalSource => ({
  name: 'model',
  signalsAt: (time, candles) => candles.flatMap((c): Signal[] => {
    const bar = (time - T0) / H;
    const at = { 10: ['long', 0.6], 14: ['exit', 1], 20: ['short', 0.8], 30: ['long', 0.55] } as Record<number, [Signal['side'], number]>;
    return at[bar] === undefined ? [] : [{ symbol: c.symbol, side: at[bar]![0], confidence: at[bar]![1], timestamp: time, strategy: 'model' }];
  }),
});

function market(scale: number) {
  const a = closes('AUSDT', scale, Array.from({ length: 60 }, (_, i) => 1 + (i % 7) / 100));
  const b = closes('BUSDT', scale * 3, Array.from({ length: 60 }, (_, i) => 1 - (i % 5) / 100));
  return a.flatMap((c, i) => [c, b[i]!]);
}

const schedule = (scale: number, seed: number) => randomEntries(doc, model(), market(scale), seed).signals;

describe.each(SCALES)('random entries like a model, at price scale %s', (scale) => {
  it('keep the model’s signals per symbol, in order, with their sides and confidences', () => {
    for (const symbol of ['AUSDT', 'BUSDT']) {
      const moved = schedule(scale, 1).filter((s) => s.symbol === symbol);
      expect(moved.map((s) => [s.side, s.confidence])).toEqual([['long', 0.6], ['exit', 1], ['short', 0.8], ['long', 0.55]]);
      expect(moved.every((s) => s.strategy === 'random')).toBe(true);
    }
  });

  it('move them to distinct candle closes from the model’s first signal (bar 10) to the last close', () => {
    const closesOf = new Set(market(scale).map((c) => c.closeTime));
    for (const seed of [1, 2, 3, 4, 5]) {
      const times = schedule(scale, seed).filter((s) => s.symbol === 'AUSDT').map((s) => s.timestamp);
      expect(new Set(times).size).toBe(4);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      for (const t of times) {
        expect(closesOf.has(t)).toBe(true);
        expect(t).toBeGreaterThanOrEqual(T0 + 10 * H);
      }
    }
  });

  it('are the same for the same seed and differ for another; the price scale changes nothing', () => {
    expect(schedule(scale, 7)).toEqual(schedule(scale, 7));
    expect(schedule(scale, 7).map((s) => s.timestamp)).not.toEqual(schedule(scale, 8).map((s) => s.timestamp));
    expect(schedule(scale, 7)).toEqual(schedule(SCALES[0]!, 7));
  });
});

describe('random entries as a signal source', () => {
  it('releases each signal at its close, to every fresh replay alike', () => {
    const source = randomEntries(doc, model(), market(1), 3);
    const candles = market(1);
    const replayed = run(source, candles);
    expect(replayed.map(({ bar: _b, ...s }) => s)).toEqual([...source.signals].sort((a, b) => a.timestamp - b.timestamp || (a.symbol < b.symbol ? -1 : 1)));
    expect(source.name).toBe('random(model)');
  });
});
