import { SET_FIELDS, valueLocal, type RuleSource, type SetField } from './rule-source.js';
import type { SourceBuilder } from './source-builder.js';

/**
 * combine() (src/policy/combine.ts) as straight-line code for one rule set: the same combinators, the same
 * credits in `decided_by`, the same notes, from which market rules fired and their values (locals set by
 * marketRulesCode) and the symbol rules' `verdicts`. The setters of each field are known when compiling,
 * already in canonical order, so nothing is sorted, no list of setters is walked, and only the notes that
 * are kept are rendered. combine() stays the specification; the differential property test holds this to it.
 */
export function assemblyCode(b: SourceBuilder, rules: readonly RuleSource[], ruleSetVersion: string): string[] {
  const setters = (field: SetField) =>
    rules.filter((r) => r.values[field] !== undefined).map((r) => ({ v: valueLocal(r, field), name: b.constant(r.name), priority: b.constant(r.priority) }));
  const each = <T>(list: readonly T[], line: (item: T) => string): string[] => list.map(line);
  const gates = setters('allow_new_trades');
  const stances = setters('risk_profile');
  const exits = setters('exit_mode');
  return [
    'const defaults = profile.static_policy;',
    // Any closed gate closes.
    'const gates = [];',
    'let firstGate, firstCloser, closers;',
    ...each(gates, ({ v, name }) =>
      `if (${v} !== undefined) { if (gates.length === 0) firstGate = ${v}; gates.push(${name}); if (!${v}) { if (closers === undefined) { firstCloser = ${v}; closers = []; } closers.push(${name}); } }`,
    ),
    'const allow_new_trades = closers !== undefined ? firstCloser : gates.length > 0 ? firstGate : defaults.allow_new_trades;',
    // The most restrictive value wins; every rule asking for that value is credited.
    ...best(setters('min_confidence'), 'minConfidence', '>'),
    ...best(setters('max_risk_pct'), 'maxRisk', '<'),
    'let risk_profile = defaults.risk_profile, stances = 0;',
    ...each(stances, ({ v }) => `if (${v} !== undefined) risk_profile = stances++ === 0 ? ${v} : mostRestrictive(risk_profile, ${v});`),
    'const riskProfileBy = [];',
    `if (stances > 0) { ${each(stances, ({ v, name }) => `if (${v} === risk_profile) riskProfileBy.push(${name});`).join(' ')} }`,
    // The highest priority decides (setters come by priority: a lower one after the top changes nothing);
    // a tie goes to the more defensive mode.
    'let exit_mode = defaults.exit_mode, top = NONE;',
    ...each(exits, ({ v, priority }) =>
      `if (${v} !== undefined) { if (top === NONE) { top = ${priority}; exit_mode = ${v}; } else if (top === ${priority}) exit_mode = moreDefensive(exit_mode, ${v}); }`,
    ),
    'const exitModeBy = [];',
    `if (top !== NONE) { ${each(exits, ({ v, name, priority }) => `if (${v} === exit_mode && top === ${priority}) exitModeBy.push(${name});`).join(' ')} }`,
    'let disallowed;',
    'const disallowedBy = [];',
    ...each(setters('disallowed_symbols'), ({ v, name }) => `if (${v} !== undefined) { disallowed = addAll(disallowed, ${v}); disallowedBy.push(${name}); }`),
    'const allowedBy = [];',
    'let allowLists;',
    ...each(setters('allowed_symbols'), ({ v, name }) => `if (${v} !== undefined && ${v}.length > 0) { allowedBy.push(${name}); (allowLists ??= []).push(${v}); }`),
    'if (verdicts !== undefined) disallowed = applyVerdicts(verdicts, disallowed, disallowedBy, allowedBy, allowLists ??= []);',
    'const decided_by = {',
    '  allow_new_trades: closers !== undefined ? closers : gates, min_confidence: minConfidenceBy, max_risk_pct: maxRiskBy,',
    '  allowed_symbols: allowedBy, disallowed_symbols: disallowedBy, exit_mode: exitModeBy, risk_profile: riskProfileBy, note: [],',
    '};',
    ...notes(b, rules),
    'return {',
    '  allow_new_trades,',
    '  min_confidence: minConfidence === NONE ? defaults.min_confidence : minConfidence,',
    '  max_risk_pct: maxRisk === NONE ? defaults.max_risk_pct : maxRisk,',
    '  allowed_symbols: allowLists === undefined || allowLists.length === 0 ? [] : intersect(allowLists),',
    '  disallowed_symbols: disallowed === undefined ? [] : [...disallowed].sort(),',
    '  exit_mode,',
    '  exit_params: exitParams(exit_mode),',
    '  risk_profile,',
    '  note,',
    '  decided_by,',
    '  profile: profile.name,',
    `  rule_set_version: ${b.constant(ruleSetVersion)},`,
    '};',
  ];
}

/**
 * The highest (or lowest) value among the fired setters, NONE when there is none, and the rules asking
 * for exactly it. As combine()'s reduce, the first value is compared with itself too (an object can throw).
 */
function best(setters: readonly { v: string; name: string }[], local: string, better: '>' | '<'): string[] {
  return [
    `let ${local} = NONE;`,
    ...setters.map(({ v }) => `if (${v} !== undefined) { if (${local} === NONE) ${local} = ${v}; if (${v} ${better} ${local}) ${local} = ${v}; }`),
    `const ${local}By = [];`,
    `if (${local} !== NONE) { ${setters.map(({ v, name }) => `if (${v} === ${local}) ${local}By.push(${name});`).join(' ')} }`,
  ];
}

/** A fired rule's note is kept when the rule decided something (or says nothing but the note). */
function notes(b: SourceBuilder, rules: readonly RuleSource[]): string[] {
  return [
    "let note = '', notes = 0;",
    ...rules
      .filter((r) => r.note !== undefined)
      .map((r) => {
        const name = b.constant(r.name);
        const kept = r.onlyNote ? r.fired : `${r.fired} && (${credits(b, r)})`;
        return `if (${kept}) { const text = ${r.note}; if (text) { note = notes++ === 0 ? String(text) : note + '; ' + String(text); decided_by.note.push(${name}); } }`;
      }),
    'if (verdicts !== undefined) note = appendVerdictNotes(verdicts, note, notes, decided_by.note);',
  ];
}

/**
 * Whether a fired market rule is credited in decided_by, from its own values: it can be credited only in
 * the fields it sets (rule names are unique, and its note is not in yet), each as the field's code above
 * credits it.
 */
function credits(b: SourceBuilder, rule: RuleSource): string {
  const name = b.constant(rule.name);
  const credited: Record<SetField, (v: string) => string> = {
    allow_new_trades: (v) => `(${v} !== undefined && (closers === undefined || !${v}))`,
    min_confidence: (v) => `${v} === minConfidence`,
    max_risk_pct: (v) => `${v} === maxRisk`,
    allowed_symbols: () => `allowedBy.includes(${name})`,
    disallowed_symbols: (v) => `${v} !== undefined`,
    exit_mode: (v) => `(${v} !== undefined && ${v} === exit_mode && top === ${b.constant(rule.priority)})`,
    risk_profile: (v) => `(${v} !== undefined && ${v} === risk_profile)`,
  };
  const fields = SET_FIELDS.filter((f) => rule.values[f] !== undefined);
  return fields.length === 0 ? 'false' : fields.map((f) => credited[f](valueLocal(rule, f))).join(' || ');
}
