import type { Problem } from '../../config/problem.js';
import type { PolicyDocument } from '../rule-set.js';
import { documentProblem, ruleProblem, where, type Check } from './context.js';

/** Rule names are unique across the whole set: they key notes, logs, `explain` and `decided_by`. */
export const duplicateNames: Check = ({ rules, allRules }) => {
  const problems: Problem[] = [];
  for (const rule of rules) {
    const first = allRules.find((r) => r.spec.name === rule.spec.name);
    if (first && !(first.document === rule.document && first.index === rule.index)) {
      problems.push(ruleProblem(rule, ['name'], 'duplicate-name', `duplicate rule name '${rule.spec.name}' (first defined at ${where(first)})`));
    }
  }
  return problems;
};

/** A whole rule set has exactly one manifest and one exit-mode table, profiles, and a default that exists. */
export const setStructure: Check = ({ documents, profiles, complete }) => {
  const problems: Problem[] = [];
  const single = (kind: 'RuleSet' | 'ExitModes' | 'OrchestratorConfig' | 'ReferenceStrategy' | 'BacktestConfig' | 'ExecutionConfig', hint: string) => {
    const found = documents.filter((d) => d.kind === kind);
    for (const extra of found.slice(1)) {
      problems.push(documentProblem(extra, ['kind'], 'structure', `a second ${kind} document (the first is ${found[0]!.source.file}); a rule set has exactly one`));
    }
    if (complete && found.length === 0) {
      problems.push({ file: '-', line: 0, column: 0, rule: '-', severity: 'error', check: 'structure', message: `the rule set has no ${kind} document (${hint})` });
    }
  };
  single('RuleSet', 'rules/ruleset.yaml with version, default_profile and fallback');
  single('ExitModes', 'rules/exit-modes.yaml with the parameters of each exit mode');
  single('OrchestratorConfig', 'rules/orchestrator.yaml with enable_orchestrator, mode and the use_for_* switches');
  single('BacktestConfig', 'rules/backtest.yaml with the simulated account, fees, slippage and market rules');
  single('ExecutionConfig', 'rules/execution.yaml with signal age, reconciliation and exchange timing');
  single('ReferenceStrategy', 'rules/strategy.yaml with the reference strategy\'s indicators and confidence');

  for (const what of ['volatility', 'regime'] as const) {
    const found = documents
      .filter((d): d is PolicyDocument<'ClassificationRules'> => d.kind === 'ClassificationRules')
      .filter((d) => d.data.classifies === what);
    for (const extra of found.slice(1)) {
      problems.push(documentProblem(extra, ['classifies'], 'structure', `a second ClassificationRules file for ${what} (the first is ${found[0]!.source.file}); a rule set has exactly one`));
    }
    if (complete && found.length === 0) {
      problems.push({ file: '-', line: 0, column: 0, rule: '-', severity: 'error', check: 'structure', message: `the rule set has no ClassificationRules file with classifies: ${what}` });
    }
  }

  const seen = new Map<string, PolicyDocument>();
  for (const doc of documents) {
    if (doc.kind !== 'RiskProfile') continue;
    const name = (doc as PolicyDocument<'RiskProfile'>).data.name;
    const first = seen.get(name);
    if (first) problems.push(documentProblem(doc, ['name'], 'duplicate-name', `duplicate profile name '${name}' (also in ${first.source.file})`, name));
    else seen.set(name, doc);
  }
  if (complete && profiles.length === 0) {
    problems.push({ file: '-', line: 0, column: 0, rule: '-', severity: 'error', check: 'structure', message: 'the rule set has no RiskProfile document (profiles/*.yaml)' });
  }
  const active = documents.filter((d): d is PolicyDocument<'ActiveProfile'> => d.kind === 'ActiveProfile');
  for (const extra of active.slice(1)) {
    problems.push(documentProblem(extra, ['kind'], 'structure', `a second ActiveProfile document (the first is ${active[0]!.source.file}); only one may select the profile`));
  }
  if (complete && active[0] && profiles.length > 0 && !profiles.some((p) => p.name === active[0]!.data.profile.toUpperCase())) {
    problems.push(
      documentProblem(active[0], ['profile'], 'unknown-profile', `profile '${active[0].data.profile}' is not a profile (available: ${profiles.map((p) => p.name).join(', ')})`),
    );
  }
  const manifest = documents.find((d): d is PolicyDocument<'RuleSet'> => d.kind === 'RuleSet');
  if (complete && manifest && profiles.length > 0) {
    const wanted = manifest.data.default_profile.toUpperCase();
    if (!profiles.some((p) => p.name === wanted)) {
      problems.push(
        documentProblem(manifest, ['default_profile'], 'unknown-profile', `default_profile '${manifest.data.default_profile}' is not a profile (available: ${profiles.map((p) => p.name).join(', ')})`),
      );
    }
  }
  return problems;
};
