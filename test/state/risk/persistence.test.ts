import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccountEvent } from '../../../src/state/account-events.js';
import { SYMBOL_PATTERN } from '../../../src/state/risk/event-checks.js';
import { RiskTracker, type RiskTrackerJSON } from '../../../src/state/risk/index.js';
import { at, equity, feed, fill, positions, quote, trade, track } from './events.js';

const T = at('2024-03-04 09:00');

const before: AccountEvent[] = [
  equity(T, 10_000),
  positions(T, ['BTCUSDT', 2_000]),
  trade(T, 'BTCUSDT', -30, -1),
  trade(T, 'BTCUSDT', 60, 2),
  trade(T, 'ETHUSDT', -10, -0.5),
  quote(T, 'BTCUSDT', 100, 100.1),
  fill(T, 'ETHUSDT', 'buy', 10, 10.01),
  equity(T + 1, 9_700),
];
const after: AccountEvent[] = [
  trade(T + 2, 'BTCUSDT', -20, -1),
  quote(T + 2, 'BTCUSDT', 100, 100.3),
  fill(T + 2, 'ETHUSDT', 'sell', 10, 9.98),
  equity(at('2024-03-04 23:00'), 9_500),
  equity(at('2024-03-05 01:00'), 9_400),
  positions(at('2024-03-05 01:00')),
];

/** What goes to disk and comes back after a crash. */
const throughDisk = (tracker: RiskTracker): unknown => JSON.parse(JSON.stringify(tracker));

describe('restore after a restart', () => {
  it.each([{}, { performance_window: 2, cost_window: 2 }, { day_start_hour_utc: 22 }])(
    'continues exactly where the saved tracker was (settings %j)',
    (settings) => {
      const original = track(before, settings);
      const restored = RiskTracker.restore(throughDisk(original), settings);
      expect(restored.snapshot()).toEqual(original.snapshot());
      for (const event of after) {
        expect(restored.apply(event)).toEqual(original.apply(event));
        expect(restored.snapshot()).toEqual(original.snapshot());
      }
      expect(restored.toJSON()).toEqual(original.toJSON());
    },
  );

  it('restores a fresh tracker too', () => {
    const restored = RiskTracker.restore(throughDisk(new RiskTracker()));
    expect(restored.snapshot()).toEqual(new RiskTracker().snapshot());
  });

  it('keeps the saved settings unless told otherwise', () => {
    const saved = throughDisk(track(before, { cost_window: 7, performance_window: 9, day_start_hour_utc: 3 }));
    expect(RiskTracker.restore(saved).settings).toEqual({ cost_window: 7, performance_window: 9, day_start_hour_utc: 3 });
  });

  it('under a smaller window keeps the newest entries', () => {
    const saved = throughDisk(track([quote(T, 'BTCUSDT', 99, 101), quote(T, 'BTCUSDT', 99.99, 100.01), trade(T, 'BTCUSDT', -1, -1), trade(T, 'BTCUSDT', 2, 2)], { performance_window: 5 }));
    const restored = RiskTracker.restore(saved, { cost_window: 1, performance_window: 1 });
    expect(restored.snapshot().symbols.BTCUSDT).toEqual({ trades: 1, win_rate: 1, avg_r: 2, pnl: 2, spread_pct: expect.closeTo(0.0002, 12) });
  });

  it('cannot cut totals of all trades down to a window, and says so', () => {
    const saved = throughDisk(track(before));
    expect(() => RiskTracker.restore(saved, { performance_window: 10 })).toThrow(
      /symbols\[0\] \(BTCUSDT\): saved with every trade counting, cannot restore under performance_window 10/,
    );
  });

  it('under a new day start hour re-anchors the day in progress and keeps its baseline', () => {
    const saved = throughDisk(track([equity(at('2024-03-04 12:00'), 10_000), equity(at('2024-03-04 21:00'), 9_000)]));
    const restored = RiskTracker.restore(saved, { day_start_hour_utc: 22 });
    expect(restored.snapshot()).toMatchObject({ dayStart: at('2024-03-03 22:00'), dayStartEquity: 10_000 });
    feed(restored, [equity(at('2024-03-04 22:00'), 9_000)]);
    expect(restored.snapshot()).toMatchObject({ dayStart: at('2024-03-04 22:00'), dayStartEquity: 9_000, risk: { daily_dd_pct: 0 } });
  });

  it.each<[string, (json: Record<string, unknown>) => unknown, RegExp]>([
    ['not an object', () => 'oops', /RiskTracker.restore: state must be an object/],
    ['another format', (j) => ({ ...j, format: 'v0' }), /format must be 'quantum-trader\/risk-tracker\/v1', got v0/],
    ['bad saved settings', (j) => ({ ...j, settings: { cost_window: 0 } }), /RiskTracker.restore: saved RiskTrackerSettings.cost_window must be/],
    ['non-positive equity', (j) => ({ ...j, equity: 0 }), /equity must be above 0, got 0/],
    ['missing baseline', (j) => ({ ...j, day_start_equity: undefined }), /day_start_equity must be a finite number, got undefined/],
    ['fractional streak', (j) => ({ ...j, losing_streak: 1.5 }), /losing_streak must be a whole number of at least 0, got 1.5/],
    ['negative notional', (j) => ({ ...j, positions: [{ symbol: 'BTCUSDT', notional: -1 }] }), /positions\[0\]\.notional must not be negative/],
    ['day not matching the clock', (j) => ({ ...j, day_start: at('2024-03-01 00:00') }), /day_start 2024-03-01T00:00:00.000Z does not match clock/],
    ['wins above trades', (j) => ({ ...j, symbols: [{ symbol: 'BTCUSDT', performance: { kind: 'all', trades: 1, wins: 2, sum_r: 0, sum_pnl: 0 }, spreads: [], slippages: [] }] }), /symbols\[0\]\.performance\.wins 2 exceeds trades 1/],
    ['symbol twice', (j) => ({ ...j, symbols: [...(j.symbols as unknown[]), (j.symbols as unknown[])[0]] }), /symbols\[2\]\.symbol 'BTCUSDT' appears twice/],
    ['negative spread', (j) => ({ ...j, symbols: [{ symbol: 'BTCUSDT', performance: { kind: 'recent', recent: [] }, spreads: [-1], slippages: [] }] }), /symbols\[0\]\.spreads\[0\] must not be negative/],
  ])('refuses a damaged save (%s), naming the field', (_label, damage, message) => {
    const saved = throughDisk(track(before)) as Record<string, unknown>;
    expect(() => RiskTracker.restore(damage(saved))).toThrow(message);
  });

  it('saves what it says it saves', () => {
    const json: RiskTrackerJSON = track([equity(T, 10_000), trade(T, 'BTCUSDT', -1, -1)], { performance_window: 3 }).toJSON();
    expect(json).toEqual({
      format: 'quantum-trader/risk-tracker/v1',
      settings: { day_start_hour_utc: 0, cost_window: 50, performance_window: 3 },
      clock: T,
      day_start: at('2024-03-04 00:00'),
      day_start_equity: 10_000,
      equity: 10_000,
      equity_time: T,
      positions: [],
      positions_time: null,
      losing_streak: 1,
      symbols: [{ symbol: 'BTCUSDT', performance: { kind: 'recent', recent: [[-1, -1, T]] }, spreads: [], slippages: [] }],
    });
  });
});

describe('symbol names', () => {
  it('are checked with the same pattern as the market-state schema, so every snapshot is a valid state', () => {
    const common = JSON.parse(readFileSync(new URL('../../../schemas/common.schema.json', import.meta.url), 'utf8')) as {
      definitions: { symbol: { pattern: string } };
    };
    expect(SYMBOL_PATTERN.source).toBe(common.definitions.symbol.pattern);
  });
});
