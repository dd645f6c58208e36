import { renderNote } from '../note-template.js';
import type { Facts } from '../facts.js';
import type { LocatedRule, Scope } from '../rule-set.js';
import type { PolicyField } from '../trading-policy.js';
import type { Read } from './fact-reader.js';
import { compileNote } from './note-renderer.js';
import { compilePredicate, compileValue, type Test } from './predicate.js';

/** The policy fields an event sets, apart from the note. */
export type SetField = Exclude<PolicyField, 'note'>;

export const SET_FIELDS: readonly SetField[] = ['allow_new_trades', 'min_confidence', 'max_risk_pct', 'allowed_symbols', 'disallowed_symbols', 'exit_mode', 'risk_profile'];

/** One rule's value for one policy field: a constant, or a fact reference resolved when the rule fires. */
export class FieldSetter {
  constructor(
    readonly rule: CompiledRule,
    private readonly constant: unknown,
    private readonly read: Read | undefined,
  ) {}

  /** What the engine path finds in the rule's resolved params (undefined: the rule does not set it). */
  value(facts: Facts): unknown {
    return this.read === undefined ? this.constant : this.read(facts);
  }
}

/** A market- or symbol-scope rule, compiled. */
export interface CompiledRule {
  readonly name: string;
  readonly priority: number;
  /** Position in the canonical order (priority high to low, then name): smaller is more important. */
  readonly rank: number;
  readonly test: Test;
  /**
   * The engine resolves event params whether or not the rule fired. Set when that may throw: resolves
   * them for nothing but the throw.
   */
  readonly resolveParams: ((facts: Facts) => void) | undefined;
  /** The note as the engine path has it in `params.note` once rendered; undefined when there is none. */
  readonly note: ((facts: Facts) => unknown) | undefined;
  /** True when the event sets nothing but the note (such a note is always kept). */
  readonly onlyNote: boolean;
  /** Symbol scope: what a fired rule does to its symbol. */
  readonly action: 'block' | 'allow';
}

export interface CompiledRules {
  /** In canonical order: `rules[rank]`. */
  readonly rules: readonly CompiledRule[];
  /** Per policy field, the rules whose event names it, in canonical order. */
  readonly setters: Readonly<Record<SetField, readonly FieldSetter[]>>;
  /** The rules with a note, in canonical order. */
  readonly noted: readonly CompiledRule[];
}

/** Priority high to low, then name: the order combine() puts contributions and verdicts in. */
export function byImportance(a: { priority: number; name: string }, b: { priority: number; name: string }): number {
  return b.priority - a.priority || a.name.localeCompare(b.name);
}

/** Compiles the enabled rules of one scope, in canonical order. */
export function compileRules(located: readonly LocatedRule[], scope: Scope): CompiledRules {
  const sorted = located
    .map(({ spec }) => ({ spec, name: spec.name, priority: Number.parseInt(String(spec.priority), 10) || 1 }))
    .sort(byImportance);
  const setters = Object.fromEntries(SET_FIELDS.map((f) => [f, [] as FieldSetter[]])) as Record<SetField, FieldSetter[]>;
  const rules = sorted.map(({ spec, name, priority }, rank): CompiledRule => {
    const event = spec.event as { type: string; params?: Record<string, unknown> };
    const raw = event.params !== null && typeof event.params === 'object' ? event.params : {};
    const values = Object.entries(raw).map(([key, value]) => ({ key, value, compiled: compileValue(value, scope) }));
    const risky = values.filter((v) => v.compiled.mayThrow).map((v) => v.compiled.read);
    const rule: CompiledRule = {
      name,
      priority,
      rank,
      test: compilePredicate(spec.conditions, scope).test,
      resolveParams: risky.length === 0 ? undefined : (facts) => risky.forEach((read) => read(facts)),
      note: Object.hasOwn(raw, 'note') ? compileNoteParam(raw.note, scope) : undefined,
      onlyNote: Object.keys(raw).every((k) => k === 'note'),
      action: event.type === 'allow-symbol' ? 'allow' : 'block',
    };
    // Keys outside the policy's fields (the schema has none) change nothing combine() looks at.
    for (const { key, value, compiled } of values) {
      if (!(SET_FIELDS as readonly string[]).includes(key)) continue;
      const runtime = !('constant' in compiled.side);
      setters[key as SetField].push(new FieldSetter(rule, runtime ? undefined : value, runtime ? compiled.read : undefined));
    }
    return rule;
  });
  return { rules, setters, noted: rules.filter((r) => r.note !== undefined) };
}

/**
 * The engine path resolves a note reference, then renders any string as a template; a constant template
 * is compiled once.
 */
function compileNoteParam(note: unknown, scope: Scope): (facts: Facts) => unknown {
  const value = compileValue(note, scope);
  if ('constant' in value.side) {
    if (typeof note !== 'string') return () => note;
    return compileNote(note);
  }
  const read = value.read;
  return (facts) => {
    const resolved = read(facts);
    return typeof resolved === 'string' ? renderNote(resolved, facts) : resolved;
  };
}
