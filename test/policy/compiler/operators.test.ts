import fc from 'fast-check';
import { Engine, Rule } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { comparison, mayThrow, parseOperator } from '../../../src/policy/compiler/operators.js';
import { asTheEngineSees } from '../../../src/policy/compiler/engine-copy.js';
import { compilePredicate } from '../../../src/policy/compiler/predicate.js';
import { operatorArb } from '../../support/rule-arbitraries.js';

/** What json-rules-engine decides for `fact <operator> value`: true, false, or the message it fails with. */
async function engineVerdict(operator: string, fact: unknown, value: unknown): Promise<boolean | string> {
  const engine = new Engine([], { allowUndefinedFacts: false });
  engine.addRule(new Rule({ name: 'r', conditions: { all: [{ fact: 'f', operator, value }] }, event: { type: 'e' } }));
  return engine.run({ f: fact }).then(
    (r) => r.results.length === 1,
    (e: unknown) => `throws ${e instanceof Error ? e.constructor.name : typeof e}`,
  );
}

/** What the compiled code decides: the comparison on the copy of the literal the engine reads too (engine-copy.ts). */
function compiledVerdict(operator: string, fact: unknown, value: unknown): boolean | string {
  try {
    return comparison(operator)(fact, asTheEngineSees(value));
  } catch (e) {
    return `throws ${e instanceof Error ? e.constructor.name : typeof e}`;
  }
}

/** Values a fact or a literal may hold, objects without a prototype included; never a fact reference. */
const anyValue = fc
  .oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('LOW', 'NORMAL', '12abc', '', ' ', 'Infinity', 0, -0, 1e21, Number.NaN, Number.POSITIVE_INFINITY),
    fc.subarray(['LOW', 'NORMAL', 'HIGH', 'EXTREME', 0.5, 1]),
    fc.object({ maxDepth: 1, withNullPrototype: true }),
  )
  .filter((v) => !(v !== null && typeof v === 'object' && Object.hasOwn(v, 'fact')));

const isPrimitive = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function');

/** A literal as a rule file holds it: YAML data, whose mappings and lists have their prototypes. */
const literal = anyValue.map((v) => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as unknown)));

describe("json-rules-engine's operators, compiled", () => {
  it('decide every operator and decorator chain as json-rules-engine does, failing where it fails', async () => {
    await fc.assert(
      fc.asyncProperty(operatorArb, anyValue, anyValue, async (operator, fact, value) => {
        expect(compiledVerdict(operator, fact, value)).toEqual(await engineVerdict(operator, fact, value));
      }),
      { numRuns: 3000 },
    );
  });

  it('never throw where mayThrow says they cannot (a primitive or constant side, as the schema promises)', () => {
    fc.assert(
      fc.property(operatorArb, anyValue, literal, (operator, fact, value) => {
        const threw = compiledVerdict(operator, fact, value) !== true && compiledVerdict(operator, fact, value) !== false;
        if (threw) expect(mayThrow(operator, { primitive: isPrimitive(fact) }, { constant: value })).toBe(true);
        if (threw && isPrimitive(value)) expect(mayThrow(operator, { primitive: isPrimitive(fact) }, { primitive: true })).toBe(true);
      }),
      { numRuns: 8000 },
    );
  });

  it('know that a mapping whose own toString is not a function cannot be compared (found by the property above), though a literal never reaches the comparison so', () => {
    expect(() => comparison('lessThan')(Number.POSITIVE_INFINITY, { toString: {} })).toThrow(TypeError);
    expect(compiledVerdict('lessThan', Number.POSITIVE_INFINITY, { toString: {} })).toBe(false); // the engine's copy is {}
    expect(mayThrow('lessThan', { primitive: true }, { constant: { toString: {} } })).toBe(true);
    expect(mayThrow('lessThan', { primitive: true }, { constant: { level: 1 } })).toBe(false);
  });

  it("compare with the literal as json-rules-engine's copy of the rule holds it: own keys shadowing Object.prototype dropped (found by the first property)", async () => {
    const cases: [string, unknown, unknown][] = [
      ['greaterThanInclusive', -0, { toString: [] }],
      ['swap:lessThan', {}, { toString: 0 }],
      ['greaterThan', 1e21, { toString: [] }],
      ['lessThan', Number.POSITIVE_INFINITY, { toString: {} }],
    ];
    for (const [operator, fact, value] of cases) {
      const compiled = compilePredicate({ all: [{ fact: 'features', path: '$.x', operator, value }] }, 'classification');
      expect(compiled.test({ features: { x: fact } }), `${operator} ${JSON.stringify(value)}`).toBe(await engineVerdict(operator, fact, value));
    }
  });

  it('read the decorators outermost first, as the engine applies them', () => {
    expect(parseOperator('not:someFact:in')).toEqual({ decorators: ['not', 'someFact'], base: 'in' });
    expect(comparison('not:someFact:in')(['LOW', 'HIGH'], ['HIGH'])).toBe(false);
    expect(comparison('someFact:not:in')(['LOW', 'HIGH'], ['HIGH'])).toBe(true);
    expect(comparison('swap:contains')('LOW', ['LOW'])).toBe(true);
    expect(parseOperator('approximately')).toBeUndefined();
    expect(parseOperator('maybe:equal')).toBeUndefined();
  });

  it('check numbers the way the engine does: text that starts with a number passes the check, null does not', () => {
    expect(comparison('lessThan')('12', 13)).toBe(true);
    expect(comparison('lessThan')('12abc', 13)).toBe(false); // passes the check, then compares as NaN
    expect(comparison('not:lessThan')('12abc', 13)).toBe(true);
    expect(comparison('lessThan')(null, 13)).toBe(false);
    expect(comparison('greaterThanInclusive')(Number.NaN, -Infinity)).toBe(false);
    expect(comparison('lessThanInclusive')([1], 2)).toBe(true);
  });
});
