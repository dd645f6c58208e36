import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountEvent } from '../../../src/state/account-events.js';
import { parseMarketState } from '../../../src/state/index.js';
import { RiskTracker, type RiskTrackerSettings } from '../../../src/state/risk/index.js';
import { at, equity, fill, positions, quote, trade } from './events.js';

const START = at('2024-03-04 00:00');
const HOUR = 3_600_000;
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] as const;

/** Mostly sane values, now and then one a broker should never send. */
const price = fc.oneof({ weight: 20, arbitrary: fc.double({ min: 0.01, max: 1e5, noNaN: true }) }, fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY));
const amount = fc.oneof({ weight: 20, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) }, fc.constantFrom(Number.NaN, Number.NEGATIVE_INFINITY));
const symbol = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...SYMBOLS) }, fc.constant('bad symbol'));

/** An event without its time; times are laid out afterwards so they mostly move forward across several days. */
const eventAt = fc.oneof(
  price.map((v) => (t: number) => equity(t, v)),
  fc.array(fc.tuple(symbol, fc.oneof({ weight: 20, arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }) }, fc.constant(-5))), { maxLength: 3 }).map(
    (open) => (t: number) => positions(t, ...open),
  ),
  fc.tuple(symbol, amount, amount).map(([s, pnl, r]) => (t: number) => trade(t, s, pnl, r)),
  // Bid and ask in either order: ask below bid must be rejected.
  fc.tuple(symbol, price, price).map(([s, bid, ask]) => (t: number) => quote(t, s, bid, ask)),
  fc.tuple(symbol, fc.constantFrom('buy' as const, 'sell' as const), price, price).map(([s, side, e, f]) => (t: number) => fill(t, s, side, e, f)),
);

const events = fc
  .array(fc.tuple(eventAt, fc.integer({ min: -HOUR, max: 8 * HOUR })), { maxLength: 60, size: 'medium' })
  .map((steps) => {
    let time = START;
    return steps.map(([make, gap]) => make((time += gap)));
  });

const settings: fc.Arbitrary<Partial<RiskTrackerSettings>> = fc.record(
  { day_start_hour_utc: fc.integer({ min: 0, max: 23 }), cost_window: fc.integer({ min: 1, max: 5 }), performance_window: fc.integer({ min: 1, max: 5 }) },
  { requiredKeys: ['day_start_hour_utc', 'cost_window'] },
);

describe('risk tracker properties', () => {
  it('always yields a schema-valid state: drawdown in [-1, 0], streak at most the losing trades accepted', () => {
    fc.assert(
      fc.property(events, settings, (evts, s) => {
        const tracker = new RiskTracker(s);
        let losses = 0;
        for (const event of evts) {
          if (tracker.apply(event).ok && event.type === 'trade-closed' && event.pnl < 0) losses += 1;
          const { risk, symbols } = tracker.snapshot();
          expect(risk.daily_dd_pct).toBeGreaterThanOrEqual(-1);
          expect(risk.daily_dd_pct).toBeLessThanOrEqual(0);
          expect(Object.is(risk.daily_dd_pct, -0)).toBe(false);
          expect(risk.losing_streak).toBeLessThanOrEqual(losses);
          expect(Number.isFinite(risk.exposure_pct) && risk.exposure_pct >= 0).toBe(true);
          parseMarketState({ regime: 'SIDEWAYS', volatility: 'NORMAL', risk, symbols });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('leaves the state untouched whenever it rejects an event', () => {
    fc.assert(
      fc.property(events, settings, (evts, s) => {
        const tracker = new RiskTracker(s);
        for (const event of evts) {
          const before = JSON.stringify(tracker);
          if (!tracker.apply(event).ok) expect(JSON.stringify(tracker)).toBe(before);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('continues identically after a save and restore at any point', () => {
    fc.assert(
      fc.property(events, settings, fc.nat(), (evts, s, cut) => {
        const split = evts.length === 0 ? 0 : cut % (evts.length + 1);
        const original = new RiskTracker(s);
        evts.slice(0, split).forEach((e) => original.apply(e));
        const restored = RiskTracker.restore(JSON.parse(JSON.stringify(original)));
        for (const event of evts.slice(split)) {
          expect(restored.apply(event)).toEqual(original.apply(event));
          expect(restored.snapshot()).toEqual(original.snapshot());
        }
      }),
      { numRuns: 150 },
    );
  });

  it('judges each symbol on exactly its last performance_window accepted trades', () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 1, max: 5 }), (evts, window) => {
        const tracker = new RiskTracker({ performance_window: window });
        const accepted: AccountEvent[] = evts.filter((e) => tracker.apply(e).ok);
        for (const [name, stats] of Object.entries(tracker.snapshot().symbols)) {
          const last = accepted.filter((e) => e.type === 'trade-closed' && e.symbol === name).slice(-window) as Extract<AccountEvent, { type: 'trade-closed' }>[];
          expect(stats.trades).toBe(last.length);
          if (last.length > 0) {
            expect(stats.win_rate).toBeCloseTo(last.filter((t) => t.pnl > 0).length / last.length, 12);
            expect(stats.avg_r).toBeCloseTo(last.reduce((sum, t) => sum + t.r_multiple, 0) / last.length, 9);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('resets the breaker: the first event of a new trading day, unless it is itself an equity mark, gives 0 drawdown', () => {
    fc.assert(
      fc.property(events, settings, (evts, s) => {
        const tracker = new RiskTracker(s);
        for (const event of evts) {
          const day = tracker.dayStart;
          if (tracker.apply(event).ok && day !== null && tracker.dayStart !== day && event.type !== 'equity') {
            expect(tracker.snapshot().risk.daily_dd_pct).toBe(0);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
