import { describe, expect, it } from 'vitest';
import { CompiledPolicy, unsupportedConstructs } from '../../../src/policy/compiler/index.js';
import { compilable } from '../../../src/policy/lint/compilable.js';
import type { LocatedRule } from '../../../src/policy/rule-set.js';
import { bundledRuleSet } from '../../support/rule-sets.js';

const base = bundledRuleSet();
const template = base.rules.find((r) => r.scope === 'market')!;
const withConditions = (name: string, conditions: unknown): LocatedRule =>
  ({ ...template, spec: { ...template.spec, name, conditions } }) as LocatedRule;

// What the compiler takes is what the rule schema allows; anything else goes to json-rules-engine and is
// a lint error (the schema keeps it out of files first).
describe('constructs the rule compiler does not take', () => {
  const unsupported = [
    withConditions('named-condition', { all: [{ condition: 'shared-check' }] }),
    withConditions('custom-operator', { any: [{ fact: 'regime', operator: 'approximately', value: 'TRENDING_UP' }] }),
    withConditions('bare-comparison', { fact: 'regime', operator: 'equal', value: 'TRENDING_UP' }),
    withConditions('half-comparison', { all: [{ fact: 'regime', operator: 'equal' }] }),
    withConditions('not-a-list', { all: { fact: 'regime', operator: 'equal', value: 'X' } }),
  ];

  it('are named with their rule', () => {
    expect(unsupportedConstructs(unsupported)).toEqual([
      "rule 'named-condition': a named condition reference (condition:), which rule files cannot define",
      "rule 'custom-operator': the unknown operator \"approximately\"",
      "rule 'bare-comparison': conditions whose root is not all, any or not",
      "rule 'half-comparison': a comparison without value",
      "rule 'not-a-list': 'all' that is not a list",
    ]);
  });

  it('keep the rule set from being compiled', () => {
    const compiled = CompiledPolicy.compile({ ...base, rules: [...base.rules, unsupported[0]!] });
    expect(compiled).toEqual({ unsupported: [expect.stringMatching(/named-condition/)] });
  });

  it('are lint errors at the rule, should the schema ever let one through', () => {
    const problems = compilable({ documents: [], allDocuments: [], rules: unsupported, allRules: unsupported, profiles: [], complete: false });
    expect(problems.map((p) => [p.rule, p.severity, p.check])).toEqual(unsupported.map((r) => [r.spec.name, 'error', 'not-compilable']));
    expect(problems[1]!.message).toBe('the rule compiler cannot evaluate the unknown operator "approximately"');
    expect(problems[0]!.file).toBe(template.document.source.file);
  });

  it('do not include anything in the shipped rules', () => {
    expect(unsupportedConstructs(base.rules)).toEqual([]);
    expect(compilable({ documents: [], allDocuments: [], rules: base.rules, allRules: base.rules, profiles: [], complete: false })).toEqual([]);
  });
});
