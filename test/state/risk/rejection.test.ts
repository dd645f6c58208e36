import { describe, expect, it } from 'vitest';
import type { AccountEvent } from '../../../src/state/account-events.js';
import { RiskTracker } from '../../../src/state/risk/index.js';
import { at, equity, fill, positions, quote, trade, track } from './events.js';

const T = at('2024-03-04 09:00');
const ISO = '2024-03-04T09:00:00.000Z';

/** A tracker with something in every part of its state, so any corruption would show. */
const busy = () =>
  track([
    equity(T - 60_000, 10_000),
    positions(T - 60_000, ['BTCUSDT', 2_000]),
    trade(T - 60_000, 'BTCUSDT', -10, -0.5),
    quote(T - 60_000, 'BTCUSDT', 100, 100.1),
    fill(T - 60_000, 'BTCUSDT', 'buy', 100, 100.05),
  ]);

const bad = (event: object) => event as AccountEvent;

describe('bad events', () => {
  it.each([
    ['non-finite equity', bad({ type: 'equity', time: T, equity: Number.NaN }), /^equity event at 2024-03-04T09:00:00.000Z: equity must be a finite number above 0, got NaN$/],
    ['zero equity', equity(T, 0), /equity event at .*: equity must be a finite number above 0, got 0/],
    ['negative equity', equity(T, -5), /equity event .*: equity .* got -5/],
    ['infinite time', bad({ type: 'equity', time: Number.POSITIVE_INFINITY, equity: 1 }), /^equity event at Infinity: time must be a finite number, got Infinity/],
    ['missing time', bad({ type: 'quote', symbol: 'BTCUSDT', bid: 1, ask: 2 }), /^quote event at undefined: time must be a finite number/],
    ['negative notional', positions(T, ['BTCUSDT', 100], ['ETHUSDT', -50]), /positions event at .*: positions\[1\]\.notional must not be negative, got -50/],
    ['NaN notional', positions(T, ['BTCUSDT', Number.NaN]), /positions\[0\]\.notional must be a finite number, got NaN/],
    ['positions not a list', bad({ type: 'positions', time: T, positions: {} }), /positions must be an array, got an object/],
    ['lower-case symbol', trade(T, 'btcusdt', 1), /trade-closed event at .*: symbol must be an exchange symbol such as BTCUSDT, got "btcusdt"/],
    ['non-finite PnL', trade(T, 'BTCUSDT', Number.NaN), /trade-closed event .*: pnl must be a finite number, got NaN/],
    ['non-finite R', trade(T, 'BTCUSDT', 1, Number.NEGATIVE_INFINITY), /r_multiple must be a finite number, got -Infinity/],
    ['ask below bid', quote(T, 'BTCUSDT', 100.1, 100), /quote event at .*: ask 100 is below bid 100.1/],
    ['zero bid', quote(T, 'BTCUSDT', 0, 100), /quote event .*: bid must be a finite number above 0, got 0/],
    ['unknown side', bad({ ...fill(T, 'BTCUSDT', 'buy', 100, 100), side: 'long' }), /fill event .*: side must be 'buy' or 'sell', got "long"/],
    ['zero expected price', fill(T, 'BTCUSDT', 'sell', 0, 100), /fill event .*: expected_price must be a finite number above 0, got 0/],
    ['unknown type', bad({ type: 'funding', time: T }), /^unknown account event type 'funding' at 2024-03-04T09:00:00.000Z$/],
    ['not an object', bad(null as never), /account event must be an object, got null/],
  ])('%s is rejected with a reason naming the event type, time and field, and changes nothing', (_label, event, reason) => {
    const tracker = busy();
    const before = tracker.snapshot();
    const saved = JSON.stringify(tracker);
    const result = tracker.apply(event);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
    expect(tracker.snapshot()).toBe(before);
    expect(JSON.stringify(tracker)).toBe(saved);
  });

  it('names the time as ISO 8601', () => {
    const result = new RiskTracker().apply(equity(T, -1));
    expect(result).toEqual({ ok: false, reason: `equity event at ${ISO}: equity must be a finite number above 0, got -1` });
  });

  it('rejects an event from an already closed trading day (its drawdown is settled)', () => {
    const tracker = track([equity(at('2024-03-05 00:30'), 10_000)]);
    const saved = JSON.stringify(tracker);
    const result = tracker.apply(trade(at('2024-03-04 23:59'), 'BTCUSDT', -5));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^trade-closed event at 2024-03-04T23:59:00.000Z: time is before the current trading day, which started 2024-03-05T00:00:00.000Z$/) });
    expect(JSON.stringify(tracker)).toBe(saved);
  });

  it('rejects an equity mark or positions snapshot older than the last of its kind (it would roll state back)', () => {
    const tracker = track([equity(T, 10_000), positions(T, ['BTCUSDT', 1_000])]);
    expect(tracker.apply(equity(T - 1, 9_000))).toEqual({ ok: false, reason: expect.stringMatching(/equity event .*: time is older than the last equity mark/) });
    expect(tracker.apply(positions(T - 1))).toEqual({ ok: false, reason: expect.stringMatching(/positions event .*: time is older than the last positions snapshot/) });
    expect(tracker.snapshot()).toMatchObject({ equity: 10_000, risk: { open_positions: 1 } });
  });

  it('accepts other events slightly out of order within the day, and marks of equal time (last one wins)', () => {
    const tracker = track([equity(T, 10_000), trade(T - 5_000, 'BTCUSDT', -1), quote(T - 1, 'BTCUSDT', 100, 100.1), equity(T, 9_900)]);
    expect(tracker.snapshot()).toMatchObject({ time: T, equity: 9_900, risk: { losing_streak: 1 } });
  });

  it('keeps its own copy of a positions snapshot, so a caller reusing the array cannot change the state', () => {
    const list = [{ symbol: 'BTCUSDT', notional: 1_000 }];
    const tracker = track([equity(T, 10_000), { type: 'positions', time: T, positions: list }]);
    list.push({ symbol: 'ETHUSDT', notional: 5_000 });
    list[0]!.notional = 9_000;
    expect(tracker.snapshot().risk).toMatchObject({ open_positions: 1, exposure_pct: 0.1 });
  });
});
