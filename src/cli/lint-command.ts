import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatProblem, sortProblems, type Problem } from '../config/problem.js';
import { lintDocuments, readDocuments, type PolicyDocument } from '../policy/index.js';
import { POLICY_TEST_FILE } from '../policy/documents.js';
import { loadTestFiles, testContextOfDocuments } from '../policy/testing/index.js';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';
import { locationFrom, type RuleSetFlags } from './rule-set-options.js';

export interface LintParams extends RuleSetFlags {
  /** Files or folders; default: the rules and profiles folders. */
  readonly paths: readonly string[];
  readonly format: 'pretty' | 'json';
}

export interface LintReport {
  readonly files: number;
  readonly problems: readonly Problem[];
}

/**
 * Lints the given files. When they are only part of a rule set, the rest of the set (from --rules and
 * --profiles, or the defaults) is read as context, so references to profiles and duplicate names across
 * files are still checked, but only the given files' problems are reported.
 */
export function lint(params: LintParams, cwd = process.cwd()): LintReport {
  const location = locationFrom(params, cwd);
  const wholeSet = params.paths.length === 0;
  const targets = wholeSet ? [location.rulesDir, location.profilesDir] : params.paths.map((p) => resolve(cwd, p));
  // Policy test files (*.test.yaml) are checked against their own schema and the set's profile and rule names.
  const isFolder = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  const isTestFile = (path: string) => POLICY_TEST_FILE.test(path) && !isFolder(path);
  const read = readDocuments(targets.filter((t) => !isTestFile(t)), cwd);
  let context: PolicyDocument[] = [];
  if (!wholeSet) {
    const linted = new Set(read.documents.map((d) => d.source.file));
    context = readDocuments([location.rulesDir, location.profilesDir], cwd).documents.filter((d) => !linted.has(d.source.file));
  }
  const complete = (wholeSet || read.documents.some((d) => d.kind === 'RuleSet')) && read.problems.length === 0;
  const setProblems = [...read.problems, ...lintDocuments(read.documents, { complete, context })];
  // Test files' profile and rule names are checked against a sound set only: a broken one would make them all look unknown.
  const sound = !setProblems.some((p) => p.severity === 'error');
  const tests = loadTestFiles(targets.filter((t) => isTestFile(t) || isFolder(t)), sound ? testContextOfDocuments([...read.documents, ...context]) : {}, cwd);
  const problems = sortProblems([...setProblems, ...tests.problems]);
  return { files: read.listed.length + tests.listed.length, problems };
}

export async function lintCommand(params: LintParams, output: Output, cwd = process.cwd()): Promise<number> {
  const report = lint(params, cwd);
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const warnings = report.problems.length - errors;
  if (params.format === 'json') {
    output.out(JSON.stringify({ files: report.files, errors, warnings, problems: report.problems }, null, 2));
  } else {
    for (const p of report.problems) output.out(formatProblem(p));
    output.err(
      report.problems.length === 0
        ? `${report.files} file(s) checked: no problems`
        : `${report.files} file(s) checked: ${errors} error(s), ${warnings} warning(s)`,
    );
  }
  return report.problems.length === 0 ? EXIT.OK : EXIT.PROBLEMS;
}
