import { sortProblems, type Problem } from '../../config/problem.js';
import { locateRules } from '../documents.js';
import type { PolicyDocument, RiskProfileDoc } from '../rule-set.js';
import { compilable } from './compilable.js';
import type { Check, LintContext } from './context.js';
import { profileValueRanges } from './ranges.js';
import { neverFires, shadowed } from './reachability.js';
import { factReferences } from './references.js';
import { signalSourceConsistency, strategyConsistency } from './strategy.js';
import { conditionTypes } from './types.js';
import { duplicateNames, setStructure } from './structure.js';

/** Semantic checks, run after every document passed its schema. Order only affects nothing but speed. */
export const CHECKS: readonly Check[] = [setStructure, duplicateNames, factReferences, conditionTypes, compilable, profileValueRanges, neverFires, shadowed, strategyConsistency, signalSourceConsistency];

export interface LintOptions {
  /** Documents of the same rule set that are not being reported on (cross-references only). */
  readonly context?: readonly PolicyDocument[];
  /** Whether `documents` form a whole rule set (manifest, exit modes and profiles required). */
  readonly complete: boolean;
}

export function lintDocuments(documents: readonly PolicyDocument[], options: LintOptions): Problem[] {
  const context = options.context ?? [];
  // Canonical order, so "first defined at" never depends on which files were asked for.
  const everything = [...documents, ...context].sort((a, b) => a.source.file.localeCompare(b.source.file));
  const lintContext: LintContext = {
    documents,
    allDocuments: everything,
    rules: locateRules(documents),
    allRules: locateRules(everything),
    profiles: everything.filter((d): d is PolicyDocument<'RiskProfile'> => d.kind === 'RiskProfile').map((d) => d.data as RiskProfileDoc),
    complete: options.complete,
  };
  return sortProblems(CHECKS.flatMap((check) => check(lintContext)));
}
