import { describe, expect, it } from 'vitest';
import { RiskTracker } from '../../../src/state/risk/index.js';
import { at, equity, feed, positions, quote, track } from './events.js';

const dd = (tracker: RiskTracker) => tracker.snapshot().risk.daily_dd_pct;

describe('daily drawdown', () => {
  it('is the fall of equity (unrealised PnL included) from the equity at the start of the trading day', () => {
    const tracker = track([equity(at('2024-03-04 00:00'), 10_000), equity(at('2024-03-04 10:00'), 9_740)]);
    expect(dd(tracker)).toBeCloseTo(-0.026, 12);
    expect(tracker.snapshot()).toMatchObject({ dayStart: at('2024-03-04 00:00'), dayStartEquity: 10_000, equity: 9_740 });
  });

  it('follows every mark, so a recovery shrinks it again', () => {
    const tracker = track([equity(at('2024-03-04 00:00'), 10_000), equity(at('2024-03-04 09:00'), 9_500)]);
    expect(dd(tracker)).toBeCloseTo(-0.05, 12);
    feed(tracker, [equity(at('2024-03-04 11:00'), 9_900)]);
    expect(dd(tracker)).toBeCloseTo(-0.01, 12);
  });

  it('is 0 on a day in profit: a gain is not a negative drawdown', () => {
    const tracker = track([equity(at('2024-03-04 00:00'), 10_000), equity(at('2024-03-04 12:00'), 10_400)]);
    expect(dd(tracker)).toBe(0);
    expect(Object.is(dd(track([equity(at('2024-03-04 00:00'), 10_000)])), 0)).toBe(true);
  });

  it('is 0 while no equity is known', () => {
    const tracker = track([positions(at('2024-03-04 01:00'), ['BTCUSDT', 5_000])]);
    expect(tracker.snapshot()).toMatchObject({ risk: { daily_dd_pct: 0 }, dayStart: at('2024-03-04 00:00'), dayStartEquity: null, equity: null });
    expect(new RiskTracker().snapshot()).toMatchObject({ time: null, dayStart: null, dayStartEquity: null, equity: null });
  });

  it('uses the first mark as baseline when tracking starts mid-day (nothing earlier is known)', () => {
    const tracker = track([equity(at('2024-03-04 15:30'), 8_000), equity(at('2024-03-04 16:00'), 7_600)]);
    expect(tracker.dayStartEquity).toBe(8_000);
    expect(dd(tracker)).toBeCloseTo(-0.05, 12);
  });

  describe('with the day starting at 00:00 UTC (default)', () => {
    it('resets on the first event of the next day, taking the last equity before midnight as the new baseline', () => {
      const tracker = track([equity(at('2024-03-04 00:00'), 10_000), equity(at('2024-03-04 23:59:59'), 9_500)]);
      expect(dd(tracker)).toBeCloseTo(-0.05, 12);
      feed(tracker, [quote(at('2024-03-05 00:00'), 'BTCUSDT', 100, 100.01)]);
      expect(tracker.snapshot()).toMatchObject({ risk: { daily_dd_pct: 0 }, dayStart: at('2024-03-05 00:00'), dayStartEquity: 9_500, equity: 9_500 });
      feed(tracker, [equity(at('2024-03-05 08:00'), 9_405)]);
      expect(dd(tracker)).toBeCloseTo(-0.01, 12);
    });

    it('measures an equity mark that opens a new day against the previous close, not against itself', () => {
      const tracker = track([equity(at('2024-03-04 20:00'), 10_000), equity(at('2024-03-05 00:10'), 9_000)]);
      expect(tracker.snapshot()).toMatchObject({ dayStart: at('2024-03-05 00:00'), dayStartEquity: 10_000 });
      expect(dd(tracker)).toBeCloseTo(-0.1, 12);
    });

    it('carries the last known equity over days without any event', () => {
      const tracker = track([equity(at('2024-03-04 12:00'), 10_000), equity(at('2024-03-07 09:00'), 9_800)]);
      expect(tracker.snapshot()).toMatchObject({ dayStart: at('2024-03-07 00:00'), dayStartEquity: 10_000 });
      expect(dd(tracker)).toBeCloseTo(-0.02, 12);
    });

    it('takes the first mark of the day as baseline when no equity was known before the boundary', () => {
      const tracker = track([quote(at('2024-03-04 23:00'), 'BTCUSDT', 100, 100.01), quote(at('2024-03-05 01:00'), 'BTCUSDT', 100, 100.01)]);
      feed(tracker, [equity(at('2024-03-05 02:00'), 5_000), equity(at('2024-03-05 03:00'), 4_900)]);
      expect(tracker.snapshot()).toMatchObject({ dayStart: at('2024-03-05 00:00'), dayStartEquity: 5_000 });
      expect(dd(tracker)).toBeCloseTo(-0.02, 12);
    });
  });

  describe('with the day starting at 22:00 UTC', () => {
    const settings = { day_start_hour_utc: 22 };

    it('keeps one trading day from 22:00 to 22:00, across the calendar midnight', () => {
      const tracker = track([equity(at('2024-03-04 22:00'), 10_000), equity(at('2024-03-05 01:00'), 9_700)], settings);
      expect(tracker.dayStart).toBe(at('2024-03-04 22:00'));
      expect(dd(tracker)).toBeCloseTo(-0.03, 12);
      feed(tracker, [equity(at('2024-03-05 21:59:59'), 9_600)]);
      expect(tracker.dayStart).toBe(at('2024-03-04 22:00'));
      expect(dd(tracker)).toBeCloseTo(-0.04, 12);
    });

    it('resets at 22:00 UTC, not at midnight', () => {
      const tracker = track([equity(at('2024-03-05 21:00'), 9_600)], settings);
      expect(tracker.dayStart).toBe(at('2024-03-04 22:00'));
      feed(tracker, [equity(at('2024-03-05 21:30'), 9_000)]);
      expect(dd(tracker)).toBeCloseTo(-0.0625, 12);
      feed(tracker, [positions(at('2024-03-05 22:00'))]);
      expect(tracker.snapshot()).toMatchObject({ risk: { daily_dd_pct: 0 }, dayStart: at('2024-03-05 22:00'), dayStartEquity: 9_000 });
    });
  });
});
