import type { DataPath } from '../config/yaml-source.js';
import type { Condition, LeafCondition } from './rule-set.js';

export function isLeaf(condition: Condition): condition is LeafCondition {
  return 'fact' in condition;
}

/** Calls `visit` for every fact comparison, with its data path inside the rule's `conditions`. */
export function forEachLeaf(
  condition: Condition,
  path: DataPath,
  visit: (leaf: LeafCondition, path: DataPath) => void,
): void {
  if (isLeaf(condition)) {
    visit(condition, path);
  } else if ('all' in condition) {
    condition.all.forEach((c, i) => forEachLeaf(c, [...path, 'all', i], visit));
  } else if ('any' in condition) {
    condition.any.forEach((c, i) => forEachLeaf(c, [...path, 'any', i], visit));
  } else {
    forEachLeaf(condition.not, [...path, 'not'], visit);
  }
}

/**
 * The comparisons that must all hold for the condition to hold, when the condition is a plain
 * conjunction (nested `all` groups of comparisons, no `any`/`not`); undefined otherwise. Lint reasons
 * about reachability and shadowing only for such rules, which is what traders write almost always.
 */
export function conjunction(condition: Condition, path: DataPath): { leaf: LeafCondition; path: DataPath }[] | undefined {
  if (isLeaf(condition)) return [{ leaf: condition, path }];
  if (!('all' in condition)) return undefined;
  const out: { leaf: LeafCondition; path: DataPath }[] = [];
  for (const [i, child] of condition.all.entries()) {
    const part = conjunction(child, [...path, 'all', i]);
    if (!part) return undefined;
    out.push(...part);
  }
  return out;
}

/** `risk.$.daily_dd_pct` → `risk.daily_dd_pct`, for messages. */
export function factLabel(fact: string, path: string | undefined): string {
  return path && path !== '$' ? `${fact}${path.slice(1)}` : fact;
}
