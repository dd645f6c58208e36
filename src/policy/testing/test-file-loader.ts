import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Problem } from '../../config/problem.js';
import { closest, validateAgainst } from '../../config/schemas.js';
import { YamlSource, type DataPath } from '../../config/yaml-source.js';
import type { MarketState } from '../../state/market-state.js';
import { POLICY_TEST_FILE, problemAt } from '../documents.js';
import { completeFeatures, completeState } from './neutral-state.js';
import type { CaseSpec, PolicyTestsDoc, TestCase, TestContext, TestFile } from './test-case.js';

export interface LoadedTests {
  /** Present only for files without problems. */
  readonly files: readonly TestFile[];
  readonly problems: readonly Problem[];
  /** Every test file found. */
  readonly listed: readonly string[];
}

/** `*.test.yaml` files under the given folders (recursively); files named explicitly are taken as they are. */
export function listTestFiles(paths: readonly string[]): { files: string[]; problems: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  const visit = (path: string, explicit: boolean): void => {
    let directory: boolean;
    try {
      directory = statSync(path).isDirectory();
    } catch {
      problems.push(problemAt(path, 0, 0, '-', 'io', 'no such file or folder'));
      return;
    }
    if (!directory) {
      if (explicit || POLICY_TEST_FILE.test(path)) files.push(path);
      return;
    }
    for (const entry of readdirSync(path).sort()) if (!entry.startsWith('.')) visit(join(path, entry), false);
  };
  for (const path of paths) visit(path, true);
  return { files: [...new Set(files)], problems };
}

/** Reads, schema-checks and checks against the rule set's names every test file under `paths`. */
export function loadTestFiles(paths: readonly string[], context: TestContext, cwd = process.cwd()): LoadedTests {
  const listed = listTestFiles(paths);
  const files: TestFile[] = [];
  const problems: Problem[] = [...listed.problems];
  for (const path of listed.files) {
    const rel = relative(cwd, path);
    const source = YamlSource.read(path, rel.startsWith('..') ? path : rel);
    if (Array.isArray(source)) {
      problems.push(...source);
      continue;
    }
    const loaded = loadTestFile(source, context);
    if (loaded.problems.length > 0) problems.push(...loaded.problems);
    else files.push(loaded.file!);
  }
  return { files, problems, listed: listed.files };
}

/** One parsed test file: its cases, or the problems that keep it from running. */
export function loadTestFile(source: YamlSource, context: TestContext): { file?: TestFile; problems: Problem[] } {
  const problem = (path: DataPath, message: string, name = '-', key = false): Problem => {
    const at = source.locate(path, { key });
    return problemAt(source.file, at.line, at.column, name, 'policy-test', message);
  };
  const violations = validateAgainst('policy-tests', source.data);
  if (violations.length > 0) {
    return { problems: violations.map((v) => problem(v.path, v.message, caseNameAt(source.data, v.path), v.atKey)) };
  }
  const doc = source.data as PolicyTestsDoc;
  const problems: Problem[] = [];
  const checkProfiles = (value: string | readonly string[] | undefined, path: DataPath, name: string) => {
    if (!context.profiles) return;
    for (const [i, profile] of toList(value).entries()) {
      if (!context.profiles.includes(profile.toUpperCase())) {
        const at = typeof value === 'string' ? path : [...path, i];
        problems.push(problem(at, `unknown profile '${profile}' (available: ${context.profiles.join(', ')})`, name));
      }
    }
  };
  checkProfiles(doc.defaults?.profile, ['defaults', 'profile'], '-');

  const cases: TestCase[] = [];
  const seen = new Map<string, number>();
  for (const [index, spec] of doc.cases.entries()) {
    const at = (path: DataPath): DataPath => ['cases', index, ...path];
    const before = problems.length;
    if (seen.has(spec.name)) problems.push(problem(at(['name']), `duplicate case name '${spec.name}' (also case ${seen.get(spec.name)! + 1})`, spec.name));
    seen.set(spec.name, index);
    const kind = spec.features !== undefined ? 'classification' : 'policy';
    checkProfiles(spec.profile, at(['profile']), spec.name);
    for (const [field, rules] of Object.entries(spec.decided_by ?? {})) {
      for (const rule of toList(rules)) {
        const message = unknownDecider(rule, field, kind, context);
        if (message) problems.push(problem(at(['decided_by', field]), message, spec.name));
      }
    }
    for (const { path, pattern } of patterns(spec.expect, ['expect'])) {
      try {
        new RegExp(pattern);
      } catch (error) {
        problems.push(problem(at(path), `invalid regular expression: ${(error as Error).message}`, spec.name));
      }
    }
    let state: MarketState | undefined;
    if (kind === 'policy') {
      const complete = completeState(doc.defaults?.state, spec.state);
      for (const v of validateAgainst('market-state', complete)) {
        problems.push(problem(at(['state']), `the completed state is invalid: ${v.message}`, spec.name));
      }
      state = complete as unknown as MarketState;
    }
    if (problems.length > before) continue;
    const profiles = kind === 'policy' ? toList(spec.profile ?? doc.defaults?.profile) : [];
    for (const profile of profiles.length > 0 ? profiles : [undefined]) {
      cases.push(testCase(source, index, spec, kind, profile?.toUpperCase(), state, doc.defaults?.features));
    }
  }
  return problems.length > 0 ? { problems } : { file: { file: source.file, cases }, problems: [] };
}

function testCase(
  source: YamlSource,
  index: number,
  spec: CaseSpec,
  kind: TestCase['kind'],
  profile: string | undefined,
  state: MarketState | undefined,
  featureDefaults: Readonly<Record<string, unknown>> | undefined,
): TestCase {
  return {
    file: source.file,
    line: source.locate(['cases', index]).line,
    name: spec.name,
    kind,
    ...(profile !== undefined ? { profile } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(kind === 'classification' ? { features: completeFeatures(featureDefaults, spec.features) } : {}),
    expect: spec.expect,
    decidedBy: Object.fromEntries(Object.entries(spec.decided_by ?? {}).map(([field, rules]) => [field, toList(rules)])),
    lineOf: (path) => source.locate(['cases', index, ...path]).line,
  };
}

function unknownDecider(rule: string, field: string, kind: TestCase['kind'], context: TestContext): string | undefined {
  if (!context.rules) return undefined;
  const decides = context.rules.get(rule);
  const hint = closest(rule, [...context.rules.keys()]);
  const unknown = `unknown rule '${rule}'${hint ? ` (did you mean '${hint}'?)` : ''}`;
  if (kind === 'classification') {
    if (rule === 'default' || decides === field) return undefined;
    return decides === undefined ? unknown : `rule '${rule}' does not classify ${field}`;
  }
  if (decides === 'policy') return undefined;
  return decides === undefined ? unknown : `rule '${rule}' is a classification rule, not a policy rule`;
}

/** Every `matches` pattern inside an expectation, with its path. */
function patterns(value: unknown, path: DataPath): { path: DataPath; pattern: string }[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'matches' && typeof child === 'string' ? [{ path: [...path, key], pattern: child }] : patterns(child, [...path, key]),
  );
}

function toList(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function caseNameAt(data: unknown, path: DataPath): string {
  if (path[0] !== 'cases' || typeof path[1] !== 'number') return '-';
  const name = ((data as { cases?: { name?: unknown }[] }).cases?.[path[1]])?.name;
  return typeof name === 'string' ? name : `cases[${path[1]}]`;
}
