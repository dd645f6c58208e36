import { describe, expect, it } from 'vitest';
import { barPath, crossedOn, decimalsOf, inPassingOrder, isMultipleOf, roundTo, triggerDirection } from '../../../src/broker/paper/index.js';
import { bar } from './venue.js';

describe('the assumed path inside a bar', () => {
  const candle = bar(0, 100, 110, 95, 105);

  it('visits first the extreme that hurts the position: the low for a long, the high for a short', () => {
    const legs = (position: 'long' | 'short' | 'flat') => barPath(candle, position).map((l) => [l.from, l.to]);
    expect(legs('long')).toEqual([[100, 100], [100, 95], [95, 110], [110, 105]]);
    expect(legs('short')).toEqual([[100, 100], [100, 110], [110, 95], [95, 105]]);
    // Flat, nothing can be hurt: the nearer extreme (the low, 5 away against 10) comes first.
    expect(legs('flat')).toEqual(legs('long'));
    expect(barPath(bar(0, 100, 102, 90, 95), 'flat').map((l) => l.to)).toEqual([100, 102, 90, 95]);
  });

  it('fires on the gap leg every trigger the open is already at or beyond', () => {
    const [gap] = barPath(bar(0, 90, 92, 88, 91), 'long');
    expect(crossedOn(gap!, 95, 'falling')).toBe(true);
    expect(crossedOn(gap!, 90, 'falling')).toBe(true);
    expect(crossedOn(gap!, 89, 'falling')).toBe(false);
    expect(crossedOn(gap!, 85, 'rising')).toBe(true);
  });

  it('fires a trigger on a moving leg only in the direction it waits for', () => {
    expect(crossedOn({ from: 100, to: 95 }, 96, 'falling')).toBe(true);
    expect(crossedOn({ from: 100, to: 95 }, 96, 'rising')).toBe(false);
    expect(crossedOn({ from: 95, to: 110 }, 110, 'rising')).toBe(true);
  });

  it('knows which way each protective order waits: sell stops and buy targets for a fall', () => {
    expect(triggerDirection({ side: 'sell', type: 'stop-market' })).toBe('falling');
    expect(triggerDirection({ side: 'buy', type: 'take-profit-market' })).toBe('falling');
    expect(triggerDirection({ side: 'buy', type: 'stop-market' })).toBe('rising');
    expect(triggerDirection({ side: 'sell', type: 'take-profit-market' })).toBe('rising');
  });

  it('meets triggers in price order from the start of the leg, and on a gap the one passed first first', () => {
    const orders = [
      { type: 'take-profit-market' as const, trigger_price: 108 },
      { type: 'take-profit-market' as const, trigger_price: 104 },
      { type: 'stop-market' as const, trigger_price: 104 },
    ];
    expect(inPassingOrder({ from: 95, to: 110 }, orders).map((o) => [o.type, o.trigger_price])).toEqual([['stop-market', 104], ['take-profit-market', 104], ['take-profit-market', 108]]);
    expect(inPassingOrder({ from: 110, to: 110, gap: true }, orders.slice(0, 2)).map((o) => o.trigger_price)).toEqual([104, 108]);
  });
});

describe('ticks and steps', () => {
  it('treat float dust as the multiple it is, and write rounded values without it', () => {
    expect(isMultipleOf(0.3, 0.1)).toBe(true);
    expect(isMultipleOf(0.3 - 0.1, 0.001)).toBe(true);
    expect(isMultipleOf(0.0015, 0.001)).toBe(false);
    expect(roundTo(0.1 + 0.2, 0.1)).toBe(0.3);
    expect(roundTo(109.89, 0.1)).toBe(109.9);
    expect(roundTo(100.1 * 3, 0.1)).toBe(300.3);
    expect(roundTo(0.000_000_37, 1e-7)).toBe(0.000_000_4);
    expect([decimalsOf(1e-7), decimalsOf(2.5e-8), decimalsOf(0.25), decimalsOf(5)]).toEqual([7, 9, 2, 0]);
  });
});
