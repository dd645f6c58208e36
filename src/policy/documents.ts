import { relative } from 'node:path';
import type { Problem } from '../config/problem.js';
import { withSchemaDefaults } from '../config/schema-defaults.js';
import { validateAgainst, type SchemaName } from '../config/schemas.js';
import { YamlSource, type DataPath } from '../config/yaml-source.js';
import { listRuleFiles, readRuleFile, type FileContent } from './rule-files.js';
import type { DocumentKind, LocatedRule, PolicyDocument } from './rule-set.js';
import { SIGNAL_SOURCE_KINDS } from './signal-source-docs.js';

const SCHEMA_OF_KIND: Record<DocumentKind, SchemaName> = {
  PolicyRules: 'policy-rules',
  ClassificationRules: 'classification-rules',
  RiskProfile: 'risk-profile',
  ExitModes: 'exit-modes',
  RuleSet: 'rule-set',
  ActiveProfile: 'active-profile',
  OrchestratorConfig: 'orchestrator-config',
  ReferenceStrategy: 'reference-strategy',
  BacktestConfig: 'backtest-config',
  ExecutionConfig: 'execution-config',
  BreakoutStrategy: 'breakout-strategy',
  MeanReversionStrategy: 'mean-reversion-strategy',
  RandomEntries: 'random-entries',
};

/** The signal sources' schemas state a default for every field: the rule set holds them filled in. */
const FILLED_WITH_DEFAULTS: ReadonlySet<string> = new Set(SIGNAL_SOURCE_KINDS);

export const DOCUMENT_KINDS = Object.keys(SCHEMA_OF_KIND) as DocumentKind[];

export { POLICY_TEST_FILE } from './rule-files.js';

export interface ReadResult {
  /** Schema-valid documents only. */
  readonly documents: PolicyDocument[];
  readonly problems: Problem[];
  /** Every file found, with its text or why it could not be read (for the content hash). */
  readonly contents: readonly FileContent[];
  /** Every YAML file found (as displayed), parsed or not. */
  readonly listed: readonly string[];
}

export interface ReadOptions {
  /** Names of the roots in the content hash keys (default: each folder's name). */
  readonly labels?: readonly string[];
}

/**
 * Reads and schema-checks every YAML file under `paths` through the limited reader. Never throws for
 * anything in the files.
 */
export function readDocuments(paths: readonly string[], cwd = process.cwd(), options: ReadOptions = {}): ReadResult {
  const display = (path: string) => displayPath(path, cwd);
  const listing = listRuleFiles(paths, display, options.labels);
  const documents: PolicyDocument[] = [];
  const problems: Problem[] = [...listing.problems];
  const contents: FileContent[] = [];
  for (const file of listing.files) {
    const shown = display(file.path);
    const content = readRuleFile(file, shown);
    contents.push(content);
    const source = 'text' in content ? YamlSource.parse(shown, content.text) : content.problems;
    if (Array.isArray(source)) {
      problems.push(...source);
      continue;
    }
    const result = checkDocument(source);
    if (Array.isArray(result)) problems.push(...result);
    else documents.push(result);
  }
  return { documents, problems, contents, listed: listing.files.map((f) => display(f.path)) };
}

/** Schema-checks one parsed file according to its `kind`. */
export function checkDocument(source: YamlSource): PolicyDocument | Problem[] {
  const data = source.data as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return [problemAt(source.file, 1, 1, '-', 'schema', 'expected a mapping with apiVersion, kind and version at the top')];
  }
  const kind = data.kind;
  if (typeof kind !== 'string' || !(DOCUMENT_KINDS as string[]).includes(kind)) {
    const at = source.locate(['kind']);
    if (kind === 'PolicyTests') {
      return [problemAt(source.file, at.line, at.column, '-', 'schema', 'a PolicyTests file must be named *.test.yaml (run by `quantum-trader test`, not part of the rule set)')];
    }
    const got = kind === undefined ? "missing field 'kind'" : `unknown kind '${String(kind)}'`;
    return [problemAt(source.file, at.line, at.column, '-', 'schema', `${got} (expected one of ${DOCUMENT_KINDS.join(', ')})`)];
  }
  const violations = validateAgainst(SCHEMA_OF_KIND[kind as DocumentKind], data);
  if (violations.length > 0) {
    return violations.map((v) => {
      const at = source.locate(v.path, { key: v.atKey });
      return problemAt(source.file, at.line, at.column, ruleNameAt(data, v.path), 'schema', v.message);
    });
  }
  const schema = SCHEMA_OF_KIND[kind as DocumentKind];
  const filled = FILLED_WITH_DEFAULTS.has(kind) ? withSchemaDefaults(schema, data) : data;
  return { kind: kind as DocumentKind, source, data: filled as never };
}

/** The name of the rule (or profile) that a data path points into, for the `rule-name` column. */
export function ruleNameAt(data: unknown, path: DataPath): string {
  const doc = data as { kind?: unknown; name?: unknown; rules?: unknown };
  if (path[0] === 'rules' && typeof path[1] === 'number' && Array.isArray(doc.rules)) {
    const name = (doc.rules[path[1]] as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' ? name : `rules[${path[1]}]`;
  }
  const named = doc.kind === 'RiskProfile' || SIGNAL_SOURCE_KINDS.includes(doc.kind as string);
  if (named && typeof doc.name === 'string') return doc.name;
  return '-';
}

export function problemAt(
  file: string,
  line: number,
  column: number,
  rule: string,
  check: string,
  message: string,
  severity: Problem['severity'] = 'error',
): Problem {
  return { file, line, column, rule, check, message, severity };
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') ? path : rel;
}

/** The rules of the PolicyRules and ClassificationRules documents, with where each was written. */
export function locateRules(documents: readonly PolicyDocument[]): LocatedRule[] {
  return documents.flatMap((document): LocatedRule[] => {
    if (document.kind === 'PolicyRules') {
      const doc = document as PolicyDocument<'PolicyRules'>;
      return doc.data.rules.map((spec, index) => ({ spec, scope: doc.data.scope, document: doc, index }));
    }
    if (document.kind === 'ClassificationRules') {
      const doc = document as PolicyDocument<'ClassificationRules'>;
      return doc.data.rules.map((spec, index) => ({ spec, scope: 'classification', document: doc, index }));
    }
    return [];
  });
}
