import { fileURLToPath } from 'node:url';
import { asapScheduler, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  compareCandles, CsvCandleSource, parseCandleCsv, type Candle, type DataIssue,
} from '../../../src/market/candles/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/candles/${name}`, import.meta.url));
const H = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

/** A series of flat bars at the given open times (hours from T0). */
function flat(symbol: string, hours: readonly number[], timeframe = '1h') {
  const rows = hours.map((h) => `${T0 + h * H},10,11,9,10,1`);
  return parseCandleCsv(['timestamp,open,high,low,close,volume', ...rows].join('\n'), { symbol, timeframe, gaps: 'ignore' });
}

/** Emits synchronously and collects, proving no scheduler or timer is involved. */
function collectSync(source: { candles(): import('rxjs').Observable<Candle> }): { values: Candle[]; completed: boolean } {
  const values: Candle[] = [];
  let completed = false;
  source.candles().subscribe({ next: (c) => values.push(c), complete: () => (completed = true) });
  return { values, completed };
}

describe('CsvCandleSource', () => {
  it('merges symbols in closeTime order, ties broken by symbol name', () => {
    const source = new CsvCandleSource([flat('SOLUSDT', [0, 1, 2]), flat('BTCUSDT', [1, 2]), flat('ETHUSDT', [0, 1, 2])]);
    const order = collectSync(source).values.map((c) => `${(c.closeTime - T0) / H}:${c.symbol}`);
    expect(order).toEqual(['1:ETHUSDT', '1:SOLUSDT', '2:BTCUSDT', '2:ETHUSDT', '2:SOLUSDT', '3:BTCUSDT', '3:ETHUSDT', '3:SOLUSDT']);
  });

  it('orders bars of different timeframes by when they close, not when they open', () => {
    // The 4h bar opening at 0 closes at 4, after the 1h bars opening at 0..2.
    const source = new CsvCandleSource([flat('AAA', [0, 4], '4h'), flat('BBB', [0, 1, 2, 3])]);
    expect(collectSync(source).values.map((c) => `${c.symbol}@${(c.closeTime - T0) / H}`)).toEqual([
      'BBB@1', 'BBB@2', 'BBB@3', 'AAA@4', 'BBB@4', 'AAA@8',
    ]);
  });

  it('emits everything synchronously in order, then completes', () => {
    const source = new CsvCandleSource([flat('A', [0, 1, 2]), flat('B', [0, 1])]);
    const { values, completed } = collectSync(source);
    expect(completed).toBe(true);
    expect(values).toHaveLength(5);
    expect([...values].sort(compareCandles)).toEqual(values);
  });

  it('is cold: each subscription replays from the start', async () => {
    const source = new CsvCandleSource([flat('A', [0, 1, 2])]);
    expect(await firstValueFrom(source.candles())).toEqual(await firstValueFrom(source.candles()));
  });

  it('stops emitting when the subscriber unsubscribes early', () => {
    const source = new CsvCandleSource([flat('A', [0, 1, 2, 3, 4])]);
    const seen: Candle[] = [];
    source.candles().pipe(take(2)).subscribe((c) => seen.push(c));
    expect(seen).toHaveLength(2);
  });

  it('emits on a scheduler when given one, asynchronously but in the same order', async () => {
    const source = new CsvCandleSource([flat('A', [0, 1]), flat('B', [0, 1])]);
    let synchronous = 0;
    const done = lastValueFrom(source.candles({ scheduler: asapScheduler }).pipe(toArray()));
    source.candles({ scheduler: asapScheduler }).subscribe(() => synchronous++).unsubscribe();
    expect(synchronous).toBe(0);
    expect(await done).toEqual(collectSync(source).values);
  });

  it('refuses two series for one symbol', () => {
    expect(() => new CsvCandleSource([flat('A', [0]), flat('A', [1])])).toThrow('symbol A is given by more than one series');
  });
});

describe('CsvCandleSource.fromFiles', () => {
  it('reads files of both layouts, taking symbols from names or prefixes', () => {
    const source = CsvCandleSource.fromFiles([fixture('ETHUSDT-1h-2025-01.csv'), `SOLUSDT=${fixture('sol.csv')}`]);
    expect(source.symbols).toEqual(['ETHUSDT', 'SOLUSDT']);
    expect(source.timeframeOf('ETHUSDT')).toBe(H);
    expect(collectSync(source).values).toHaveLength(7);
  });

  it('joins monthly dumps of one symbol in time order, whatever order they are named in, checking across files', () => {
    const issues: DataIssue[] = [];
    const source = CsvCandleSource.fromFiles(
      [fixture('BTCUSDT-1h-2024-02.csv'), fixture('BTCUSDT-1h-2024-01.csv')],
      { onIssue: (i) => issues.push(i) },
    );
    const btc = source.series[0]!;
    expect(btc.candles.map((c) => new Date(c.openTime).toISOString().slice(5, 13))).toEqual([
      '01-31T20', '01-31T21', '01-31T22', '01-31T23', '02-01T00', '02-01T01', '02-01T02',
    ]);
    // The February dump repeats January's last bar; the copy is rejected with a pointer to the kept one.
    expect(issues).toEqual([expect.objectContaining({
      kind: 'duplicate-time', action: 'rejected', line: 1, file: fixture('BTCUSDT-1h-2024-02.csv'),
      reason: `same open time as ${fixture('BTCUSDT-1h-2024-01.csv')}:4, which is kept`,
    })]);
    expect(source.issues).toEqual(issues);
  });

  it('merges the joined series with other symbols in closeTime order', () => {
    const source = CsvCandleSource.fromFiles([
      fixture('BTCUSDT-1h-2024-01.csv'), fixture('BTCUSDT-1h-2024-02.csv'), `SOLUSDT=${fixture('sol.csv')}`,
    ]);
    const labels = collectSync(source).values.map((c) => `${new Date(c.closeTime).toISOString().slice(11, 13)} ${c.symbol}`);
    expect(labels).toEqual([
      '21 BTCUSDT', '22 BTCUSDT', '23 BTCUSDT', '23 SOLUSDT', '00 BTCUSDT', '00 SOLUSDT',
      '01 BTCUSDT', '01 SOLUSDT', '02 BTCUSDT', '02 SOLUSDT', '03 BTCUSDT',
    ]);
  });

  it('fails at start-up, naming the file, when a file is missing', () => {
    expect(() => CsvCandleSource.fromFiles([fixture('NOPE.csv')])).toThrow(/NOPE\.csv: file not found/);
  });
});
