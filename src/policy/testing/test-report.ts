import type { CaseResult } from './case-runner.js';
import type { CoverageReport } from './coverage.js';
import { show } from './expectation.js';
import type { TestReport } from './test-run.js';

/** Test-runner output: a line per case, a field-by-field diff under each failure, coverage, the totals last. */
export function renderTestReport(report: TestReport): string {
  const out: string[] = [];
  for (const file of report.files) {
    out.push(file.file);
    for (const result of file.results) {
      const title = `${result.case.name}${result.profile ? ` [${result.profile}]` : ''}`;
      if (result.passed) {
        out.push(`  ok    ${title}`);
        continue;
      }
      out.push(`  FAIL  ${title}  (${result.case.file}:${result.case.line})`);
      if (result.failure) out.push(`          evaluation failed, the fallback policy applied: ${result.failure}`);
      const width = Math.max(...result.mismatches.map((m) => m.field.length));
      for (const m of result.mismatches) {
        const source = result.sources[m.field];
        out.push(`          ${m.field.padEnd(width)}  expected ${m.expected}, got ${show(m.actual)}${source ? `  (${source})` : ''}`);
      }
    }
  }
  if (report.coverage) out.push('', ...renderCoverage(report.coverage));
  out.push('', `${report.passed} passed, ${report.failed} failed (rule set ${report.ruleSetVersion})`);
  return out.join('\n');
}

export function renderCoverage(coverage: CoverageReport): string[] {
  const unfired = coverage.rules.filter((r) => !r.fired);
  const oneSided = coverage.conditions.filter((c) => !(c.seenTrue && c.seenFalse));
  const out = [
    `Coverage: ${coverage.rules.length - unfired.length} of ${coverage.rules.length} rules fired; ` +
      `${coverage.conditions.length - oneSided.length} of ${coverage.conditions.length} comparisons seen both true and false`,
  ];
  if (unfired.length > 0) {
    out.push('  rules that never fired:');
    for (const r of unfired) out.push(`    ${r.file}:${r.line}  ${r.rule}`);
  }
  if (oneSided.length > 0) {
    out.push('  comparisons not seen both ways:');
    for (const c of oneSided) {
      const missing = !c.seenTrue && !c.seenFalse ? 'never evaluated' : c.seenTrue ? 'never false' : 'never true';
      out.push(`    ${c.file}:${c.line}  ${c.rule} ${c.at}: ${c.condition}: ${missing}`);
    }
  }
  return out;
}

/** The report as JSON: every case with its failures (each with its line), and the coverage when asked for. */
export function testReportJson(report: TestReport): object {
  return {
    rule_set_version: report.ruleSetVersion,
    passed: report.passed,
    failed: report.failed,
    cases: report.files.flatMap((f) => f.results.map(caseJson)),
    ...(report.coverage ? { coverage: report.coverage } : {}),
  };
}

function caseJson(result: CaseResult): object {
  const c = result.case;
  return {
    file: c.file,
    line: c.line,
    name: c.name,
    kind: c.kind,
    ...(result.profile ? { profile: result.profile } : {}),
    passed: result.passed,
    ...(result.failure ? { evaluation_failure: result.failure } : {}),
    failures: result.mismatches.map((m) => ({
      field: m.field,
      expected: m.expected,
      actual: m.actual ?? null,
      line: c.lineOf(m.path),
      ...(result.sources[m.field] ? { source: result.sources[m.field] } : {}),
    })),
  };
}
