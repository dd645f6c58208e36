import { describe, expect, it } from 'vitest';
import { formatDataIssue, parseCandleCsv, type CandleSeries, type DataIssue, type SeriesOptions } from '../../../src/market/candles/index.js';

const H = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');
const HEADER = 'timestamp,open,high,low,close,volume';

/** Parses plain rows given as strings after a standard header; line 1 is the header, so row i is line i + 2. */
function parseRows(rows: readonly string[], options: SeriesOptions = {}): CandleSeries {
  return parseCandleCsv([HEADER, ...rows].join('\n'), { symbol: 'BTCUSDT', file: 'btc.csv', timeframe: '1h', ...options });
}

const at = (hour: number): number => T0 + hour * H;
const good = (hour: number, price = 100): string => `${at(hour)},${price},${price + 2},${price - 2},${price + 1},5`;

/** The one issue of a series, asserting that there is exactly one. */
function onlyIssue(series: CandleSeries): DataIssue {
  expect(series.issues).toHaveLength(1);
  return series.issues[0]!;
}

describe('rows that are bad on their own are rejected and reported, never used', () => {
  it.each([
    ['a non-numeric price', `${at(1)},100,abc,98,101,5`, 'bad-number', /high "abc" is not a number/],
    ['a NaN price', `${at(1)},NaN,102,98,101,5`, 'bad-number', /open "NaN" is not a number/],
    ['an infinite price', `${at(1)},100,Infinity,98,101,5`, 'bad-number', /high "Infinity"/],
    ['an empty price cell', `${at(1)},100,102,,101,5`, 'bad-number', /low "" is not a number/],
    ['a zero price', `${at(1)},100,102,0,101,5`, 'non-positive-price', /low 0 is not positive/],
    ['a negative price', `${at(1)},-100,102,98,101,5`, 'non-positive-price', /open -100 is not positive/],
    ['a non-numeric volume', `${at(1)},100,102,98,101,lots`, 'bad-number', /volume "lots"/],
    ['a negative volume', `${at(1)},100,102,98,101,-5`, 'negative-volume', /volume -5 is negative/],
    ['high below low', `${at(1)},100,97,98,99,5`, 'high-below-low', /high 97 is below low 98/],
    ['open above high', `${at(1)},103,102,98,101,5`, 'open-outside-range', /open 103 is above high 102/],
    ['open below low', `${at(1)},97,102,98,101,5`, 'open-outside-range', /open 97 is below low 98/],
    ['close above high', `${at(1)},100,102,98,103,5`, 'close-outside-range', /close 103 is above high 102/],
    ['close below low', `${at(1)},100,102,98,97,5`, 'close-outside-range', /close 97 is below low 98/],
    ['an unreadable timestamp', `yesterday,100,102,98,101,5`, 'bad-timestamp', /"yesterday" is not ISO 8601/],
    ['an impossible date', `2024-02-30,100,102,98,101,5`, 'bad-timestamp', /not a valid date/],
    ['too few cells', `${at(1)},100,102`, 'malformed-row', /row has 3 cells, expected at least 6/],
  ])('%s', (_case, row, kind, reason) => {
    const series = parseRows([good(0), row, good(2)]);
    const [issue, gap] = series.issues;
    expect(issue).toMatchObject({ symbol: 'BTCUSDT', file: 'btc.csv', line: 3, kind, action: 'rejected', level: 'warning' });
    expect(issue?.reason).toMatch(reason);
    expect(series.candles.map((c) => c.openTime)).toEqual([at(0), at(2)]);
    // The hole the rejected bar leaves is visible downstream as well.
    expect(gap).toMatchObject({ kind: 'gap', line: 4, missingBars: 1, time: at(1) });
    expect(series.issues).toHaveLength(2);
  });

  it('names every inconsistency of a row when there are several', () => {
    const issue = onlyIssue(parseRows([good(0), `${at(1)},103,102,98,104,5`]));
    expect(issue.kind).toBe('open-outside-range');
    expect(issue.reason).toBe('open 103 is above high 102; close 104 is above high 102');
  });

  it('rejects a Binance row with the wrong number of cells', () => {
    const row = (t: number, extra = ''): string => `${t},1,2,0.5,1.5,10,${t + H - 1},0,0,0,0,0${extra}`;
    const series = parseCandleCsv([row(at(0)), row(at(1), ',7'), row(at(2))].join('\n'), { symbol: 'X', file: 'x.csv' });
    expect(onlyIssue(series)).toMatchObject({ kind: 'malformed-row', line: 2, reason: 'row has 13 cells, expected 12' });
  });
});

describe('sequence problems', () => {
  it('keeps the first of duplicate timestamps and rejects the rest', () => {
    const series = parseRows([good(0), good(1, 100), good(1, 200), good(1, 300), good(2)]);
    expect(series.candles.map((c) => c.open)).toEqual([100, 100, 100]);
    expect(series.issues.map((i) => [i.kind, i.action, i.line, i.time])).toEqual([
      ['duplicate-time', 'rejected', 4, at(1)],
      ['duplicate-time', 'rejected', 5, at(1)],
    ]);
    expect(series.issues[0]?.reason).toBe('same open time as btc.csv:3, which is kept');
  });

  it('a duplicate of a rejected row is not a duplicate: the first valid row is kept', () => {
    const series = parseRows([good(0), `${at(1)},100,abc,98,101,5`, good(1, 150), good(2)]);
    expect(series.candles.map((c) => c.open)).toEqual([100, 150, 100]);
    expect(series.issues.map((i) => i.kind)).toEqual(['bad-number']);
  });

  it('rejects a row whose timestamp goes backwards', () => {
    const series = parseRows([good(0), good(2), good(1), good(3)]);
    expect(series.candles.map((c) => c.openTime)).toEqual([at(0), at(2), at(3)]);
    expect(series.issues.map((i) => [i.kind, i.action, i.line, i.time])).toEqual([
      ['gap', 'reported', 3, at(1)],
      ['out-of-order', 'rejected', 4, at(1)],
    ]);
    expect(series.issues[1]?.reason).toBe('open time is before that of btc.csv:3 (the sort option, --sort, sorts instead)');
  });

  it('with sort: true, sorts instead and reports each moved row as repaired', () => {
    const series = parseRows([good(0), good(2), good(1), good(3)], { sort: true });
    expect(series.candles.map((c) => c.openTime)).toEqual([at(0), at(1), at(2), at(3)]);
    expect(onlyIssue(series)).toMatchObject({ kind: 'out-of-order', action: 'repaired', line: 4, time: at(1) });
  });

  it('a newest-first file keeps its true timeframe: it is refused as mostly out of order, and sorts with the sort option', () => {
    const rows = [good(3), good(2), good(1), good(0)];
    expect(() => parseCandleCsv([HEADER, ...rows].join('\n'), { symbol: 'BTCUSDT', file: 'btc.csv' })).toThrow(
      'btc.csv: BTCUSDT: 3 of 4 data rows rejected (out-of-order 3); first: btc.csv:3 out-of-order: open time is before that of btc.csv:2 (the sort option, --sort, sorts instead); the rows are not in time order: the sort option (--sort) sorts them',
    );
    const sorted = parseCandleCsv([HEADER, ...rows].join('\n'), { symbol: 'BTCUSDT', sort: true });
    expect(sorted.timeframe).toBe(H);
    expect(sorted.candles).toHaveLength(4);
  });

  it('with sort: true, still keeps the first row in file order among duplicates', () => {
    const series = parseRows([good(1, 111), good(0), good(1, 222)], { sort: true });
    expect(series.candles.map((c) => c.open)).toEqual([100, 111]);
    expect(series.issues.map((i) => [i.kind, i.action, i.line])).toEqual([
      ['out-of-order', 'repaired', 3],
      ['duplicate-time', 'rejected', 4],
    ]);
  });

  it('rejects a bar that is off the timeframe grid (it would overlap its neighbours)', () => {
    const series = parseRows([good(0), `${at(1) + 30 * 60_000},100,102,98,101,5`, good(1), good(2)]);
    expect(series.candles.map((c) => c.openTime)).toEqual([at(0), at(1), at(2)]);
    expect(onlyIssue(series)).toMatchObject({ kind: 'misaligned', action: 'rejected', line: 3, reason: 'open time is off the 1h grid of this series' });
  });

  it('takes the grid from the majority of bars, so one stray first bar does not condemn the rest', () => {
    const series = parseRows([`${at(0) + 60_000},100,102,98,101,5`, good(1), good(2), good(3)]);
    expect(series.candles).toHaveLength(3);
    expect(onlyIssue(series)).toMatchObject({ kind: 'misaligned', line: 2 });
  });
});

describe('gaps', () => {
  it('are reported at info level with the number of missing bars, and not filled by default', () => {
    const series = parseRows([good(0), good(1), good(5), good(6)]);
    expect(series.candles).toHaveLength(4);
    expect(onlyIssue(series)).toEqual({
      symbol: 'BTCUSDT', file: 'btc.csv', line: 4, time: at(2), kind: 'gap', action: 'reported', level: 'info', missingBars: 3,
      reason: '3 missing 1h bar(s) between btc.csv:3 and btc.csv:4, not filled',
    });
  });

  it('can be left unreported with gaps: ignore', () => {
    expect(parseRows([good(0), good(1), good(5)], { gaps: 'ignore' }).issues).toEqual([]);
  });

  it("are filled with flat bars at the previous close when fillGaps: 'previous-close', reported as repaired", () => {
    const series = parseRows([good(0), `${at(1)},100,102,98,99.5,5`, good(4)], { fillGaps: 'previous-close' });
    expect(series.candles.map((c) => c.openTime)).toEqual([0, 1, 2, 3, 4].map(at));
    expect(series.candles.slice(2, 4)).toEqual([2, 3].map((h) => ({
      symbol: 'BTCUSDT', openTime: at(h), closeTime: at(h + 1), open: 99.5, high: 99.5, low: 99.5, close: 99.5, volume: 0,
    })));
    expect(onlyIssue(series)).toMatchObject({ kind: 'gap', action: 'repaired', level: 'warning', missingBars: 2, time: at(2) });
  });

  it('fill with null volume when the data has no volume', () => {
    const text = `timestamp,open,high,low,close\n${at(0)},1,2,0.5,1.5\n${at(2)},1,2,0.5,1.5\n`;
    const series = parseCandleCsv(text, { symbol: 'X', timeframe: '1h', fillGaps: 'previous-close' });
    expect(series.candles[1]?.volume).toBeNull();
  });
});

describe('reporting', () => {
  it('calls onIssue once per issue, in line order, with the same issues as the result', () => {
    const seen: DataIssue[] = [];
    const series = parseCandleCsv([HEADER, good(0), good(0), `${at(1)},1,x,1,1,1`, good(4)].join('\n'), {
      symbol: 'BTCUSDT', file: 'btc.csv', timeframe: '1h', onIssue: (i) => seen.push(i),
    });
    expect(seen).toEqual(series.issues);
    expect(seen.map((i) => [i.line, i.kind])).toEqual([[3, 'duplicate-time'], [4, 'bad-number'], [5, 'gap']]);
  });

  it('formats an issue as one line starting with file:line', () => {
    const issue = onlyIssue(parseRows([good(0), good(0)]));
    expect(formatDataIssue(issue)).toBe(
      'btc.csv:3: BTCUSDT 2024-01-01T00:00:00.000Z rejected duplicate-time: same open time as btc.csv:2, which is kept',
    );
  });
});
