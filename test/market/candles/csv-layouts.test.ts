import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CandleFileError, parseCandleCsv, readCandleCsv } from '../../../src/market/candles/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/candles/${name}`, import.meta.url));
const H = 3_600_000;
const iso = (s: string): number => Date.parse(s);

const parse = (text: string, extra: { timeframe?: string } = {}) =>
  parseCandleCsv(text, { symbol: 'TEST', file: 'test.csv', ...extra });

describe('Binance kline CSV (data.binance.vision dumps)', () => {
  it('reads a headerless dump with open_time in epoch milliseconds', () => {
    const series = readCandleCsv(fixture('BTCUSDT-1h-2024-01.csv'));
    expect(series.symbol).toBe('BTCUSDT');
    expect(series.timeframe).toBe(H);
    expect(series.issues).toEqual([]);
    expect(series.candles).toHaveLength(4);
    expect(series.candles[0]).toEqual({
      symbol: 'BTCUSDT',
      openTime: iso('2024-01-31T20:00:00Z'),
      closeTime: iso('2024-01-31T21:00:00Z'),
      open: 42941.1,
      high: 43020,
      low: 42850.55,
      close: 42980.01,
      volume: 812.5,
    });
  });

  it('reads a newer dump with a header line and open_time in epoch microseconds', () => {
    const series = readCandleCsv(fixture('ETHUSDT-1h-2025-01.csv'));
    expect(series.symbol).toBe('ETHUSDT');
    expect(series.candles.map((c) => c.openTime)).toEqual([
      iso('2025-01-01T00:00:00Z'), iso('2025-01-01T01:00:00Z'), iso('2025-01-01T02:00:00Z'),
    ]);
    expect(series.candles[0]?.closeTime).toBe(iso('2025-01-01T01:00:00Z'));
  });

  it('takes closeTime as openTime + timeframe, not Binance close_time (which is one ms/µs short)', () => {
    const row = '1704067200000,1,2,0.5,1.5,10,1704067259999,0,0,0,0,0';
    const next = '1704067260000,1,2,0.5,1.5,10,1704067319999,0,0,0,0,0';
    const [first] = parse(`${row}\n${next}\n`).candles;
    expect(first?.closeTime).toBe(1704067260000);
  });
});

describe('plain CSV with a timestamp,open,high,low,close[,volume] header', () => {
  it('takes the column order from the header, whatever the case of the names', () => {
    const series = parse('Close,VOLUME,timestamp,Low,High,open\n10.5,7,2024-01-01,9,11,10\n10.2,8,2024-01-02,10,10.6,10.5\n');
    expect(series.candles[0]).toMatchObject({ openTime: iso('2024-01-01T00:00:00Z'), open: 10, high: 11, low: 9, close: 10.5, volume: 7 });
  });

  it('gives volume null when the column is absent or a cell is empty', () => {
    expect(parse('timestamp,open,high,low,close\n1704067200000,1,2,0.5,1.5\n1704070800000,1,2,0.5,1.5\n').candles[0]?.volume).toBeNull();
    const withEmpty = parse('timestamp,open,high,low,close,volume\n1704067200000,1,2,0.5,1.5,\n1704070800000,1,2,0.5,1.5,3\n');
    expect(withEmpty.candles.map((c) => c.volume)).toEqual([null, 3]);
    expect(withEmpty.issues).toEqual([]);
  });

  it('ignores extra columns', () => {
    const series = parse('timestamp,open,high,low,close,volume,trades\n1704067200000,1,2,0.5,1.5,3,99\n1704070800000,1,2,0.5,1.5,3,98\n');
    expect(series.candles).toHaveLength(2);
  });

  it.each([
    ['epoch milliseconds', '1704110400000'],
    ['epoch seconds', '1704110400'],
    ['epoch microseconds', '1704110400000000'],
    ['ISO date-time with Z', '2024-01-01T12:00:00Z'],
    ['ISO date-time with fractional seconds', '2024-01-01T12:00:00.000Z'],
    ['ISO date-time with an offset', '2024-01-01T14:00:00+02:00'],
    ['ISO date-time with a compact negative offset', '2024-01-01T07:00:00-0500'],
    ['ISO date-time without offset (means UTC)', '2024-01-01T12:00:00'],
    ['ISO date-time without seconds', '2024-01-01T12:00'],
    ['date and time separated by a space', '2024-01-01 12:00:00'],
  ])('reads a timestamp given as %s', (_form, cell) => {
    const series = parse(`timestamp,open,high,low,close\n${cell},1,2,0.5,1.5\n`, { timeframe: '1h' });
    expect(series.candles[0]?.openTime).toBe(iso('2024-01-01T12:00:00Z'));
  });

  it('reads a bare ISO date as a daily bar opening at UTC midnight', () => {
    const series = parse('timestamp,open,high,low,close\n2024-01-31,1,2,0.5,1.5\n2024-02-01,1,2,0.5,1.5\n');
    expect(series.candles[0]).toMatchObject({ openTime: iso('2024-01-31T00:00:00Z'), closeTime: iso('2024-02-01T00:00:00Z') });
    expect(series.timeframe).toBe(86_400_000);
  });

  it('accepts CRLF line ends, a UTF-8 byte order mark and trailing blank lines', () => {
    const series = readCandleCsv(fixture('sol.csv'), { symbol: 'SOLUSDT' });
    expect(series.candles).toHaveLength(4);
    expect(series.candles.map((c) => c.volume)).toEqual([15000, null, 12000.5, 9000]);
    expect(series.issues).toEqual([]);
  });
});

describe('whole-file problems throw, naming the file and line', () => {
  it('rejects an unknown header with the expected layouts in the message', () => {
    expect(() => parseCandleCsv('foo,bar\n1,2\n', { symbol: 'BTCUSDT', file: 'data/BTCUSDT.csv' })).toThrow(
      'data/BTCUSDT.csv:1: unrecognised CSV header "foo,bar" (expected timestamp,open,high,low,close[,volume][,bid,ask] or a Binance kline row)',
    );
  });

  it('names the line of the header when blank lines precede it', () => {
    expect(() => parse('\n\nfoo,bar\n')).toThrow(/^test\.csv:3: unrecognised CSV header/);
  });

  it('rejects an empty file, a file of blank lines and a lone BOM', () => {
    for (const text of ['', '\n\n  \r\n', '\uFEFF']) expect(() => parse(text)).toThrow('test.csv:1: empty CSV file');
  });

  it('rejects a header without data rows', () => {
    expect(() => parse('timestamp,open,high,low,close\n\n')).toThrow('test.csv:1: no data rows after the CSV header');
  });

  it('rejects a header that names a column twice', () => {
    expect(() => parse('timestamp,open,high,low,close,Close\n')).toThrow(/more than one close column/);
  });

  it('rejects a file in which no row is usable, summarising why', () => {
    expect(() => parse('timestamp,open,high,low,close\nsoon,1,2,0.5,1.5\n')).toThrow(
      /test\.csv: no valid candle rows for TEST \(1 rejected; first: line 2 bad-timestamp/,
    );
  });

  it('reports an unreadable file as a CandleFileError', () => {
    const error = (() => {
      try {
        readCandleCsv(fixture('missing.csv'), { symbol: 'X' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CandleFileError);
    expect((error as Error).message).toMatch(/missing\.csv: file not found$/);
  });
});
