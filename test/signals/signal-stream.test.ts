import { firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { groupByCloseTime } from '../../src/backtest/replay.js';
import type { Candle } from '../../src/market/candle.js';
import { JsonLinesSignalSource, mergeSources, ReferenceStrategy, signalStream, type Signal, type SignalSource } from '../../src/signals/index.js';
import { bundledRuleSet } from '../support/rule-sets.js';
import { candlesOf, HOUR } from '../support/trading.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const bar = (symbol: string, i: number): Candle => ({ symbol, openTime: T0 + i * HOUR, closeTime: T0 + (i + 1) * HOUR, open: 100, high: 101, low: 99, close: 100, volume: 1 });
const streamed = (candles: readonly Candle[], source: () => SignalSource) => firstValueFrom(from(candles).pipe(signalStream(source), toArray()));
const strategy = () => new ReferenceStrategy(() => bundledRuleSet().strategy);

describe('signalStream: a signal source as an RxJS operator over closed candles', () => {
  it('gives the reference strategy’s signals exactly as the replay asks for them, instant by instant', async () => {
    const candles = await candlesOf({ bars: 600 });
    const replayed = strategy();
    const expected = groupByCloseTime(candles).flatMap(({ time, candles: batch }) => replayed.signalsAt(time, batch));
    expect(expected.length).toBeGreaterThan(0);
    expect(await streamed(candles, strategy)).toEqual(expected);
  });

  it('starts every subscription from a fresh source, so a second subscription replays the same signals', async () => {
    const candles = await candlesOf({ bars: 600 });
    const signals$ = from(candles).pipe(signalStream(strategy));
    const first = await firstValueFrom(signals$.pipe(toArray()));
    expect(await firstValueFrom(signals$.pipe(toArray()))).toEqual(first);
  });

  it('merges a file’s signals into the candle timeline: each is released at the first close at or after its timestamp', async () => {
    const lines = [
      '{"symbol":"BTCUSDT","side":"long","confidence":0.7,"timestamp":"2024-02-29T23:00:00Z"}', // before the data: first close
      '{"symbol":"ETHUSDT","side":"short","confidence":0.6,"timestamp":"2024-03-01T01:30:00Z"}', // inside a bar: that bar's close
      '{"symbol":"BTCUSDT","side":"exit","confidence":1,"timestamp":"2024-03-01T03:00:00Z"}', // on a close: that close
      '{"symbol":"BTCUSDT","side":"long","confidence":0.9,"timestamp":"2024-03-02T00:00:00Z"}', // after the data: never
    ].join('\n');
    const candles = [0, 1, 2, 3].flatMap((i) => [bar('BTCUSDT', i), bar('ETHUSDT', i)]);
    const released: { signal: Signal; at: number }[] = [];
    const file = () => {
      const source = JsonLinesSignalSource.fromText(lines, 'model.jsonl');
      return { name: source.name, signalsAt: (time: number) => source.signalsAt(time).map((signal) => (released.push({ signal, at: time }), signal)) };
    };
    expect(await streamed(candles, file)).toHaveLength(3);
    expect(released.map(({ signal, at }) => [signal.symbol, signal.side, new Date(at).toISOString()])).toEqual([
      ['BTCUSDT', 'long', '2024-03-01T01:00:00.000Z'],
      ['ETHUSDT', 'short', '2024-03-01T02:00:00.000Z'],
      ['BTCUSDT', 'exit', '2024-03-01T03:00:00.000Z'],
    ]);
  });

  it('runs merged sources side by side, neither disturbing the other’s signals', async () => {
    const lines = '{"symbol":"XRPUSDT","side":"long","confidence":0.8,"timestamp":"2024-03-01T00:00:00Z"}';
    const candles = await candlesOf({ bars: 600, start: '2024-03-01T00:00:00Z' });
    const both = await streamed(candles, () => mergeSources([JsonLinesSignalSource.fromText(lines, 'model.jsonl'), strategy()]));
    expect(both[0]).toMatchObject({ symbol: 'XRPUSDT', side: 'long', confidence: 0.8 });
    expect(both.slice(1)).toEqual(await streamed(candles, strategy));
  });

  it('fails the stream on candles out of time order instead of mixing instants', async () => {
    await expect(streamed([bar('BTCUSDT', 1), bar('BTCUSDT', 0)], strategy)).rejects.toThrow(/out of time order/);
  });
});
