import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFill } from '../../src/broker/paper/net-position.js';
import { isMultipleOf } from '../../src/broker/paper/index.js';
import type { Order, Position } from '../../src/broker/model.js';
import { applyExitFill, remainingQuantity } from '../../src/execution/position-accounting.js';
import { roundDown } from '../../src/execution/position-sizer.js';

const position = (quantity: number): Position => ({
  id: 'P-1', symbol: 'SATSUSDT', side: 'long', quantity, initial_quantity: quantity, entry_price: 0.0001, opened_at: 0,
  risk_per_unit: 0.000002, stop_price: 0.000098, take_profit_price: 0.000108, best_price: 0.0001, exit_mode: 'TREND_FOLLOW', trail_pct: 0.03,
  partial_tp_fraction: 0.5, partial_tp_price: 0.000103, partial_taken: false, realized_pnl: 0, fees: 0, entry_notional: quantity * 0.0001,
});
const fill = (quantity: number, purpose: Order['purpose'] = 'exit'): Order => ({
  client_id: 'P-1-x0', symbol: 'SATSUSDT', side: 'sell', type: 'market', purpose, quantity, reduce_only: true, position_id: 'P-1',
  status: 'filled', created_at: 1, updated_at: 1, fill_price: 0.000101, filled_quantity: quantity, fee: 0,
});

describe('quantities in whole steps, executor and venue alike', () => {
  it('a quantity of 63,571,249,429 steps of 0.000001 is a multiple of the step (relative tolerance)', () => {
    expect(isMultipleOf(63571.249429, 0.000001)).toBe(true);
    expect(isMultipleOf(63571.2494295, 0.000001)).toBe(false);
  });

  it('an exit that leaves dust closes the position and records the trade (5483.207676999999 vs 5483.2076769999985)', () => {
    const outcome = applyExitFill(position(5483.207676999999), fill(5483.2076769999985), 'exit-signal', 0.000001);
    expect(outcome.position).toBeUndefined();
    expect(outcome.trade).toMatchObject({ position_id: 'P-1', exit_reason: 'exit-signal' });
    // Without a step: dust is a billionth of the position.
    expect(applyExitFill(position(5483.207676999999), fill(5483.2076769999985)).trade).toBeDefined();
  });

  it('after a partial take-profit the remaining quantity is the canonical float of its steps', () => {
    expect(remainingQuantity(position(10966.415354), 5483.207677, 0.000001)).toBe(5483.207677);
  });

  it('the executor’s position and the paper venue’s net position hold the same quantity after any partial exits (property)', () => {
    const steps = fc.constantFrom(0.001, 0.01, 1, 0.000001, 0.1);
    fc.assert(
      fc.property(steps, fc.double({ min: 0.001, max: 1e8, noNaN: true }), fc.array(fc.double({ min: 0.05, max: 0.9, noNaN: true }), { minLength: 1, maxLength: 4 }), (step, size, fractions) => {
        const opened = roundDown(size, step);
        fc.pre(opened >= step);
        let mine = position(opened);
        let venue = applyFill(undefined, opened, 0.0001, step).position!;
        for (const f of fractions) {
          const part = roundDown(mine.quantity * f, step);
          if (part < step) continue;
          const outcome = applyExitFill(mine, fill(part, 'partial-take-profit'), 'exit-signal', step);
          venue = applyFill(venue, -part, 0.000101, step).position!;
          if (outcome.trade !== undefined) return expect(venue).toBeUndefined();
          mine = outcome.position!;
          expect(venue.quantity).toBe(mine.quantity);
        }
        const closed = applyExitFill(mine, fill(venue.quantity), 'exit-signal', step);
        expect(closed.trade).toBeDefined();
        expect(applyFill(venue, -venue.quantity, 0.000101, step).position).toBeUndefined();
      }),
    );
  });
});
