import { describe, expect, it } from 'vitest';
import { formatTimeframe, inferTimeframe, parseCandleCsv, parseTimeframe } from '../../../src/market/candles/index.js';

const MIN = 60_000;
const H = 3_600_000;
const D = 86_400_000;

/** Plain CSV text with one bar per given open time. */
const csv = (times: readonly (number | string)[]): string =>
  `timestamp,open,high,low,close\n${times.map((t) => `${t},10,11,9,10`).join('\n')}\n`;

describe('timeframe names', () => {
  it.each([
    ['1m', MIN], ['15m', 15 * MIN], ['1h', H], ['4h', 4 * H], ['1d', D], ['1w', 7 * D], ['30s', 30_000], ['1H', H], ['1D', D],
  ])('parses %s', (text, ms) => {
    expect(parseTimeframe(text)).toBe(ms);
    expect(parseTimeframe(ms)).toBe(ms);
  });

  it('accepts a bar length in milliseconds, as a number or digits', () => {
    expect(parseTimeframe(90_000)).toBe(90_000);
    expect(parseTimeframe('90000')).toBe(90_000);
  });

  it('refuses months (no fixed length), zero, negatives and nonsense', () => {
    expect(() => parseTimeframe('1M')).toThrow(/monthly bars/);
    for (const bad of ['0m', 'abc', '1y', '', 0, -5, 1.5]) expect(() => parseTimeframe(bad)).toThrow(RangeError);
  });

  it('formats a bar length with the largest exact unit', () => {
    expect([MIN, 15 * MIN, 90 * MIN, H, 4 * H, D, 7 * D, 1_500].map(formatTimeframe)).toEqual(['1m', '15m', '90m', '1h', '4h', '1d', '1w', '1500ms']);
  });
});

describe('timeframe inference: the most common step between consecutive bars', () => {
  it('infers 1m bars', () => {
    const t0 = Date.parse('2024-03-01T10:00:00Z');
    const series = parseCandleCsv(csv([0, 1, 2, 3, 4].map((i) => t0 + i * MIN)), { symbol: 'X' });
    expect(series.timeframe).toBe(MIN);
    expect(series.candles.every((c) => c.closeTime === c.openTime + MIN)).toBe(true);
  });

  it('infers 1h bars even with a missing bar', () => {
    const t0 = Date.parse('2024-03-01T00:00:00Z');
    const series = parseCandleCsv(csv([0, 1, 2, 4, 5, 6].map((i) => t0 + i * H)), { symbol: 'X' });
    expect(series.timeframe).toBe(H);
  });

  it('infers 1d bars for weekday-only (stock-like) data, weekends being gaps, not the timeframe', () => {
    // Two weeks of weekdays: Mon 2024-01-01 .. Fri 2024-01-12.
    const days = ['01', '02', '03', '04', '05', '08', '09', '10', '11', '12'].map((d) => `2024-01-${d}`);
    const series = parseCandleCsv(csv(days), { symbol: 'SPY' });
    expect(series.timeframe).toBe(D);
    expect(series.candles).toHaveLength(10);
    expect(series.candles[4]?.closeTime).toBe(Date.parse('2024-01-06T00:00:00Z'));
    const gaps = series.issues.filter((i) => i.kind === 'gap');
    expect(gaps).toEqual([expect.objectContaining({ level: 'info', action: 'reported', missingBars: 2, time: Date.parse('2024-01-06T00:00:00Z') })]);
  });

  it('uses an explicit timeframe instead of inferring one', () => {
    const t0 = Date.parse('2024-03-01T00:00:00Z');
    const series = parseCandleCsv(csv([t0, t0 + 4 * H]), { symbol: 'X', timeframe: '4h' });
    expect(series.timeframe).toBe(4 * H);
    expect(series.issues).toEqual([]);
  });

  it('falls back to the hint (e.g. from a Binance file name) for a single bar, and otherwise says what to do', () => {
    expect(parseCandleCsv(csv(['2024-01-01T00:00Z']), { symbol: 'X', timeframeHint: H }).timeframe).toBe(H);
    expect(() => parseCandleCsv(csv(['2024-01-01T00:00Z']), { symbol: 'X', file: 'x.csv' })).toThrow(
      'x.csv: cannot infer the timeframe of X from a single bar; pass a timeframe',
    );
  });

  it('prefers the smaller step on a tie and ignores non-positive steps', () => {
    expect(inferTimeframe([0, 10, 30, 40, 60])).toBe(10);
    expect(inferTimeframe([5, 5, 3])).toBeUndefined();
  });
});
