import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../config/problem.js';
import { locateRules, readDocuments } from './documents.js';
import { contentHash as hashOf, type FileContent } from './rule-files.js';
import { lintDocuments } from './lint/index.js';
import type { Classified, PolicyDocument, RiskProfileDoc, RuleSet } from './rule-set.js';
import { SIGNAL_SOURCE_KINDS, type SignalSourceKind } from './signal-source-docs.js';

export interface RuleSetLocation {
  readonly rulesDir: string;
  readonly profilesDir: string;
}

/** The rules and profiles shipped with quantum-trader, used when the working folder has none. */
export const BUNDLED: RuleSetLocation = {
  rulesDir: fileURLToPath(new URL('../../rules', import.meta.url)),
  profilesDir: fileURLToPath(new URL('../../profiles', import.meta.url)),
};

/** `./rules` and `./profiles` when they exist in the working folder, else the bundled ones. */
export function defaultLocation(cwd = process.cwd()): RuleSetLocation {
  const local = { rulesDir: `${cwd}/rules`, profilesDir: `${cwd}/profiles` };
  return {
    rulesDir: existsSync(local.rulesDir) ? local.rulesDir : BUNDLED.rulesDir,
    profilesDir: existsSync(local.profilesDir) ? local.profilesDir : BUNDLED.profilesDir,
  };
}

export interface LoadResult {
  /** Present only when no problem is an error. */
  readonly ruleSet?: RuleSet;
  /** Errors and warnings, sorted by file and line. */
  readonly problems: readonly Problem[];
}

/**
 * Reads, validates and lints a whole rule set. Either every file is valid and a RuleSet comes back, or
 * none does: a running system keeps its last good set (the design's "invalid bundle never replaces the good one").
 */
export function loadRuleSet(location: RuleSetLocation, cwd = process.cwd()): LoadResult {
  const read = readDocuments([location.rulesDir, location.profilesDir], cwd, { labels: RULE_SET_LABELS });
  // Set-level requirements are checked only once every file is valid: a profile that failed its schema
  // would otherwise also be reported as "missing".
  const problems = [...read.problems, ...lintDocuments(read.documents, { complete: read.problems.length === 0 })];
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { ruleSet: assemble(read.documents, read.contents), problems };
}

/**
 * How the two folders are named in the content hash, whatever they are called on disk or on the command
 * line: `rule_set_version` depends on the files' contents and their paths inside the folders only.
 */
export const RULE_SET_LABELS = ['rules', 'profiles'] as const;

function assemble(documents: readonly PolicyDocument[], contents: readonly FileContent[]): RuleSet {
  const only = <K extends 'RuleSet' | 'ExitModes' | 'OrchestratorConfig' | 'ReferenceStrategy' | 'BacktestConfig' | 'ExecutionConfig'>(kind: K) => documents.find((d): d is PolicyDocument<K> => d.kind === kind)!.data;
  const manifest = only('RuleSet');
  const contentHash = hashOf(contents);
  const profiles = new Map<string, RiskProfileDoc>();
  for (const d of documents) if (d.kind === 'RiskProfile') profiles.set((d.data as RiskProfileDoc).name, d.data as RiskProfileDoc);
  const classifiers = documents.filter((d): d is PolicyDocument<'ClassificationRules'> => d.kind === 'ClassificationRules');
  const classification = (what: Classified) => classifiers.find((d) => d.data.classifies === what)!.data;
  const active = documents.find((d): d is PolicyDocument<'ActiveProfile'> => d.kind === 'ActiveProfile');
  return {
    manifest,
    activeProfile: (active?.data.profile ?? manifest.default_profile).toUpperCase(),
    exitModes: only('ExitModes'),
    orchestrator: only('OrchestratorConfig'),
    strategy: only('ReferenceStrategy'),
    backtest: only('BacktestConfig'),
    execution: only('ExecutionConfig'),
    signalSources: documents.filter((d): d is PolicyDocument<SignalSourceKind> => SIGNAL_SOURCE_KINDS.includes(d.kind)).map((d) => d.data),
    rules: locateRules(documents),
    classification: { volatility: classification('volatility'), regime: classification('regime') },
    profiles,
    version: `${manifest.version}+${contentHash.slice(0, 12)}`,
    contentHash,
    files: documents.map((d) => ({ file: d.source.file, kind: d.kind, version: d.data.version })),
  };
}
