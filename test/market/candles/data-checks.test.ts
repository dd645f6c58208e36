import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { parseCandleCsv, SyntheticMarket, type CandleSeries, type SeriesOptions } from '../../../src/market/candles/index.js';

const H = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');
const HEADER = 'timestamp,open,high,low,close,volume';

/** A calm random walk around `level` (±0.3% per bar, deterministic), as CSV rows of `hours` hourly bars. */
function walk(hours: number, level: number, start = 0): { time: number; open: number; high: number; low: number; close: number }[] {
  let close = level;
  let seed = 7;
  const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  return Array.from({ length: hours }, (_, i) => {
    const open = close;
    close = open * (1 + next() * 0.006);
    const high = Math.max(open, close) * (1 + Math.abs(next()) * 0.004);
    const low = Math.min(open, close) * (1 - Math.abs(next()) * 0.004);
    return { time: T0 + (start + i) * H, open, high, low, close };
  });
}

type Bar = ReturnType<typeof walk>[number];
const csv = (bars: readonly Bar[]) => [HEADER, ...bars.map((b) => [b.time, b.open, b.high, b.low, b.close, 1].join(','))].join('\n');
const parse = (bars: readonly Bar[], options: SeriesOptions = {}): CandleSeries => parseCandleCsv(csv(bars), { symbol: 'BTCUSDT', file: 'btc.csv', ...options });
const issuesOf = (series: CandleSeries, kind: string) => series.issues.filter((i) => i.kind === kind);

describe('a file whose rows are mostly unusable is refused, with counts', () => {
  it('a shuffled file is refused as a whole, saying how many rows of each kind were rejected and offering --sort', () => {
    const bars = walk(900, 42_000);
    // A deterministic shuffle: most rows land before an already accepted later row.
    const shuffled = bars.map((b, i) => ({ b, key: (i * 7919) % 900 })).sort((x, y) => x.key - y.key).map((x) => x.b);
    let message = '';
    try {
      parse(shuffled, { timeframe: '1h' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^btc\.csv: BTCUSDT: (\d+) of 900 data rows rejected \(out-of-order \1\); first: btc\.csv:\d+ out-of-order: /);
    expect(message).toContain('the rows are not in time order: the sort option (--sort) sorts them');
    const sorted = parse(shuffled, { timeframe: '1h', sort: true });
    expect(sorted.candles.map((c) => c.openTime)).toEqual(bars.map((b) => b.time));
  });

  it('names every kind of rejection, most frequent first', () => {
    const bars = walk(10, 100);
    const rows = csv(bars).split('\n');
    for (const i of [2, 3, 4, 5]) rows[i] = rows[i]!.replace(/,[^,]+,1$/, ',abc,1'); // close not a number
    for (const i of [6, 7]) rows[i] = rows[1]!; // duplicates of the first row, which is kept
    expect(() => parseCandleCsv(rows.join('\n'), { symbol: 'X', file: 'x.csv', timeframe: '1h' })).toThrow(/X: 6 of 10 data rows rejected \(bad-number 4, duplicate-time 2\)/);
  });

  it('keeps a file with a minority of bad rows, and the refusal threshold is a setting', () => {
    const bars = walk(10, 100);
    const rows = csv(bars).split('\n');
    for (const i of [2, 3, 4]) rows[i] = rows[i]!.replace(/,[^,]+,1$/, ',abc,1');
    const text = rows.join('\n');
    expect(parseCandleCsv(text, { symbol: 'X', timeframe: '1h' }).candles).toHaveLength(7);
    expect(() => parseCandleCsv(text, { symbol: 'X', timeframe: '1h', maxRejectedShare: 0.2 })).toThrow('X: 3 of 10 data rows rejected (bad-number 3)');
  });
});

describe('long gaps are warnings, short ones information', () => {
  it('a gap of more missing bars than gapWarningBars (default 10) is a warning; shorter ones stay info', () => {
    const bars = [...walk(30, 100), ...walk(30, 100, 34), ...walk(30, 100, 34 + 30 + 200 * 24)];
    const series = parse(bars);
    expect(issuesOf(series, 'gap').map((g) => [g.missingBars, g.level])).toEqual([[4, 'info'], [200 * 24, 'warning']]);
    expect(issuesOf(series, 'gap')[1]!.reason).toMatch(/^4800 missing 1h bar\(s\) between btc\.csv:61 and btc\.csv:62, not filled: a long gap/);
    expect(issuesOf(parse(bars, { gapWarningBars: 3 }), 'gap').map((g) => g.level)).toEqual(['warning', 'warning']);
  });

  it('a long gap is a warning even when short gaps are not reported', () => {
    const bars = [...walk(30, 100), ...walk(30, 100, 34), ...walk(30, 100, 100)];
    expect(parse(bars, { gaps: 'ignore' }).issues.map((i) => [i.kind, i.missingBars, i.level])).toEqual([['gap', 36, 'warning']]);
  });
});

describe('bars whose move is implausible for the series', () => {
  it.each([0.00001, 0.0001035, 1, 42_000, 100_000])('flag a ×1000 spike at price level %s, keeping the bar by default', (level) => {
    const bars = walk(200, level);
    const spiked = bars.map((b, i) => (i === 120 ? { ...b, open: b.open * 1000, high: b.high * 1000, low: b.low * 1000, close: b.close * 1000 } : b));
    const series = parse(spiked);
    const [spike, ...others] = issuesOf(series, 'implausible-move');
    expect(others).toEqual([]);
    expect(spike).toMatchObject({ line: 122, time: bars[120]!.time, action: 'reported', level: 'warning' });
    expect(spike!.reason).toMatch(/×1\.00e\+3 the previous close .* and comes back: a bad tick\? kept/);
    expect(series.candles).toHaveLength(200);
    expect(issuesOf(series, 'price-jump')).toEqual([]);
  });

  it('drop them with spikes: drop (the hole is an ordinary one-bar gap)', () => {
    const bars = walk(200, 42_000);
    const spiked = bars.map((b, i) => (i === 50 || i === 51 ? { ...b, open: b.open / 1000, high: b.high / 1000, low: b.low / 1000, close: b.close / 1000 } : b));
    const series = parse(spiked, { spikes: 'drop' });
    expect(issuesOf(series, 'implausible-move').map((i) => [i.line, i.action])).toEqual([[52, 'rejected'], [53, 'rejected']]);
    expect(series.candles.map((c) => c.openTime)).not.toContain(bars[50]!.time);
    expect(series.candles).toHaveLength(198);
    expect(issuesOf(series, 'gap')).toMatchObject([{ missingBars: 2, level: 'info' }]);
  });

  it('flag a wick that alone reaches out (open and close plausible)', () => {
    const bars = walk(200, 3_000);
    const wick = bars.map((b, i) => (i === 77 ? { ...b, high: b.high * 50 } : b));
    expect(issuesOf(parse(wick), 'implausible-move').map((i) => i.line)).toEqual([79]);
  });

  it('a first bar that is a spike is caught too', () => {
    const bars = walk(200, 3_000);
    const first = bars.map((b, i) => (i === 0 ? { ...b, open: b.open * 1000, high: b.high * 1000, low: b.low * 1000, close: b.close * 1000 } : b));
    expect(issuesOf(parse(first), 'implausible-move').map((i) => i.line)).toEqual([2]);
  });

  it('report a move to a level the price then keeps as a jump, never dropped', () => {
    const bars = walk(200, 42_000);
    const rebased = bars.map((b, i) => (i >= 100 ? { ...b, open: b.open * 1000, high: b.high * 1000, low: b.low * 1000, close: b.close * 1000 } : b));
    const series = parse(rebased, { spikes: 'drop' });
    expect(series.issues.map((i) => [i.kind, i.line, i.action, i.level])).toEqual([['price-jump', 102, 'reported', 'warning']]);
    expect(series.candles).toHaveLength(200);
  });

  it('the limit is a multiple of the series’ own typical move: spikeMultiple', () => {
    const bars = walk(200, 100);
    const jolt = bars.map((b, i) => (i === 60 ? { ...b, high: b.high * 1.1 } : b));
    expect(issuesOf(parse(jolt), 'implausible-move')).toEqual([]);
    expect(issuesOf(parse(jolt, { spikeMultiple: 10 }), 'implausible-move').map((i) => i.line)).toEqual([62]);
  });

  it.each([['1h', 1200], ['1d', 600]] as const)('flags nothing in the synthetic market’s %s series, crashes and extreme phases included', async (timeframe, bars) => {
    const candles = await lastValueFrom(new SyntheticMarket({ timeframe, bars, symbols: ['BTCUSDT', 'SOLUSDT'] }).candles().pipe(toArray()));
    for (const symbol of new Set(candles.map((c) => c.symbol))) {
      const own = candles.filter((c) => c.symbol === symbol);
      const text = [HEADER, ...own.map((c) => [c.openTime, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n');
      const series = parseCandleCsv(text, { symbol });
      expect(series.issues.filter((i) => i.level === 'warning'), symbol).toEqual([]);
    }
  });
});
