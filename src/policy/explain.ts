import { factLabel } from './conditions.js';
import type { ConditionTrace, Explanation, RuleTrace } from './policy-engine.js';
import type { PolicyField } from './trading-policy.js';

const FIELDS: readonly PolicyField[] = [
  'allow_new_trades', 'min_confidence', 'max_risk_pct', 'exit_mode', 'risk_profile',
  'allowed_symbols', 'disallowed_symbols', 'note',
];

/**
 * Human-readable account of an evaluation: which rules fired (with the facts that made them fire), which
 * did not and on which condition, and which rule decided each policy field.
 */
export function renderExplanation(evaluation: Explanation): string {
  const { policy, trace, failure } = evaluation;
  const out: string[] = [];
  out.push(`Policy for profile ${policy.profile}, rule set ${policy.rule_set_version}`);
  if (failure) {
    out.push('', `EVALUATION FAILED: ${failure}`, 'The rule set\'s fallback policy applies.');
  }
  const fired = trace.filter((t) => t.fired);
  const missed = trace.filter((t) => !t.fired);
  out.push('', `Fired (${fired.length}):`);
  for (const t of fired) {
    out.push(`  ${header(t)}`);
    for (const line of conditionLines(t.conditions, false)) out.push(`      ${line}`);
  }
  out.push('', `Did not fire (${missed.length}):`);
  for (const t of missed) {
    out.push(`  ${header(t)}`);
    for (const line of conditionLines(t.conditions, true)) out.push(`      ${line}`);
  }
  out.push('', 'Decisions:');
  const width = Math.max(...FIELDS.map((f) => f.length));
  for (const field of FIELDS) {
    const value = policy[field];
    const by = policy.decided_by[field];
    const source = by.length > 0 ? `by ${by.join(', ')}` : failure ? 'fallback policy' : `profile ${policy.profile} static default`;
    out.push(`  ${field.padEnd(width)}  ${JSON.stringify(value)}  (${source})`);
  }
  const { tp_pct, sl_pct, trail_pct, partial_tp_fraction, partial_tp_at_r } = policy.exit_params;
  out.push(`  ${'exit_params'.padEnd(width)}  TP ${pct(tp_pct)}, SL ${pct(sl_pct)}, trail ${pct(trail_pct)}, partial ${pct(partial_tp_fraction)} at ${partial_tp_at_r}R (from exit mode ${policy.exit_mode})`);
  return out.join('\n');
}

function header(t: RuleTrace): string {
  const symbol = t.symbol ? ` [${t.symbol}]` : '';
  return `${t.rule}${symbol}  priority ${t.priority}  (${t.file}:${t.line})`;
}

/** Leaf conditions with their evaluated values; for a rule that did not fire, only the ones that failed. */
function conditionLines(condition: ConditionTrace, failingOnly: boolean): string[] {
  const lines: string[] = [];
  const visit = (c: ConditionTrace): void => {
    if (c.all) {
      if (c.all.length === 0 && !failingOnly) lines.push('(no conditions: always fires)');
      c.all.forEach(visit);
    } else if (c.any) {
      if (c.any.length === 0) lines.push('(empty any: never true)');
      c.any.forEach(visit);
    } else if (c.not) {
      visit(c.not);
    } else if (c.fact !== undefined) {
      if (failingOnly && c.result !== false) return;
      lines.push(describeLeaf(c));
    }
  };
  visit(condition);
  return lines;
}

function describeLeaf(c: ConditionTrace): string {
  const subject = `${factLabel(c.fact!, c.path)} = ${show(c.factResult)}`;
  const ref = c.value as { fact?: string; path?: string } | undefined;
  const target =
    ref && typeof ref === 'object' && !Array.isArray(ref) && typeof ref.fact === 'string'
      ? `${factLabel(ref.fact, ref.path)} (${show(c.valueResult)})`
      : show(c.value);
  const verdict = c.result === undefined ? 'not evaluated' : c.result ? 'true' : 'FALSE';
  return `${subject}  ${c.operator}  ${target}  → ${verdict}`;
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function pct(value: number): string {
  return `${+(value * 100).toFixed(3)}%`;
}
