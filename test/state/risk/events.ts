import { expect } from 'vitest';
import type { AccountEvent, EquityMark, Fill, PositionsSnapshot, Quote, TradeClosed } from '../../../src/state/account-events.js';
import { RiskTracker, type RiskTrackerSettings } from '../../../src/state/risk/index.js';

/** Epoch ms of a UTC date-time written as '2024-03-04 22:00' (seconds optional). */
export const at = (utc: string): number => Date.parse(`${utc.replace(' ', 'T')}Z`);

export const equity = (time: number, value: number): EquityMark => ({ type: 'equity', time, equity: value });

export const positions = (time: number, ...open: [symbol: string, notional: number][]): PositionsSnapshot => ({
  type: 'positions',
  time,
  positions: open.map(([symbol, notional]) => ({ symbol, notional })),
});

export const trade = (time: number, symbol: string, pnl: number, r_multiple = Math.sign(pnl)): TradeClosed => ({
  type: 'trade-closed',
  time,
  symbol,
  pnl,
  r_multiple,
});

export const quote = (time: number, symbol: string, bid: number, ask: number): Quote => ({ type: 'quote', time, symbol, bid, ask });

export const fill = (time: number, symbol: string, side: 'buy' | 'sell', expected_price: number, fill_price: number): Fill => ({
  type: 'fill',
  time,
  symbol,
  side,
  expected_price,
  fill_price,
  quantity: 1,
});

/** A tracker fed with events that must all be accepted (a rejection here is a broken test, not a result). */
export function track(events: readonly AccountEvent[], settings: Partial<RiskTrackerSettings> = {}): RiskTracker {
  const tracker = new RiskTracker(settings);
  feed(tracker, events);
  return tracker;
}

export function feed(tracker: RiskTracker, events: readonly AccountEvent[]): void {
  for (const event of events) expect(tracker.apply(event), JSON.stringify(event)).toEqual({ ok: true });
}
