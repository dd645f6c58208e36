import type { Problem, Severity } from '../../config/problem.js';
import type { DataPath } from '../../config/yaml-source.js';
import type { LocatedRule, PolicyDocument, RiskProfileDoc } from '../rule-set.js';

/** What every check sees: the documents being linted, and the whole set they belong to for cross-references. */
export interface LintContext {
  /** Documents whose problems are reported. */
  readonly documents: readonly PolicyDocument[];
  /** The whole set: `documents` and the context documents, in file order. */
  readonly allDocuments: readonly PolicyDocument[];
  /** Rules of `documents`. */
  readonly rules: readonly LocatedRule[];
  /** Rules of the whole set, including context documents not being reported on. */
  readonly allRules: readonly LocatedRule[];
  /** Profiles of the whole set: fact references to `profile` are checked under each. */
  readonly profiles: readonly RiskProfileDoc[];
  /** True when the documents form a whole rule set, so set-level requirements apply. */
  readonly complete: boolean;
}

export type Check = (context: LintContext) => Problem[];

/** A problem located inside a rule: `path` is relative to the rule (e.g. ['conditions', 'all', 0]). */
export function ruleProblem(
  rule: LocatedRule,
  path: DataPath,
  check: string,
  message: string,
  severity: Severity = 'error',
  options: { key?: boolean } = {},
): Problem {
  const source = rule.document.source;
  const at = source.locate(['rules', rule.index, ...path], options);
  return { file: source.file, line: at.line, column: at.column, rule: rule.spec.name, severity, check, message };
}

export function documentProblem(document: PolicyDocument, path: DataPath, check: string, message: string, rule = '-'): Problem {
  const at = document.source.locate(path);
  return { file: document.source.file, line: at.line, column: at.column, rule, severity: 'error', check, message };
}

export function where(rule: LocatedRule): string {
  return `${rule.document.source.file}:${rule.document.source.locate(['rules', rule.index]).line}`;
}

/** `file:line` of a document's field, for messages that point at another place. */
export function whereIn(document: PolicyDocument, path: DataPath): string {
  return `${document.source.file}:${document.source.locate(path).line}`;
}
