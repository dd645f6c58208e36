import { intersect, moreDefensive, mostRestrictive } from '../combine.js';
import { resolvePath } from '../facts.js';
import { renderNote } from '../note-template.js';
import { isNumberLike } from './operators.js';

/** What a symbol-scope rule is to the policy: its name, place in the canonical order and action. */
export interface SymbolRuleInfo {
  readonly name: string;
  readonly rank: number;
  readonly action: 'block' | 'allow';
}

/** A fired symbol-scope rule for one symbol, its note already rendered. */
export interface Verdict {
  readonly rule: SymbolRuleInfo;
  readonly symbol: string;
  readonly note: unknown;
}

/**
 * The functions generated evaluation code calls, bound by these names in the function that creates it
 * (policy-source.ts): the parts that are the same for every rule set are written here once, in
 * TypeScript, rather than generated.
 */
export const RUNTIME = {
  /** No rule set the field. */
  NONE: Symbol('none'),
  isNumberLike,
  resolvePath,
  renderNote,
  mostRestrictive,
  moreDefensive,
  intersect,
  /** Stands for a plain object of facts when a note names something that is not a fact. */
  emptyObject: Object.freeze({}) as Readonly<Record<string, unknown>>,

  undefinedFact(fact: unknown): never {
    throw new Error(`Undefined fact: ${String(fact)}`);
  },

  /** The fact `symbol`, as symbolFacts() (src/policy/facts.ts) builds it. */
  symbolObject(name: string, stats: unknown): Record<string, unknown> {
    return { name, ...(stats as object) };
  },

  /** A placeholder without a filter, as renderNote renders it. */
  noteText(value: unknown): string {
    if (typeof value === 'number' || typeof value === 'string') return String(value);
    return value === undefined || value === null ? '?' : typeof value === 'object' ? String(JSON.stringify(value)) : String(value);
  },

  /** The engine path renders whatever truthy note it finds, and fails on one that is not text. */
  noteNotText(rule: string): never {
    throw new TypeError(`rule ${rule}: the note is not text`);
  },

  addAll(set: Set<unknown> | undefined, symbols: unknown): Set<unknown> {
    const into = set ?? new Set();
    (symbols as unknown[]).forEach((s) => into.add(s));
    return into;
  },

  /**
   * The symbol rules' verdicts in combine()'s order (by symbol, then importance; sorted in place), applied
   * to the symbol lists and their credits. Returns the set of disallowed symbols.
   */
  applyVerdicts(verdicts: Verdict[], disallowed: Set<unknown> | undefined, disallowedBy: string[], allowedBy: string[], allowLists: unknown[][]): Set<unknown> | undefined {
    if (verdicts.length > 1) verdicts.sort(bySymbolThenImportance);
    let into = disallowed;
    let allowedBySymbolRules: unknown[] | undefined;
    for (const v of verdicts) {
      if (v.rule.action === 'block') (into ??= new Set()).add(v.symbol);
      else (allowedBySymbolRules ??= []).push(v.symbol);
      const field = v.rule.action === 'block' ? disallowedBy : allowedBy;
      if (!field.includes(v.rule.name)) field.push(v.rule.name);
    }
    if (allowedBySymbolRules !== undefined) allowLists.push(allowedBySymbolRules);
    return into;
  },

  /** The verdicts' notes after the market rules' (`count` of them so far, making `text`). */
  appendVerdictNotes(verdicts: readonly Verdict[], text: string, count: number, decidedNote: string[]): string {
    let joined = text;
    let n = count;
    for (const v of verdicts) {
      if (!v.note) continue;
      joined = n++ === 0 ? String(v.note) : `${joined}; ${String(v.note)}`;
      if (!decidedNote.includes(v.rule.name)) decidedNote.push(v.rule.name);
    }
    return joined;
  },
};

function bySymbolThenImportance(a: Verdict, b: Verdict): number {
  return a.symbol.localeCompare(b.symbol) || a.rule.rank - b.rule.rank;
}

/** The names generated code binds, in the order `new Function` receives the values. */
export const RUNTIME_NAMES = Object.keys(RUNTIME) as (keyof typeof RUNTIME)[];
