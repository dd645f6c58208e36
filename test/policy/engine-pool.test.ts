import { Engine, Rule } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { EnginePool } from '../../src/policy/engine-pool.js';
import type { RuleSpec } from '../../src/policy/rule-set.js';

/** A condition that takes many steps of json-rules-engine's promise chain when it holds, few when not. */
const slowWhenTrue = (depth: number): Record<string, unknown> =>
  depth === 0
    ? { fact: 'n', operator: 'greaterThan', value: 5 }
    : { all: [{ fact: 'n', operator: 'greaterThan', value: 5, priority: 3 }, { all: [slowWhenTrue(depth - 1), { fact: 'n', operator: 'greaterThan', value: 5 }] }] };

const rule = (name: string, priority: number, conditions: Record<string, unknown>): RuleSpec =>
  ({ name, priority, description: name, conditions, event: { type: name } }) as unknown as RuleSpec;

const RULES: readonly RuleSpec[] = [
  rule('throws-on-a-number-list', 10, { all: [{ fact: 'kind', operator: 'in', value: { fact: 'list' } }] }),
  rule('deep', 9, { all: [slowWhenTrue(6)] }),
  rule('low', 1, { all: [{ fact: 'n', operator: 'greaterThan', value: -1 }] }),
];

const fine = (n: number) => ({ kind: 'x', list: ['x'], n });
const failing = { kind: 'x', list: 5, n: 1 };
const names = (result: Awaited<ReturnType<Engine['run']>>) => [...result.results, ...result.failureResults].map((r) => r.name).sort();

function engine(): Engine {
  const e = new Engine([], {});
  for (const { name, priority, conditions, event } of RULES) e.addRule(new Rule({ name, priority, conditions: structuredClone(conditions) as never, event }));
  return e;
}

describe('json-rules-engine engines, one per run', () => {
  describe('why: one json-rules-engine Engine leaves rules out', () => {
    it('in the run after a failed one (the failed run goes on, then marks the engine finished)', async () => {
      const e = engine();
      await expect(e.run(failing)).rejects.toThrow(/indexOf/);
      expect(names(await e.run(fine(10)))).not.toContain('low');
    });

    it('in one of two runs at the same time (the faster one marks the engine finished)', async () => {
      const e = engine();
      const [quick, slow] = await Promise.all([e.run(fine(0)), e.run(fine(10))]);
      expect(names(quick)).toContain('low');
      expect(names(slow)).not.toContain('low');
    });
  });

  it('every rule is evaluated in the run after a failed one', async () => {
    const pool = new EnginePool(RULES, {});
    await expect(pool.run(failing)).rejects.toThrow(/indexOf/);
    expect(names(await pool.run(fine(10)))).toEqual(['deep', 'low', 'throws-on-a-number-list']);
  });

  it('every rule is evaluated in runs at the same time', async () => {
    const pool = new EnginePool(RULES, {});
    const runs = await Promise.all([fine(0), fine(10), fine(0), fine(10)].map((facts) => pool.run(facts)));
    for (const run of runs) expect(names(run)).toEqual(['deep', 'low', 'throws-on-a-number-list']);
    expect(runs.map((r) => r.results.some((x) => x.name === 'deep'))).toEqual([false, true, false, true]);
  });

  it('refuses rules json-rules-engine refuses when built, not at the first run', () => {
    expect(() => new EnginePool([rule('no-root', 1, { fact: 'n', operator: 'equal', value: 1 })], {})).toThrow(/root/);
  });
});
