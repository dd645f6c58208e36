import type { DataPath } from '../../config/yaml-source.js';
import type { MarketState } from '../../state/market-state.js';
import type { PolicyDocument, RuleSet } from '../rule-set.js';
import { locateRules } from '../documents.js';
import type { PartialState } from './neutral-state.js';

/** The shapes of a PolicyTests file (schemas/policy-tests.schema.json), as guaranteed once validated. */
export interface PolicyTestsDoc {
  readonly apiVersion: string;
  readonly kind: 'PolicyTests';
  readonly version: string;
  readonly description?: string;
  readonly defaults?: {
    readonly profile?: string | readonly string[];
    readonly state?: PartialState;
    readonly features?: Readonly<Record<string, unknown>>;
  };
  readonly cases: readonly CaseSpec[];
}

export interface CaseSpec {
  readonly name: string;
  readonly description?: string;
  readonly profile?: string | readonly string[];
  readonly state?: PartialState;
  readonly features?: Readonly<Record<string, unknown>>;
  readonly expect: Readonly<Record<string, unknown>>;
  readonly decided_by?: Readonly<Record<string, string | readonly string[]>>;
}

/** One runnable case: a case of a file under one profile, with its state completed from the defaults. */
export interface TestCase {
  readonly file: string;
  /** Line of the case in its file. */
  readonly line: number;
  readonly name: string;
  readonly kind: 'policy' | 'classification';
  /** Upper-case profile name; undefined for the rule set's active profile (and for classification cases). */
  readonly profile?: string;
  readonly state?: MarketState;
  readonly features?: Readonly<Record<string, unknown>>;
  /** Expected field → exact value or comparison. */
  readonly expect: Readonly<Record<string, unknown>>;
  /** Field → the rules expected to decide it ('default' for a classification default). */
  readonly decidedBy: Readonly<Record<string, readonly string[]>>;
  /** Line of something inside the case, e.g. `['expect', 'min_confidence']`. */
  readonly lineOf: (path: DataPath) => number;
}

export interface TestFile {
  readonly file: string;
  readonly cases: readonly TestCase[];
}

/**
 * What a test file is checked against: the names its cases may use. Undefined when the rule set could not
 * be read whole (its own problems come first; every name would look unknown).
 */
export interface TestContext {
  /** Upper-case profile names. */
  readonly profiles?: readonly string[];
  /** Rule name → what it decides: a policy field (market or symbol rules) or a classified quantity. */
  readonly rules?: ReadonlyMap<string, 'policy' | 'regime' | 'volatility'>;
}

export function testContextOf(ruleSet: RuleSet): TestContext {
  return {
    profiles: [...ruleSet.profiles.keys()],
    rules: rulesOf(ruleSet.rules.filter((r) => r.spec.enabled !== false).map((r) => ({ name: r.spec.name, document: r.document }))),
  };
}

/** The context from documents as `lint` reads them (the rule set may be incomplete or invalid). */
export function testContextOfDocuments(documents: readonly PolicyDocument[]): TestContext {
  const profiles = documents.filter((d) => d.kind === 'RiskProfile').map((d) => (d.data as { name: string }).name.toUpperCase());
  return { profiles, rules: rulesOf(locateRules(documents).map((r) => ({ name: r.spec.name, document: r.document }))) };
}

function rulesOf(rules: readonly { name: string; document: PolicyDocument }[]): Map<string, 'policy' | 'regime' | 'volatility'> {
  return new Map(
    rules.map(({ name, document }) => [
      name,
      document.kind === 'ClassificationRules' ? (document.data as { classifies: 'regime' | 'volatility' }).classifies : 'policy',
    ]),
  );
}
