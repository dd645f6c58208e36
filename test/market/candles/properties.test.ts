import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCandleCsv, SyntheticMarket, type Candle } from '../../../src/market/candles/index.js';

const H = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

/** A valid bar: positive prices with low <= open, close <= high; volume possibly absent. */
const barArb = fc
  .record({
    a: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
    b: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
    openAt: fc.double({ min: 0, max: 1, noNaN: true }),
    closeAt: fc.double({ min: 0, max: 1, noNaN: true }),
    volume: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: null }),
  })
  .map(({ a, b, openAt, closeAt, volume }) => {
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    // Clamp so floating-point interpolation can never land outside [low, high].
    const within = (t: number): number => Math.min(high, Math.max(low, low + (high - low) * t));
    return { open: within(openAt), high, low, close: within(closeAt), volume };
  });

type Bar = { open: number; high: number; low: number; close: number; volume: number | null };
type Layout = 'binance' | 'plain-ms' | 'plain-seconds' | 'plain-iso';

function render(layout: Layout, times: readonly number[], bars: readonly Bar[], newline: string, bom: boolean): string {
  const rows = bars.map((b, i) => {
    const t = times[i]!;
    const v = b.volume === null ? '' : String(b.volume);
    if (layout === 'binance') return [t, b.open, b.high, b.low, b.close, v === '' ? 0 : v, t + H - 1, 0, 0, 0, 0, 0].join(',');
    const stamp = layout === 'plain-ms' ? String(t) : layout === 'plain-seconds' ? String(t / 1000) : new Date(t).toISOString();
    return [stamp, b.open, b.high, b.low, b.close, v].join(',');
  });
  const header = layout === 'binance' ? [] : ['timestamp,open,high,low,close,volume'];
  return (bom ? '\uFEFF' : '') + [...header, ...rows].join(newline) + newline;
}

describe('properties', () => {
  it('any valid bars round-trip through every layout exactly, with only gap issues', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(barArb, fc.integer({ min: 1, max: 3 })), { minLength: 2, maxLength: 30 }),
        fc.constantFrom<Layout>('binance', 'plain-ms', 'plain-seconds', 'plain-iso'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (steps, layout, newline, bom) => {
          let t = T0;
          const times = steps.map(([, step]) => (t += step * H));
          const bars = steps.map(([bar]) => bar);
          const series = parseCandleCsv(render(layout, times, bars, newline, bom), { symbol: 'P', timeframe: '1h' });
          const expected: Candle[] = bars.map((b, i) => ({
            symbol: 'P', openTime: times[i]!, closeTime: times[i]! + H, open: b.open, high: b.high, low: b.low, close: b.close,
            // Binance dumps always carry a volume; the renderer writes 0 for "none".
            volume: layout === 'binance' ? b.volume ?? 0 : b.volume,
          }));
          expect(series.candles).toEqual(expected);
          expect(series.issues.every((i) => i.kind === 'gap' && i.action === 'reported')).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a corrupted row is never used: it is rejected and reported at its line, and the others survive', () => {
    const corruptions: ((row: string[]) => void)[] = [
      (r) => (r[2] = 'x'), // high not a number
      (r) => (r[3] = '-1'), // low not positive
      (r) => ([r[2], r[3]] = [r[3]!, r[2]!]), // high and low swapped
      (r) => (r[0] = 'not-a-time'),
      (r) => r.splice(4),
    ];
    fc.assert(
      fc.property(
        fc.array(barArb.filter((b) => b.high > b.low * 1.001), { minLength: 3, maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: corruptions.length - 1 })), { maxLength: 5 }),
        (bars, damage) => {
          const rows = bars.map((b, i) => [String(T0 + i * H), String(b.open), String(b.high), String(b.low), String(b.close), '1']);
          const bad = new Set<number>();
          for (const [at, how] of damage) {
            const index = at % rows.length;
            if (bad.has(index)) continue;
            bad.add(index);
            corruptions[how]!(rows[index]!);
          }
          const text = ['timestamp,open,high,low,close,volume', ...rows.map((r) => r.join(','))].join('\n');
          if (bad.size * 2 > rows.length) {
            // Mostly unusable: refused as a whole, with the count, rather than trading on the few survivors.
            const refusal = bad.size === rows.length ? `no valid candle rows for P \\(${bad.size} rejected` : `P: ${bad.size} of ${rows.length} data rows rejected`;
            expect(() => parseCandleCsv(text, { symbol: 'P', timeframe: '1h', gaps: 'ignore' })).toThrow(new RegExp(refusal));
            return;
          }
          fc.pre(bad.size < rows.length - 1);
          const series = parseCandleCsv(text, { symbol: 'P', timeframe: '1h', gaps: 'ignore' });
          const rejectedLines = series.issues.filter((i) => i.action === 'rejected').map((i) => i.line! - 2);
          expect(new Set(rejectedLines)).toEqual(bad);
          expect(series.candles.map((c) => (c.openTime - T0) / H)).toEqual([...bars.keys()].filter((i) => !bad.has(i)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('with sort: true, any shuffle of a series parses back to the series, each moved row reported', () => {
    fc.assert(
      fc.property(fc.array(barArb, { minLength: 1, maxLength: 25 }).chain((bars) =>
        fc.tuple(fc.constant(bars), fc.shuffledSubarray([...bars.keys()], { minLength: bars.length, maxLength: bars.length }))),
      ([bars, order]) => {
        const line = (i: number): string => { const b = bars[i]!; return `${T0 + i * H},${b.open},${b.high},${b.low},${b.close},`; };
        const text = ['timestamp,open,high,low,close,volume', ...order.map(line)].join('\n');
        const series = parseCandleCsv(text, { symbol: 'P', timeframe: '1h', sort: true });
        expect(series.candles.map((c) => c.openTime)).toEqual(bars.map((_, i) => T0 + i * H));
        expect(series.issues.every((i) => i.kind === 'out-of-order' && i.action === 'repaired')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('synthetic OHLC is consistent for any seed and timeframe', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom('1m', '1h', '4h', '1d'), (seed, timeframe) => {
        const m = new SyntheticMarket({ seed, timeframe, bars: 480 });
        for (const c of m.toArray()) {
          if (!(c.low > 0 && c.low <= c.open && c.low <= c.close && c.high >= c.open && c.high >= c.close && (c.volume ?? 0) >= 0)) {
            throw new Error(`inconsistent candle ${JSON.stringify(c)}`);
          }
        }
      }),
      { numRuns: 20 },
    );
  });
});
