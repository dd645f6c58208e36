import type { PolicyEngine, RuleTrace } from '../policy-engine.js';
import type { PolicyField } from '../trading-policy.js';
import type { ClassificationProbe } from './classification-probe.js';
import { matchExpectations, same, show, type Mismatch } from './expectation.js';
import type { TestCase } from './test-case.js';

export interface CaseResult {
  readonly case: TestCase;
  /** The profile the case ran under (the active one when the case names none); absent for classification. */
  readonly profile?: string;
  readonly passed: boolean;
  readonly mismatches: readonly Mismatch[];
  /** Per mismatched field, what decided the actual value, e.g. `confidence-high-volatility (rules/confidence.yaml:22)`. */
  readonly sources: Readonly<Record<string, string>>;
  readonly trace: readonly RuleTrace[];
  /** Set when evaluation failed and the rule set's fallback policy applied. */
  readonly failure?: string;
}

/** Runs test cases through the real policy engine and classifier. */
export class CaseRunner {
  constructor(
    private readonly engine: PolicyEngine,
    private readonly probe: ClassificationProbe,
  ) {}

  async run(testCase: TestCase): Promise<CaseResult> {
    return testCase.kind === 'classification' ? this.classification(testCase) : this.policy(testCase);
  }

  private async policy(testCase: TestCase): Promise<CaseResult> {
    // The policy as trading evaluates it (compiled); the trace, for origins and coverage, from json-rules-engine.
    const { policy, failure } = await this.engine.evaluate(testCase.state!, testCase.profile);
    const { trace } = await this.engine.explain(testCase.state!, testCase.profile);
    const mismatches = [
      ...matchExpectations(testCase.expect, policy as unknown as Record<string, unknown>),
      ...deciderMismatches(testCase.decidedBy, policy.decided_by),
    ];
    const located = (rules: readonly string[]) => rules.map((r) => withOrigin(r, trace)).join(', ');
    const sourceOf = (field: string): string | undefined => {
      if (failure) return `fallback policy (${failure})`;
      if (field.startsWith('exit_params.')) return `exit mode ${policy.exit_mode}${sourceOf('exit_mode') ? `, ${sourceOf('exit_mode')}` : ''}`;
      const by = policy.decided_by[field as PolicyField];
      if (!by) return undefined;
      return by.length > 0 ? `decided by ${located(by)}` : `profile ${policy.profile} static_policy`;
    };
    return result(testCase, mismatches, sourceOf, trace, policy.profile, failure);
  }

  private async classification(testCase: TestCase): Promise<CaseResult> {
    const classified = await this.probe.classify(testCase.features!);
    const actual = { regime: classified.regime, volatility: classified.volatility };
    const mismatches = [
      ...matchExpectations(testCase.expect, actual),
      ...deciderMismatches(testCase.decidedBy, { regime: [classified.decided_by.regime], volatility: [classified.decided_by.volatility] }),
    ];
    const sourceOf = (field: string): string | undefined => {
      const rule = classified.decided_by[field as 'regime' | 'volatility'];
      if (!rule) return undefined;
      return rule === 'default' ? 'no rule fired: the classification default' : `decided by ${withOrigin(rule, classified.trace)}`;
    };
    return result(testCase, mismatches, sourceOf, classified.trace);
  }
}

function result(
  testCase: TestCase,
  mismatches: readonly Mismatch[],
  sourceOf: (field: string) => string | undefined,
  trace: readonly RuleTrace[],
  profile?: string,
  failure?: string,
): CaseResult {
  const sources: Record<string, string> = {};
  for (const m of mismatches) {
    const source = m.field.startsWith('decided_by.') ? undefined : sourceOf(m.field);
    if (source) sources[m.field] = source;
  }
  return {
    case: testCase,
    ...(profile !== undefined ? { profile } : {}),
    passed: mismatches.length === 0,
    mismatches,
    sources,
    trace,
    ...(failure !== undefined ? { failure } : {}),
  };
}

function deciderMismatches(expected: Readonly<Record<string, readonly string[]>>, actual: Readonly<Record<string, readonly string[]>>): Mismatch[] {
  return Object.entries(expected)
    .filter(([field, rules]) => !same([...rules], [...(actual[field] ?? [])]))
    .map(([field, rules]) => ({ field: `decided_by.${field}`, path: ['decided_by', field], expected: show(rules), actual: actual[field] ?? [] }));
}

function withOrigin(rule: string, trace: readonly RuleTrace[]): string {
  const t = trace.find((r) => r.rule === rule);
  return t ? `${rule} at ${t.file}:${t.line}` : rule;
}
