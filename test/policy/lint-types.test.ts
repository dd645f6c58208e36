import { afterEach, describe, expect, it } from 'vitest';
import { lint } from '../../src/cli/lint-command.js';
import { formatProblem } from '../../src/config/problem.js';
import { resolvePath } from '../../src/policy/facts.js';
import { RuleSetCopy } from '../support/rule-sets.js';
import { scenario, SCENARIO_FILES } from '../support/states.js';

const EXTREME_GATE = 'operator: equal\n          value: EXTREME';
const DRAWDOWN_LIMIT = 'operator: lessThanInclusive\n          value:\n            fact: profile\n            path: $.circuit_breakers.daily_dd_limit_pct';

// A rule set lint accepts never fails at evaluation: every comparison is checked against the type of what it compares.
describe('lint: comparison types', () => {
  let copy: RuleSetCopy;
  afterEach(() => copy?.remove());

  const lintAfter = (file: string, from: string, to: string) => {
    copy = new RuleSetCopy();
    copy.edit(file, from, to);
    return lint({ paths: [], format: 'pretty', rules: copy.rulesDir, profiles: copy.profilesDir }, copy.root).problems.map(formatProblem);
  };

  it('refuses `in` with a single value instead of a list (json-rules-engine would throw at evaluation)', () => {
    expect(lintAfter('rules/gates.yaml', EXTREME_GATE, 'operator: in\n          value: 3')).toContainEqual(
      'rules/gates.yaml:18:18 gate-extreme-volatility operator in needs a list of values, but the value 3 is a whole number',
    );
  });

  it('refuses a number fact compared with a word, and a numeric operator given a word', () => {
    expect(lintAfter('rules/gates.yaml', DRAWDOWN_LIMIT, 'operator: equal\n          value: low')).toEqual([
      'rules/gates.yaml:37:18 gate-daily-drawdown risk.daily_dd_pct is a number, so it is never equal to the value "low" (a string)',
    ]);
    expect(lintAfter('rules/gates.yaml', DRAWDOWN_LIMIT, 'operator: lessThan\n          value: "-0.02"')).toEqual([
      'rules/gates.yaml:37:18 gate-daily-drawdown operator lessThan compares numbers, but the value "-0.02" is a string',
    ]);
  });

  it('refuses a comparison with a fact reference to an unknown fact, or to a fact of another type', () => {
    expect(lintAfter('rules/gates.yaml', 'fact: profile\n            path: $.circuit_breakers.daily_dd_limit_pct', 'fact: limits\n            path: $.daily_dd_limit_pct')).toEqual([
      "rules/gates.yaml:38:13 gate-daily-drawdown unknown fact 'limits' (known: regime, volatility, risk, symbols, profile)",
    ]);
    expect(lintAfter('rules/gates.yaml', 'path: $.circuit_breakers.daily_dd_limit_pct', 'path: $.name')).toEqual([
      'rules/gates.yaml:38:13 gate-daily-drawdown operator lessThanInclusive compares numbers, but profile.name is a string',
    ]);
  });

  it('refuses list operators and decorators on facts that are not lists', () => {
    expect(lintAfter('rules/gates.yaml', EXTREME_GATE, 'operator: contains\n          value: EXTREME')).toContainEqual(
      'rules/gates.yaml:17:21 gate-extreme-volatility operator contains needs a list fact, but volatility is one of LOW, NORMAL, HIGH, EXTREME',
    );
    expect(lintAfter('rules/gates.yaml', EXTREME_GATE, 'operator: someFact:equal\n          value: EXTREME')).toContainEqual(
      'rules/gates.yaml:17:21 gate-extreme-volatility decorator someFact: needs a list, but volatility is one of LOW, NORMAL, HIGH, EXTREME',
    );
  });

  it('refuses an event value taken from the state instead of the profile', () => {
    expect(lintAfter('rules/risk-stance.yaml', 'fact: profile\n          path: $.stance.favourable_risk_pct', 'fact: risk\n          path: $.exposure_pct')).toContainEqual(
      expect.stringMatching(/^rules\/risk-stance\.yaml:\d+:\d+ stance-favourable-market max_risk_pct may take its value from the profile only \(got fact 'risk'\)/),
    );
  });

  it('accepts well-typed decorated and negated operators, and the set evaluates every seed scenario without fallback', async () => {
    expect(lintAfter('rules/gates.yaml', EXTREME_GATE, 'operator: swap:contains\n          value: [EXTREME]')).toEqual([]);
    copy.edit('rules/confidence.yaml', 'operator: in\n          value: [LOW, NORMAL]', 'operator: not:notIn\n          value: [LOW, NORMAL]');
    const engine = copy.engine();
    for (const name of Object.keys(SCENARIO_FILES) as (keyof typeof SCENARIO_FILES)[]) {
      expect((await engine.evaluate(scenario(name))).failure).toBeUndefined();
    }
    expect((await engine.evaluate(scenario('extremeVolatility'))).policy.allow_new_trades).toBe(false);
  });

  it('evaluation reads plain member paths only: anything richer fails into the fallback instead of selecting a list', () => {
    expect(resolvePath({ daily_dd_pct: -0.03 }, '$.daily_dd_pct')).toBe(-0.03);
    expect(() => resolvePath({ daily_dd_pct: [-0.03] }, '$.daily_dd_pct[0]')).toThrow(/only plain member paths/);
  });
});
