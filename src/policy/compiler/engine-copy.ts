import clone from 'clone';

/**
 * The copy of a rule's conditions or event that json-rules-engine evaluates: its RuleResult takes them
 * through `clone`, which drops an object's own keys that shadow a data property of its prototype (a
 * constant `{ toString: [] }` is compared as `{}`). The compiler reads the same copy, made by the same
 * library, so it decides on the values the engine decides on.
 */
export function asTheEngineSees<T>(document: T): T {
  return clone(document);
}
