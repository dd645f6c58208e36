export { loadTestFiles, loadTestFile, listTestFiles } from './test-file-loader.js';
export type { LoadedTests } from './test-file-loader.js';
export { testContextOf, testContextOfDocuments } from './test-case.js';
export type { TestCase, TestContext, TestFile } from './test-case.js';
export { runTests } from './test-run.js';
export type { TestReport, FileResult } from './test-run.js';
export type { CaseResult } from './case-runner.js';
export type { CoverageReport } from './coverage.js';
export { renderTestReport, testReportJson } from './test-report.js';
