import { asTheEngineSees } from './engine-copy.js';
import type { LocatedRule, Scope } from '../rule-set.js';
import type { PolicyField } from '../trading-policy.js';
import { emitCondition, emitValue } from './condition-source.js';
import { emitNote } from './note-source.js';
import type { SourceBuilder } from './source-builder.js';

/** The policy fields an event sets, apart from the note. */
export type SetField = Exclude<PolicyField, 'note'>;

export const SET_FIELDS: readonly SetField[] = ['allow_new_trades', 'min_confidence', 'max_risk_pct', 'allowed_symbols', 'disallowed_symbols', 'exit_mode', 'risk_profile'];

/** A market- or symbol-scope rule as pieces of generated code. */
export interface RuleSource {
  readonly name: string;
  readonly priority: number;
  /** Position in the canonical order (priority high to low, then name): smaller is more important. */
  readonly rank: number;
  /** The local holding whether the rule fired. */
  readonly fired: string;
  /** The boolean expression of the rule's conditions. */
  readonly test: string;
  /**
   * The engine resolves event params whether or not the rule fired: the reads that may throw, evaluated
   * for nothing but the throw.
   */
  readonly resolve: readonly string[];
  /** Per field the event names, the expression of its value (a constant, or a fact read). */
  readonly values: Readonly<Partial<Record<SetField, string>>>;
  /** The note as the engine path has it in `params.note` once rendered; undefined when there is none. */
  readonly note: string | undefined;
  /** True when the event sets nothing but the note (such a note is always kept). */
  readonly onlyNote: boolean;
  /** Symbol scope: what a fired rule does to its symbol. */
  readonly action: 'block' | 'allow';
}

/** Priority high to low, then name: the order combine() puts contributions and verdicts in. */
export function byImportance(a: { priority: number; name: string }, b: { priority: number; name: string }): number {
  return b.priority - a.priority || a.name.localeCompare(b.name);
}

/** The enabled rules of one scope as code, in canonical order. */
export function ruleSources(b: SourceBuilder, located: readonly LocatedRule[], scope: Scope): RuleSource[] {
  const sorted = located
    .map(({ spec }) => ({ spec, name: spec.name, priority: Number.parseInt(String(spec.priority), 10) || 1 }))
    .sort(byImportance);
  const prefix = scope === 'symbol' ? 's' : 'r';
  return sorted.map(({ spec, name, priority }, rank): RuleSource => {
    const event = asTheEngineSees(spec.event) as { type: string; params?: Record<string, unknown> };
    const raw = event.params !== null && typeof event.params === 'object' ? event.params : {};
    const values: Partial<Record<SetField, string>> = {};
    const resolve: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
      const emitted = emitValue(b, scope, value);
      if (emitted.mayThrow) resolve.push(emitted.code);
      // Keys outside the policy's fields (the schema has none) change nothing combine() looks at.
      if ((SET_FIELDS as readonly string[]).includes(key)) values[key as SetField] = emitted.code;
    }
    return {
      name,
      priority,
      rank,
      fired: `${prefix}${rank}`,
      test: emitCondition(b, asTheEngineSees(spec.conditions), scope).code,
      resolve,
      values,
      note: Object.hasOwn(raw, 'note') ? emitNote(b, scope, raw.note) : undefined,
      onlyNote: Object.keys(raw).every((k) => k === 'note'),
      action: event.type === 'allow-symbol' ? 'allow' : 'block',
    };
  });
}

/** The local holding a market rule's value for a field: undefined unless the rule fired. */
export function valueLocal(rule: RuleSource, field: SetField): string {
  return `v${rule.rank}_${SET_FIELDS.indexOf(field)}`;
}

/** Evaluates the market rules: whether each fired, the params that may throw, the values of fired ones. */
export function marketRulesCode(rules: readonly RuleSource[]): string[] {
  return rules.flatMap((rule) => [
    `const ${rule.fired} = ${rule.test};`,
    ...rule.resolve.map((read) => `${read};`),
    ...SET_FIELDS.filter((f) => rule.values[f] !== undefined).map((f) => `const ${valueLocal(rule, f)} = ${rule.fired} ? ${rule.values[f]} : undefined;`),
  ]);
}

/**
 * Evaluates the symbol rules for every symbol of the state into `verdicts` (undefined when none fired).
 * The locals of one symbol (sn, ss, sp, sb) are described in condition-source.ts.
 */
export function symbolRulesCode(b: SourceBuilder, rules: readonly RuleSource[], symbols: string): string[] {
  if (rules.length === 0) return ['let verdicts;'];
  return [
    'let verdicts;',
    `const symbolNames = Object.keys(${symbols});`,
    'for (let i = 0; i < symbolNames.length; i++) {',
    `  const sn = symbolNames[i], ss = ${symbols}[sn];`,
    "  const sp = typeof ss === 'object' && ss !== null && Object.getPrototypeOf(ss) === Object.prototype;",
    '  let sb;',
    ...rules.flatMap((rule) => {
      const info = b.constant({ name: rule.name, rank: rule.rank, action: rule.action });
      const note = rule.note === undefined ? 'undefined' : rule.note;
      return [
        `  const ${rule.fired} = ${rule.test};`,
        ...rule.resolve.map((read) => `  ${read};`),
        `  if (${rule.fired}) {`,
        `    const note = ${note};`,
        `    if (note && typeof note !== 'string') noteNotText(${b.constant(rule.name)});`,
        `    (verdicts ??= []).push({ rule: ${info}, symbol: sn, note });`,
        '  }',
      ];
    }),
    '}',
  ];
}
