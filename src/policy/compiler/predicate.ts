import { asTheEngineSees } from './engine-copy.js';
import type { Facts } from '../facts.js';
import type { Scope } from '../rule-set.js';
import { emitCondition } from './condition-source.js';
import { RUNTIME, RUNTIME_NAMES } from './runtime.js';
import { factBindings, SourceBuilder } from './source-builder.js';

export type Test = (facts: Facts) => boolean;

export interface Predicate {
  readonly test: Test;
  /** False when evaluating can never throw, whatever the facts hold. */
  readonly mayThrow: boolean;
}

/**
 * One json-rules-engine condition (all / any / not / fact comparison) compiled into a function of an
 * object of facts that returns what the engine would decide, or throws where the engine may fail
 * (condition-source.ts). The classifier's rules are compiled this way.
 */
export function compilePredicate(condition: unknown, scope: Scope): Predicate {
  const b = new SourceBuilder();
  const emitted = emitCondition(b, asTheEngineSees(condition), scope);
  const source = [
    '"use strict";',
    `const { ${RUNTIME_NAMES.join(', ')} } = H;`,
    b.constantBindings(),
    'return function test(facts) {',
    b.tempDeclarations(),
    factBindings(scope, 'facts'),
    b.hoistedDeclarations(),
    // In symbol scope, the fact `symbol` is taken whole from the facts (see BUILT_SYMBOL).
    scope === 'symbol' ? 'const sn = undefined, ss = undefined, sp = false; let sb = facts.symbol;' : '',
    `return ${emitted.code};`,
    '};',
  ].join('\n');
  const factory = new Function('K', 'H', source) as (k: readonly unknown[], h: typeof RUNTIME) => Test;
  return { test: factory(b.constants, RUNTIME), mayThrow: emitted.mayThrow };
}
