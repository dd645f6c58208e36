import { PolicyEngine } from '../policy-engine.js';
import type { RuleSet } from '../rule-set.js';
import { CaseRunner, type CaseResult } from './case-runner.js';
import { ClassificationProbe } from './classification-probe.js';
import { CoverageRecorder, type CoverageReport } from './coverage.js';
import type { TestFile } from './test-case.js';

export interface TestRunOptions {
  /** Record which rules fired and which comparisons were seen both true and false. */
  readonly coverage?: boolean;
}

export interface FileResult {
  readonly file: string;
  readonly results: readonly CaseResult[];
}

export interface TestReport {
  readonly ruleSetVersion: string;
  readonly files: readonly FileResult[];
  readonly passed: number;
  readonly failed: number;
  readonly coverage?: CoverageReport;
}

/** Runs every case of the test files against a rule set, in file order. Never throws for a failing case. */
export async function runTests(ruleSet: RuleSet, files: readonly TestFile[], options: TestRunOptions = {}): Promise<TestReport> {
  const runner = new CaseRunner(new PolicyEngine(ruleSet), new ClassificationProbe(ruleSet));
  const recorder = options.coverage ? new CoverageRecorder(ruleSet.rules) : undefined;
  const results: FileResult[] = [];
  for (const file of files) {
    const outcomes: CaseResult[] = [];
    for (const testCase of file.cases) {
      const outcome = await runner.run(testCase);
      recorder?.record(outcome.trace);
      outcomes.push(outcome);
    }
    results.push({ file: file.file, results: outcomes });
  }
  const all = results.flatMap((f) => f.results);
  const passed = all.filter((r) => r.passed).length;
  return {
    ruleSetVersion: ruleSet.version,
    files: results,
    passed,
    failed: all.length - passed,
    ...(recorder ? { coverage: recorder.report() } : {}),
  };
}
