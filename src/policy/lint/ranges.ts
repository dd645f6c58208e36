import type { Problem } from '../../config/problem.js';
import { validateAgainstDefinition } from '../../config/schemas.js';
import { valueAtPath } from '../facts.js';
import { isFactReference, isPolicyEvent } from '../rule-set.js';
import { ruleProblem, type Check } from './context.js';

const DEFINITION_OF: Record<string, ['common' | 'trading-policy', string]> = {
  min_confidence: ['trading-policy', 'min_confidence'],
  max_risk_pct: ['trading-policy', 'max_risk_pct'],
  risk_profile: ['common', 'riskStance'],
};

/**
 * Literal policy values are range-checked by the schema; values taken from a profile can only be checked
 * per profile, which is done here: a rule must give a valid value under every profile.
 */
export const profileValueRanges: Check = ({ rules, profiles }) => {
  const problems: Problem[] = [];
  for (const rule of rules) {
    const event = rule.spec.event;
    if (!isPolicyEvent(event)) continue;
    for (const [field, raw] of Object.entries(event.params)) {
      const definition = DEFINITION_OF[field];
      if (!definition || !isFactReference(raw) || raw.fact !== 'profile') continue;
      for (const profile of profiles) {
        const value = valueAtPath(profile, raw.path);
        const violations = value === undefined ? [{ message: 'has no value' }] : validateAgainstDefinition(definition[0], definition[1], value);
        for (const v of violations) {
          problems.push(
            ruleProblem(rule, ['event', 'params', field], 'out-of-range', `${field} taken from profile ${profile.name}${raw.path?.slice(1) ?? ''}: ${v.message.replace(/^value /, '')}`),
          );
        }
      }
    }
  }
  return problems;
};
