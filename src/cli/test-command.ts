import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, sortProblems } from '../config/problem.js';
import { loadRuleSet } from '../policy/index.js';
import { loadTestFiles, renderTestReport, runTests, testContextOf, testReportJson, type TestReport } from '../policy/testing/index.js';
import { EXIT } from './exit-codes.js';
import { RuleSetError, type Output } from './output.js';
import { locationFrom, type RuleSetFlags } from './rule-set-options.js';

export interface TestParams extends RuleSetFlags {
  /** Test files or folders; default: the `tests` folder of the rules folder. */
  readonly paths: readonly string[];
  readonly format: 'pretty' | 'json';
  readonly coverage: boolean;
}

/**
 * Runs the policy test files against the rule set. Throws RuleSetError when the rule set is invalid and
 * InputError when a test file is (both name file and line); failing cases are results, not errors.
 */
export async function policyTest(params: TestParams, cwd = process.cwd()): Promise<TestReport> {
  const location = locationFrom(params, cwd);
  const loaded = loadRuleSet(location, cwd);
  if (!loaded.ruleSet) throw new RuleSetError(loaded.problems);
  const defaultFolder = join(location.rulesDir, 'tests');
  if (params.paths.length === 0 && !existsSync(defaultFolder)) {
    throw new InputError(`no policy tests: ${defaultFolder} does not exist (write *.test.yaml files there, see schemas/policy-tests.schema.json)`);
  }
  const paths = params.paths.length > 0 ? params.paths.map((p) => resolve(cwd, p)) : [defaultFolder];
  const tests = loadTestFiles(paths, testContextOf(loaded.ruleSet), cwd);
  if (tests.problems.length > 0) throw new InputError(sortProblems(tests.problems));
  if (tests.listed.length === 0) throw new InputError(`no policy test files (*.test.yaml) in ${paths.join(', ')}`);
  return runTests(loaded.ruleSet, tests.files, { coverage: params.coverage });
}

/** `test`: exit 0 when every case passes, 1 when one fails (or the rule set is invalid), 2 for a bad test file. */
export async function testCommand(params: TestParams, output: Output, cwd = process.cwd()): Promise<number> {
  const report = await policyTest(params, cwd);
  output.out(params.format === 'json' ? JSON.stringify(testReportJson(report), null, 2) : renderTestReport(report));
  return report.failed > 0 ? EXIT.PROBLEMS : EXIT.OK;
}
