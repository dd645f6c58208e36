import { describe, expect, it } from 'vitest';
import { inferPrecision, parseCandleCsv } from '../../../src/market/candles/index.js';
import { parseFundingCsv } from '../../../src/market/funding-rates.js';

const parse = (text: string) => parseCandleCsv(text, { symbol: 'SATSUSDT', file: 'sats.csv', timeframe: '1h' });

describe('bid and ask columns of a plain CSV', () => {
  it('become the candle’s bid and ask at the close', () => {
    const series = parse('timestamp,open,high,low,close,volume,bid,ask\n2024-03-01T00:00:00Z,0.000103,0.0001034,0.0001021,0.0001029,5000000,0.0001028,0.000103\n');
    expect(series.candles[0]).toMatchObject({ close: 0.0001029, bid: 0.0001028, ask: 0.000103 });
  });

  it('reject a row whose ask is below its bid, naming the line; a header with only one of them is refused', () => {
    const series = parse('timestamp,open,high,low,close,bid,ask\n2024-03-01T00:00:00Z,1,1,1,1,1.1,1.0\n2024-03-01T01:00:00Z,1,1,1,1,0.99,1.01\n');
    expect(series.issues[0]).toMatchObject({ line: 2, reason: 'ask 1 is below bid 1.1' });
    expect(series.candles).toHaveLength(1);
    expect(() => parse('timestamp,open,high,low,close,bid\n2024-03-01T00:00:00Z,1,1,1,1,1\n')).toThrow(/bid column without a ask column/);
  });
});

describe('market rules inferred from the data’s own precision', () => {
  it('the tick is the finest increment the prices are written with, the step that of the volumes', () => {
    const series = parse('timestamp,open,high,low,close,volume\n2024-03-01T00:00:00Z,0.000103,0.0001034,0.0001021,0.0001029,5000000\n2024-03-01T01:00:00Z,0.0001029,0.00010355,0.000102,0.000103,4200000.5\n');
    expect(inferPrecision(series.candles).get('SATSUSDT')).toEqual({ tick_size: 1e-8, step_size: 0.1 });
  });

  it('ignores float noise and infers no step without volumes', () => {
    const candles = [{ symbol: 'X', openTime: 0, closeTime: 1, open: 0.1 + 0.2, high: 42000.5, low: 41000.25, close: 41500, volume: null }];
    expect(inferPrecision(candles).get('X')).toEqual({ tick_size: 0.01 });
  });
});

describe('funding-rate CSV', () => {
  it('reads Binance’s fundingRate dumps and timestamp,rate files', () => {
    expect(parseFundingCsv('calc_time,funding_interval_hours,last_funding_rate\n1709251200000,8,0.00010000\n1709280000000,8,-0.00002500\n', 'f.csv')).toEqual([
      { time: 1709251200000, rate: 0.0001 },
      { time: 1709280000000, rate: -0.000025 },
    ]);
    expect(parseFundingCsv('timestamp,rate\n2024-03-01T08:00:00Z,0.0003\n', 'f.csv')).toEqual([{ time: Date.parse('2024-03-01T08:00:00Z'), rate: 0.0003 }]);
  });

  it('names the file and line of a bad row', () => {
    expect(() => parseFundingCsv('timestamp,rate\n2024-03-01T08:00:00Z,abc\n', 'f.csv')).toThrow('f.csv:2: funding rate "abc" is not a rate from -0.05 to 0.05');
    expect(() => parseFundingCsv('when,how\n1,2\n', 'f.csv')).toThrow(/f.csv:1: funding-rate header needs a time column/);
  });
});
