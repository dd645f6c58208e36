import { summarise, type FieldChange } from './diff-summary.js';
import type { Comparison, Subspace } from './policy-diff.js';
import type { SettingChange } from './settings-diff.js';
import type { StateSpace } from './state-space.js';

export interface DiffReport {
  /** What is compared: two rules folders, or two profiles under one rule set. */
  readonly compared: 'rules' | 'profiles';
  readonly a: string;
  readonly b: string;
  /** The profiles folder both rules folders use, or the rules folder both profiles are evaluated with. */
  readonly under?: string;
  readonly comparisons: readonly Comparison[];
  readonly settings: readonly SettingChange[];
}

export function isEqual(report: DiffReport): boolean {
  return report.settings.length === 0 && report.comparisons.every((c) => c.differing.length === 0);
}

const NOUN: Record<Subspace, string> = { market: 'market states', symbol: 'per-symbol states', classification: 'indicator states' };

/** Per profile and subspace, each policy field's changes with the regions where they happen; settings; a verdict. */
export function renderDiffReport(report: DiffReport): string {
  const context = report.under ? ` (both ${report.compared === 'rules' ? 'with' : 'under'} ${report.under})` : '';
  const out: string[] = [`A = ${report.a}, B = ${report.b}${context}, compared over every state that matters to their rules:`];
  let title: string | undefined;
  for (const c of report.comparisons) {
    const heading = c.subspace === 'classification' ? 'Classification' : `Profile ${c.title}`;
    if (heading !== title) out.push('', heading);
    title = heading;
    const what = c.subspace === 'classification' ? `${c.title}: ` : '';
    out.push(`  ${what}${count(c.space.size)} ${NOUN[c.subspace]} (${dimensionsText(c.space)})`);
    if (c.differing.length === 0) out.push(c.identical ? '    no difference (the same rules and settings on both sides)' : '    no difference');
    for (const change of summarise(c)) out.push(...changeLines(change, c));
    for (const u of c.space.unsupported) out.push(`    not enumerated (kept at its neutral value): ${u}`);
  }
  if (report.settings.length > 0) {
    out.push('', 'Settings that differ:');
    for (const s of report.settings) out.push(`  ${s.document}  ${s.field}: ${display(s.a)} → ${display(s.b)}`);
  }
  const differing = report.comparisons.reduce((n, c) => n + c.differing.length, 0);
  const total = report.comparisons.reduce((n, c) => n + c.space.size, 0);
  out.push(
    '',
    isEqual(report)
      ? `Equal: A and B give the same decisions in all ${count(total)} states.`
      : `Different: ${count(differing)} of ${count(total)} states differ${report.settings.length > 0 ? `, and ${report.settings.length} setting(s)` : ''}.`,
  );
  return out.join('\n');
}

function changeLines(change: FieldChange, c: Comparison): string[] {
  const head = `    ${change.field} ${display(change.from)} → ${display(change.to)}`;
  const of = `${count(change.count)} of ${count(c.space.size)} ${NOUN[c.subspace]}`;
  if (change.regions.length === 1) {
    const when = change.regions[0]!.when;
    return [`${head}${when ? ` when ${when}` : ' in every state'}: ${of}`];
  }
  return [`${head}: ${of}`, ...change.regions.map((r) => `        when ${r.when}: ${count(r.count)}`)];
}

function dimensionsText(space: StateSpace): string {
  return space.dimensions.map((d) => (d.kind === 'enum' ? d.key : `${d.key} ${d.values.length}`)).join(' × ') || 'no comparisons';
}

/** Every differing state, with both sides' values of each field that differs. */
export function diffReportJson(report: DiffReport): object {
  return {
    equal: isEqual(report),
    compared: report.compared,
    a: report.a,
    b: report.b,
    ...(report.under ? { under: report.under } : {}),
    comparisons: report.comparisons.map((c) => ({
      [c.subspace === 'classification' ? 'classifies' : 'profile']: c.title,
      subspace: c.subspace,
      states: c.space.size,
      identical: c.identical,
      dimensions: c.space.dimensions.map((d) => ({ name: d.key, values: d.values })),
      not_enumerated: c.space.unsupported,
      changes: summarise(c).map((ch) => ({ field: ch.field, from: ch.from, to: ch.to, states: ch.count, regions: ch.regions.map((r) => ({ when: r.when, states: r.count })) })),
      differing_states: c.differing.map((d) => ({ state: d.state, fields: d.fields })),
    })),
    settings: report.settings,
  };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Values as a trader writes them in YAML: names bare, texts quoted, lists and mappings inline. */
export function display(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return /^[A-Za-z0-9_.-]+$/.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(display).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}: ${display(v)}`).join(', ')}}`;
  return String(value);
}
