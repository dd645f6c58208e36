import type { DataPath } from '../../config/yaml-source.js';
import { factLabel, forEachLeaf } from '../conditions.js';
import type { ConditionTrace, RuleTrace } from '../policy-engine.js';
import { isFactReference, type LeafCondition, type LocatedRule, type Scope } from '../rule-set.js';

export interface RuleCoverage {
  readonly rule: string;
  readonly scope: Scope;
  readonly file: string;
  readonly line: number;
  readonly fired: boolean;
}

export interface ConditionCoverage {
  readonly rule: string;
  readonly file: string;
  readonly line: number;
  /** e.g. `risk.daily_dd_pct lessThanInclusive profile.circuit_breakers.daily_dd_limit_pct` */
  readonly condition: string;
  /** Where in the rule's conditions, e.g. `all[1]`. */
  readonly at: string;
  readonly seenTrue: boolean;
  readonly seenFalse: boolean;
}

export interface CoverageReport {
  /** Every enabled rule, in file order. */
  readonly rules: readonly RuleCoverage[];
  /** Every comparison of every enabled rule, in file order. */
  readonly conditions: readonly ConditionCoverage[];
}

interface Leaf {
  readonly rule: LocatedRule;
  readonly path: DataPath;
  readonly leaf: LeafCondition;
  seenTrue: boolean;
  seenFalse: boolean;
}

/**
 * Which rules fired and which comparisons were evaluated both true and false across the traces of
 * many evaluations (`quantum-trader test --coverage`, after OPA's `test --coverage`).
 */
export class CoverageRecorder {
  private readonly fired = new Set<string>();
  private readonly leaves = new Map<string, Leaf[]>();
  private readonly rules: readonly LocatedRule[];

  constructor(rules: readonly LocatedRule[]) {
    this.rules = rules.filter((r) => r.spec.enabled !== false);
    for (const rule of this.rules) {
      const leaves: Leaf[] = [];
      forEachLeaf(rule.spec.conditions, [], (leaf, path) => leaves.push({ rule, path, leaf, seenTrue: false, seenFalse: false }));
      this.leaves.set(rule.spec.name, leaves);
    }
  }

  record(trace: readonly RuleTrace[]): void {
    for (const t of trace) {
      if (t.fired) this.fired.add(t.rule);
      for (const leaf of this.leaves.get(t.rule) ?? []) {
        const result = traceAt(t.conditions, leaf.path)?.result;
        if (result === true) leaf.seenTrue = true;
        if (result === false) leaf.seenFalse = true;
      }
    }
  }

  report(): CoverageReport {
    const origin = (rule: LocatedRule, path: DataPath = []) => ({
      file: rule.document.source.file,
      line: rule.document.source.locate(['rules', rule.index, ...path]).line,
    });
    return {
      rules: this.rules.map((r) => ({ rule: r.spec.name, scope: r.scope, ...origin(r), fired: this.fired.has(r.spec.name) })),
      conditions: [...this.leaves.values()].flat().map((l) => ({
        rule: l.rule.spec.name,
        ...origin(l.rule, ['conditions', ...l.path]),
        condition: describeLeaf(l.leaf),
        at: pathText(l.path),
        seenTrue: l.seenTrue,
        seenFalse: l.seenFalse,
      })),
    };
  }
}

function traceAt(condition: ConditionTrace | undefined, path: DataPath): ConditionTrace | undefined {
  let node: unknown = condition;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node as ConditionTrace | undefined;
}

export function describeLeaf(leaf: LeafCondition): string {
  const value = isFactReference(leaf.value) ? factLabel(leaf.value.fact, leaf.value.path) : JSON.stringify(leaf.value);
  return `${factLabel(leaf.fact, leaf.path)} ${leaf.operator} ${value}`;
}

function pathText(path: DataPath): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '') || 'conditions';
}
