import { firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { batchByTime, timeBatches } from '../../src/market/time-batches.js';

describe('batchByTime', () => {
  it('groups items of the same instant and emits each batch when time moves on or the stream ends', async () => {
    const items = [{ t: 1, s: 'A' }, { t: 1, s: 'B' }, { t: 2, s: 'A' }, { t: 3, s: 'B' }, { t: 3, s: 'A' }];
    const batches = await firstValueFrom(from(items).pipe(batchByTime((i) => i.t), toArray()));
    expect(batches.map((b) => [b.time, b.items.map((i) => i.s).join('')])).toEqual([[1, 'AB'], [2, 'A'], [3, 'BA']]);
  });

  it('fails loudly on items out of time order instead of mixing instants', async () => {
    await expect(firstValueFrom(from([{ t: 2 }, { t: 1 }]).pipe(batchByTime((i) => i.t), toArray()))).rejects.toThrow(/out of time order/);
  });

  it('is the same rule as the iterable grouping of the replay and the live session', async () => {
    const items = [{ t: 5, s: 'A' }, { t: 5, s: 'B' }, { t: 7, s: 'A' }, { t: 9, s: 'C' }, { t: 9, s: 'A' }, { t: 9, s: 'B' }];
    const streamed = await firstValueFrom(from(items).pipe(batchByTime((i) => i.t), toArray()));
    expect([...timeBatches(items, (i) => i.t)]).toEqual(streamed);
    expect([...timeBatches([], (i: { t: number }) => i.t)]).toEqual([]);
    expect(() => [...timeBatches([{ t: 2, s: 'ETHUSDT' }, { t: 1, s: 'BTCUSDT' }], (i) => i.t, (i) => i.s)]).toThrow(/out of time order: BTCUSDT at .* after /);
  });
});
