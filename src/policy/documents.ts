import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Problem } from '../config/problem.js';
import { validateAgainst, type SchemaName } from '../config/schemas.js';
import { YamlSource, type DataPath } from '../config/yaml-source.js';
import type { DocumentKind, LocatedRule, PolicyDocument } from './rule-set.js';

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
};

export const DOCUMENT_KINDS = Object.keys(SCHEMA_OF_KIND) as DocumentKind[];

/** Policy test files (`quantum-trader test`) live beside the rules but are not part of the rule set. */
export const POLICY_TEST_FILE = /\.test\.ya?ml$/i;

export interface ReadResult {
  /** Schema-valid documents only. */
  readonly documents: PolicyDocument[];
  readonly problems: Problem[];
  /** Every file that parsed as YAML, valid or not, with its text (for hashing). */
  readonly files: readonly { readonly file: string; readonly text: string }[];
  /** Every YAML file found, parsed or not. */
  readonly listed: readonly string[];
}

/** Lists the YAML files under the given files or folders (recursively), sorted, without duplicates. */
export function listYamlFiles(paths: readonly string[]): { files: string[]; problems: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  const visit = (path: string, explicit: boolean): void => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      problems.push(problemAt(path, 0, 0, '-', 'io', explicit ? 'no such file or folder' : 'not found'));
      return;
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry.startsWith('.')) continue;
        const child = join(path, entry);
        if (statSync(child).isDirectory() || (/\.ya?ml$/i.test(entry) && !POLICY_TEST_FILE.test(entry))) visit(child, false);
      }
    } else {
      files.push(path);
    }
  };
  for (const path of paths) visit(path, true);
  return { files: [...new Set(files)], problems };
}

/** Reads and schema-checks every YAML file under `paths`. Never throws for user errors. */
export function readDocuments(paths: readonly string[], cwd = process.cwd()): ReadResult {
  const listed = listYamlFiles(paths);
  const documents: PolicyDocument[] = [];
  const problems: Problem[] = [...listed.problems];
  const files: { file: string; text: string }[] = [];
  for (const path of listed.files) {
    const display = displayPath(path, cwd);
    const source = YamlSource.read(path, display);
    if (Array.isArray(source)) {
      problems.push(...source);
      continue;
    }
    files.push({ file: display, text: source.text });
    const result = checkDocument(source);
    if (Array.isArray(result)) problems.push(...result);
    else documents.push(result);
  }
  return { documents, problems, files, listed: listed.files };
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
  return { kind: kind as DocumentKind, source, data: data as never };
}

/** The name of the rule (or profile) that a data path points into, for the `rule-name` column. */
export function ruleNameAt(data: unknown, path: DataPath): string {
  const doc = data as { kind?: unknown; name?: unknown; rules?: unknown };
  if (path[0] === 'rules' && typeof path[1] === 'number' && Array.isArray(doc.rules)) {
    const name = (doc.rules[path[1]] as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' ? name : `rules[${path[1]}]`;
  }
  if (doc.kind === 'RiskProfile' && typeof doc.name === 'string') return doc.name;
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
