import type { Problem } from '../../config/problem.js';
import { closest } from '../../config/schemas.js';
import type { DataPath } from '../../config/yaml-source.js';
import { factLabel, forEachLeaf } from '../conditions.js';
import { factShapes, shapeAtPath, type Shape } from '../facts.js';
import { NOTE_FILTERS, placeholders } from '../note-template.js';
import { isFactReference, isPolicyEvent, type LocatedRule } from '../rule-set.js';
import { ruleProblem, type Check } from './context.js';

/** Every fact, path and note placeholder a rule names must exist in its scope. */
export const factReferences: Check = ({ rules }) => rules.flatMap(checkRule);

function checkRule(rule: LocatedRule): Problem[] {
  const problems: Problem[] = [];
  const shapes = factShapes(rule.scope);
  const report = (path: DataPath, message: string, check = 'unknown-fact') => problems.push(ruleProblem(rule, path, check, message));

  const resolve = (fact: string, path: string | undefined, at: DataPath): Shape | undefined => {
    const shape = shapes[fact];
    if (!shape) {
      const hint = closest(fact, Object.keys(shapes));
      const scopeNote = fact === 'symbol' && rule.scope === 'market' ? ' (the symbol fact exists only in files with scope: symbol)' : '';
      report(at, `unknown fact '${fact}'${hint ? ` (did you mean '${hint}'?)` : ` (known: ${Object.keys(shapes).join(', ')})`}${scopeNote}`);
      return undefined;
    }
    const inner = shapeAtPath(shape, path);
    if ('error' in inner) {
      report(at, `unknown path ${path} in fact '${fact}': ${factLabel(fact, path)} ${inner.error}`, 'unknown-path');
      return undefined;
    }
    return inner;
  };

  forEachLeaf(rule.spec.conditions, ['conditions'], (leaf, path) => {
    resolve(leaf.fact, leaf.path, [...path, 'fact']);
    if (isFactReference(leaf.value)) resolve(leaf.value.fact, leaf.value.path, [...path, 'value']);
  });

  const event = rule.spec.event;
  const params: Record<string, unknown> = (event.params ?? {}) as Record<string, unknown>;
  if (isPolicyEvent(event)) {
    for (const [field, value] of Object.entries(params)) {
      if (!isFactReference(value)) continue;
      // Only the profile is known when linting: a value taken from the state could fall outside the field's range at run time.
      if (value.fact !== 'profile') report(['event', 'params', field], `${field} may take its value from the profile only (got fact '${value.fact}'): the state's values change at run time and could fall outside the field's range`, 'param-reference');
      else resolve(value.fact, value.path, ['event', 'params', field]);
    }
  }
  if (typeof params.note === 'string') {
    for (const p of placeholders(params.note)) {
      const shape = resolve(p.fact, p.path, ['event', 'params', 'note']);
      if (shape && p.filter !== undefined && !Object.hasOwn(NOTE_FILTERS, p.filter)) {
        report(['event', 'params', 'note'], `unknown note filter '${p.filter}' in ${p.text} (known: ${Object.keys(NOTE_FILTERS).join(', ')})`, 'unknown-filter');
      }
    }
  }
  return problems;
}
