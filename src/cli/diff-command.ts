import { relative, resolve } from 'node:path';
import { InputError, type Problem } from '../config/problem.js';
import { PolicyEngine, loadRuleSet, type RuleSet, type RuleSetLocation } from '../policy/index.js';
import {
  comparePolicies,
  diffReportJson,
  isEqual,
  profileSettingsDiff,
  renderDiffReport,
  ruleSetSettingsDiff,
  type DiffReport,
} from '../policy/testing/index.js';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';
import { locationFrom, type RuleSetFlags } from './rule-set-options.js';

export interface DiffParams extends RuleSetFlags {
  /** B: another rules folder, evaluated with the same profiles. */
  readonly vsRules?: string;
  /** B: another profile under the same rule set. */
  readonly vsProfile?: string;
  /** With --vs-rules: compare under this profile only (default: every profile); with --vs-profile: A's profile (default: the active one). */
  readonly profile?: string;
  readonly format: 'pretty' | 'json';
}

/**
 * Compares two rule sets (or two profiles) over the whole state space, without data. Either rule set
 * being invalid is bad input here (InputError): there is nothing to compare.
 */
export async function policyDiff(params: DiffParams, cwd = process.cwd()): Promise<DiffReport> {
  if ((params.vsRules === undefined) === (params.vsProfile === undefined)) {
    throw new InputError('give exactly one of --vs-rules DIR or --vs-profile NAME');
  }
  const location = locationFrom(params, cwd);
  const a = load(location, cwd);
  const engineA = new PolicyEngine(a);
  const shown = (path: string) => {
    const rel = relative(cwd, path);
    return `${rel === '' ? '.' : rel.startsWith('..') ? path : rel}/`;
  };
  if (params.vsProfile !== undefined) {
    const [pa, pb] = [engineA.profile(params.profile), engineA.profile(params.vsProfile)];
    const comparisons = await comparePolicies({ a: engineA, b: engineA, profiles: [{ a: pa.name, b: pb.name }], classification: false });
    return { compared: 'profiles', a: `profile ${pa.name}`, b: `profile ${pb.name}`, under: shown(location.rulesDir), comparisons, settings: profileSettingsDiff(pa, pb) };
  }
  const b = load({ rulesDir: resolve(cwd, params.vsRules!), profilesDir: location.profilesDir }, cwd);
  const engineB = new PolicyEngine(b);
  const names = params.profile !== undefined ? [engineA.profile(params.profile).name] : [...a.profiles.keys()].filter((n) => b.profiles.has(n));
  const comparisons = await comparePolicies({ a: engineA, b: engineB, profiles: names.map((n) => ({ a: n, b: n })), classification: true });
  const under = shown(location.profilesDir);
  return { compared: 'rules', a: shown(location.rulesDir), b: shown(resolve(cwd, params.vsRules!)), under, comparisons, settings: ruleSetSettingsDiff(a, b) };
}

/** `diff`: exit 0 when A and B decide alike everywhere, 1 when they differ, 2 for bad input. */
export async function diffCommand(params: DiffParams, output: Output, cwd = process.cwd()): Promise<number> {
  const report = await policyDiff(params, cwd);
  output.out(params.format === 'json' ? JSON.stringify(diffReportJson(report), null, 2) : renderDiffReport(report));
  return isEqual(report) ? EXIT.OK : EXIT.PROBLEMS;
}

function load(location: RuleSetLocation, cwd: string): RuleSet {
  const loaded = loadRuleSet(location, cwd);
  if (loaded.ruleSet) return loaded.ruleSet;
  const errors: Problem[] = loaded.problems.filter((p) => p.severity === 'error');
  throw new InputError([...errors, { file: location.rulesDir, line: 0, column: 0, rule: '-', severity: 'error', check: 'input', message: 'this rule set is invalid; run `quantum-trader lint` for details' }]);
}
