import { conditionProblems } from '../compiler/support.js';
import { ruleProblem, type Check } from './context.js';

/**
 * Every condition is one the rule compiler reproduces (src/policy/compiler/support.ts). The schemas
 * already keep anything else out of rule files; this keeps the two in step should the schemas grow.
 */
export const compilable: Check = ({ rules }) =>
  rules.flatMap((rule) =>
    conditionProblems(rule.spec.conditions, true).map((problem) =>
      ruleProblem(rule, ['conditions'], 'not-compilable', `the rule compiler cannot evaluate ${problem}`),
    ),
  );
