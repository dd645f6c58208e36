import type { LocatedRule, RiskProfileDoc, RuleSet } from '../rule-set.js';
import { SIGNAL_SOURCE_KINDS, type StrategyDoc } from '../signal-source-docs.js';
import { same } from './expectation.js';

/** A setting that differs outside what the policy rules decide (sizing, orchestrator switches …). */
export interface SettingChange {
  /** The file (or profile) it is in, as the first rule set names it. */
  readonly document: string;
  /** e.g. `sizing.atr_stop_multiplier` */
  readonly field: string;
  readonly a: unknown;
  readonly b: unknown;
}

/** Fields that document a file rather than set behaviour. */
const DOCUMENTATION = new Set(['apiVersion', 'kind', 'version', 'description', 'name']);

/**
 * The settings of the rules folders that the state-space enumeration does not cover: the manifest
 * (fallback policy, market-data settings, default profile), the orchestrator switches, the reference
 * strategy, the other signal sources and the backtest account. Exit-mode parameters and classification defaults show up in the
 * enumeration itself.
 */
export function ruleSetSettingsDiff(a: RuleSet, b: RuleSet): SettingChange[] {
  const fileOf = (kind: string) => a.files.find((f) => f.kind === kind)?.file ?? kind;
  return [
    ...fieldsDiff(fileOf('RuleSet'), a.manifest, b.manifest),
    ...fieldsDiff(fileOf('OrchestratorConfig'), a.orchestrator, b.orchestrator),
    ...fieldsDiff(fileOf('ReferenceStrategy'), a.strategy, b.strategy),
    ...fieldsDiff(fileOf('BacktestConfig'), a.backtest, b.backtest),
    ...fieldsDiff(fileOf('ExecutionConfig'), a.execution, b.execution),
    ...signalSources(a, b),
    ...noteTemplates(a, b),
  ];
}

/**
 * The signal sources of rules/strategies/, matched by name, field by field (named by A's file); one that
 * only one set has is listed by name.
 */
function signalSources(a: RuleSet, b: RuleSet): SettingChange[] {
  const [inA, inB] = [sourcesByName(a), sourcesByName(b)];
  return [...new Set([...inA.keys(), ...inB.keys()])].flatMap((name) => {
    const [x, y] = [inA.get(name), inB.get(name)];
    const document = (x ?? y)!.file;
    if (x === undefined || y === undefined) return [{ document, field: 'signal source', a: x?.doc.name, b: y?.doc.name }];
    // Sources of different kinds share no field worth comparing.
    if (x.doc.kind !== y.doc.kind) return [{ document, field: 'kind', a: x.doc.kind, b: y.doc.kind }];
    return fieldsDiff(document, x.doc, y.doc);
  });
}

/** Each signal source with its file: RuleSet.files and RuleSet.signalSources both keep the files' order. */
function sourcesByName(ruleSet: RuleSet): Map<string, { readonly file: string; readonly doc: StrategyDoc }> {
  const files = ruleSet.files.filter((f) => SIGNAL_SOURCE_KINDS.includes(f.kind));
  return new Map(ruleSet.signalSources.map((doc, i) => [doc.name, { file: files[i]?.file ?? doc.name, doc }]));
}

/** Note texts of rules found in both sets under the same name (`diff` compares decisions, not notes). */
function noteTemplates(a: RuleSet, b: RuleSet): SettingChange[] {
  const noteOf = (rule: LocatedRule) => (rule.spec.event.params as { note?: unknown } | undefined)?.note;
  const inB = new Map(b.rules.map((r) => [r.spec.name, r]));
  return a.rules.flatMap((rule) => {
    const other = inB.get(rule.spec.name);
    if (!other || same(noteOf(rule), noteOf(other))) return [];
    return [{ document: rule.document.source.file, field: `${rule.spec.name} note`, a: noteOf(rule), b: noteOf(other) }];
  });
}

/** Two profiles field by field: limits, sizing and circuit breakers matter to the executor beyond the policy. */
export function profileSettingsDiff(a: RiskProfileDoc, b: RiskProfileDoc): SettingChange[] {
  return fieldsDiff(`profile ${a.name} → ${b.name}`, a, b);
}

function fieldsDiff(document: string, a: unknown, b: unknown, prefix = ''): SettingChange[] {
  const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isMapping(a) && isMapping(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !DOCUMENTATION.has(k));
    return keys.flatMap((key) => fieldsDiff(document, a[key], b[key], prefix ? `${prefix}.${key}` : key));
  }
  return same(a, b) ? [] : [{ document, field: prefix, a, b }];
}
