import type { LocatedRule } from '../rule-set.js';
import { parseOperator } from './operators.js';

/**
 * What the compiler reproduces: every condition the rule schema allows (all / any / not, fact comparisons
 * with the engine's operators and decorators, fact references), whatever the values. Anything else, such
 * as json-rules-engine's named condition references or an operator the engine was not given, is
 * reported here: lint reports it as an error, and a rule set holding it is evaluated by json-rules-engine.
 */
export function unsupportedConstructs(rules: readonly LocatedRule[], options: { names?: boolean } = {}): string[] {
  const reasons: string[] = [];
  const seen = new Set<string>();
  for (const { spec } of rules) {
    const name = typeof spec.name === 'string' ? spec.name : String(spec.name);
    if (options.names !== false && seen.has(name)) reasons.push(`rule '${name}': the name is used twice (the compiler orders and credits rules by name)`);
    seen.add(name);
    const event = spec.event as { type?: unknown } | null | undefined;
    if (event === null || typeof event !== 'object' || typeof event.type !== 'string') reasons.push(`rule '${name}': the event has no type`);
    for (const problem of conditionProblems(spec.conditions, true)) reasons.push(`rule '${name}': ${problem}`);
  }
  return reasons;
}

/** Why one condition tree cannot be compiled; empty when it can. */
export function conditionProblems(condition: unknown, root = false): string[] {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return ['a condition that is not a mapping'];
  const node = condition as Record<string, unknown>;
  for (const kind of ['any', 'all'] as const) {
    if (!Object.hasOwn(node, kind)) continue;
    const children = node[kind];
    if (!Array.isArray(children)) return [`'${kind}' that is not a list`];
    return children.flatMap((c) => conditionProblems(c));
  }
  if (Object.hasOwn(node, 'not')) {
    if (Array.isArray(node.not)) return ["'not' with a list"];
    return conditionProblems(node.not);
  }
  if (Object.hasOwn(node, 'condition')) return ['a named condition reference (condition:), which rule files cannot define'];
  if (root) return ['conditions whose root is not all, any or not'];
  const missing = ['fact', 'operator', 'value'].filter((key) => !Object.hasOwn(node, key));
  if (missing.length > 0) return [`a comparison without ${missing.join(', ')}`];
  if (typeof node.operator !== 'string' || !parseOperator(node.operator)) return [`the unknown operator ${JSON.stringify(node.operator)}`];
  return [];
}
