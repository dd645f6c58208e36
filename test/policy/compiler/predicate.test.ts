import { describe, expect, it } from 'vitest';
import { compilePredicate } from '../../../src/policy/compiler/predicate.js';

const facts = { regime: 'TRENDING_UP', volatility: 'LOW', risk: { daily_dd_pct: -0.03, open_positions: 2 }, symbols: {}, profile: { limits: { max_open_positions: 5 } } };
const test = (condition: unknown) => compilePredicate(condition, 'market').test(facts);

/** A comparison json-rules-engine fails on: `in` needs a list. */
const failing = { fact: 'regime', operator: 'in', value: 5 };
const no = { fact: 'regime', operator: 'equal', value: 'SIDEWAYS' };
const yes = { fact: 'regime', operator: 'equal', value: 'TRENDING_UP' };

// Conditions compiled to closures decide as json-rules-engine does (the differential property test
// checks it at large; these are the cases that shape the compiler).
describe('compiled conditions', () => {
  it('hold for an empty all and an empty any alike, as json-rules-engine decides (whatever its documentation says)', () => {
    expect(test({ all: [] })).toBe(true);
    expect(test({ any: [] })).toBe(true);
    expect(test({ not: { any: [] } })).toBe(false);
  });

  it('read a path only into an object: a path on a text fact gives the text', () => {
    expect(test({ all: [{ fact: 'regime', path: '$.anything', operator: 'equal', value: 'TRENDING_UP' }] })).toBe(true);
    expect(test({ all: [{ fact: 'risk', path: '$.daily_dd_pct.deeper', operator: 'equal', value: null }] })).toBe(false);
    expect(test({ all: [{ fact: 'risk', path: '$.open_positions', operator: 'lessThan', value: { fact: 'profile', path: '$.limits.max_open_positions' } }] })).toBe(true);
  });

  it('fail like the engine on an unknown fact and on a path the resolver refuses, once evaluated', () => {
    expect(() => test({ all: [{ fact: 'order_book', operator: 'equal', value: 'thin' }] })).toThrow(/Undefined fact: order_book/);
    expect(() => test({ all: [{ fact: 'risk', path: '$..daily_dd_pct', operator: 'equal', value: 0 }] })).toThrow(/plain member paths/);
  });

  it('evaluate every condition of one priority, even after one is false (the engine evaluates a group as a whole)', () => {
    expect(() => test({ all: [no, failing] })).toThrow(/indexOf/);
    expect(() => test({ any: [yes, failing] })).toThrow(/indexOf/);
  });

  it('stop between priorities: a lower priority is not evaluated once the outcome is known', () => {
    expect(test({ all: [{ ...no, priority: 2 }, failing] })).toBe(false);
    expect(test({ any: [{ ...yes, priority: 2 }, failing] })).toBe(true);
    expect(() => test({ all: [{ ...yes, priority: 2 }, failing] })).toThrow(/indexOf/);
    // Groups take their own priority; a condition without one counts as 1.
    expect(test({ all: [{ any: [no], priority: 3 }, { all: [failing] }] })).toBe(false);
  });

  it('evaluate a single condition alone, whatever its priority', () => {
    expect(() => test({ all: [{ ...failing, priority: 1 }] })).toThrow(/indexOf/);
    expect(test({ not: { all: [no] } })).toBe(true);
  });
});
