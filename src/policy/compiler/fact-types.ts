import { factShapes, shapeAtPath } from '../facts.js';
import type { Scope } from '../rule-set.js';

/**
 * True when the facts' schema says the value at `fact` and `path` is a number, string or boolean.
 * Anything else may be an object, and comparing an object as a number or text can throw (one without a
 * prototype has no valueOf or toString): the compiler evaluates such comparisons as ones that may throw.
 */
export function isPrimitive(scope: Scope, fact: string, path: unknown): boolean {
  const shape = factShapes(scope)[fact];
  if (!shape || (path && typeof path !== 'string')) return false;
  const at = shapeAtPath(shape, (path as string | undefined) || undefined);
  return !('error' in at) && (at.kind === 'number' || at.kind === 'enum' || at.kind === 'string' || at.kind === 'boolean');
}
