import { firstValueFrom, from, map, Subject, toArray, type OperatorFunction } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { AccountEvent } from '../../../src/state/account-events.js';
import { distinctRisk, RiskTracker, riskState, trackRisk, type RiskSnapshot } from '../../../src/state/risk/index.js';
import { at, equity, positions, quote, trade, track } from './events.js';

const T = at('2024-03-04 09:00');
const collect = (events: AccountEvent[], operator: OperatorFunction<AccountEvent, RiskSnapshot>) =>
  firstValueFrom(from(events).pipe(operator, toArray()));

describe('riskState operator', () => {
  it('emits the snapshot after every event, matching a tracker fed the same events', async () => {
    const events = [equity(T, 10_000), positions(T, ['BTCUSDT', 5_000]), trade(T + 1, 'BTCUSDT', -50, -1), equity(T + 2, 9_800)];
    const emitted = await collect(events, riskState());
    expect(emitted).toHaveLength(4);
    expect(emitted.map((s) => s.risk)).toEqual([
      { daily_dd_pct: 0, open_positions: 0, exposure_pct: 0, losing_streak: 0 },
      { daily_dd_pct: 0, open_positions: 1, exposure_pct: 0.5, losing_streak: 0 },
      { daily_dd_pct: 0, open_positions: 1, exposure_pct: 0.5, losing_streak: 1 },
      { daily_dd_pct: expect.closeTo(-0.02, 12), open_positions: 1, exposure_pct: 5_000 / 9_800, losing_streak: 1 },
    ]);
    expect(emitted.at(-1)).toEqual(track(events).snapshot());
  });

  it('never changes an emitted snapshot afterwards', async () => {
    const copies: RiskSnapshot[] = [];
    const events = [equity(T, 10_000), trade(T, 'BTCUSDT', -5, -1), quote(T, 'BTCUSDT', 100, 100.2), trade(T + 1, 'BTCUSDT', 5, 1), equity(T + 2, 9_000)];
    const emitted = await collect(events, (e) => e.pipe(riskState(), map((s) => (copies.push(structuredClone(s)), s))));
    expect(emitted).toEqual(copies);
  });

  it('reports a rejected event and re-emits the unchanged snapshot, staying one emission per event', async () => {
    const rejected: string[] = [];
    const events = [equity(T, 10_000), quote(T, 'BTCUSDT', 101, 100), equity(T + 1, 9_000)];
    const emitted = await collect(events, riskState({}, { onRejected: (event, reason) => rejected.push(`${event.type}: ${reason}`) }));
    expect(emitted).toHaveLength(3);
    expect(emitted[1]).toBe(emitted[0]);
    expect(rejected).toEqual([expect.stringMatching(/^quote: quote event at .*: ask 100 is below bid 101$/)]);
  });

  it('gives every subscription its own tracker', async () => {
    const events$ = from([trade(T, 'BTCUSDT', -1, -1), trade(T + 1, 'BTCUSDT', -1, -1)]).pipe(riskState());
    const first = await firstValueFrom(events$.pipe(toArray()));
    const second = await firstValueFrom(events$.pipe(toArray()));
    expect(second.map((s) => s.risk.losing_streak)).toEqual([1, 2]);
    expect(second).toEqual(first);
  });

  it('can continue from a saved tracker', async () => {
    const saved = JSON.parse(JSON.stringify(track([equity(T, 10_000), trade(T, 'BTCUSDT', -1, -1)])));
    const emitted = await collect([trade(T + 1, 'BTCUSDT', -1, -1), equity(T + 1, 9_500)], riskState(undefined, { restore: saved }));
    expect(emitted.at(-1)).toMatchObject({ dayStartEquity: 10_000, risk: { losing_streak: 2, daily_dd_pct: expect.closeTo(-0.05, 12) } });
  });

  it('trackRisk folds into a tracker the caller owns, e.g. to checkpoint it', () => {
    const tracker = new RiskTracker();
    const events$ = new Subject<AccountEvent>();
    const seen: RiskSnapshot[] = [];
    events$.pipe(trackRisk(tracker)).subscribe((s) => seen.push(s));
    events$.next(equity(T, 10_000));
    events$.next(trade(T, 'BTCUSDT', -1, -1));
    expect(seen.at(-1)).toBe(tracker.snapshot());
    expect(tracker.toJSON()).toMatchObject({ losing_streak: 1, equity: 10_000 });
  });
});

describe('distinctRisk', () => {
  it('skips snapshots whose risk part did not change (quotes, symbol stats, repeated equity)', async () => {
    const events = [
      equity(T, 10_000),
      quote(T, 'BTCUSDT', 100, 100.1),
      equity(T + 1, 10_000),
      trade(T + 2, 'BTCUSDT', 5, 1),
      equity(T + 3, 9_900),
      equity(T + 4, 10_100),
      equity(T + 5, 10_200),
      trade(T + 6, 'BTCUSDT', -5, -1),
    ];
    const emitted = await collect(events, (e) => e.pipe(riskState(), distinctRisk()));
    expect(emitted.map((s) => [s.risk.daily_dd_pct, s.risk.losing_streak])).toEqual([
      [0, 0],
      [expect.closeTo(-0.01, 12), 0],
      [0, 0],
      [0, 1],
    ]);
  });
});
