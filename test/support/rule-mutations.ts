import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import type { RuleSetCopy } from './rule-sets.js';

/**
 * Random damage to shipped rule files, as a trader's typo, a bad merge or a hostile tester would do it:
 * values of the wrong type, rich JSONPath, unknown facts and operators, keys renamed or deleted, files
 * cut short.
 */

/** Shipped files worth mutating: rules of every scope (twice as often: they hold the conditions), then every other kind. */
export const MUTATED_FILES = [
  'rules/gates.yaml', 'rules/confidence.yaml', 'rules/exit-selection.yaml', 'rules/risk-stance.yaml', 'rules/symbols.yaml',
  'rules/classification/regime.yaml', 'rules/classification/volatility.yaml',
  'rules/gates.yaml', 'rules/confidence.yaml', 'rules/exit-selection.yaml', 'rules/risk-stance.yaml', 'rules/symbols.yaml',
  'rules/classification/regime.yaml', 'rules/classification/volatility.yaml',
  'rules/ruleset.yaml', 'rules/exit-modes.yaml', 'rules/strategy.yaml', 'rules/backtest.yaml', 'rules/orchestrator.yaml',
  'profiles/safe.yaml', 'profiles/aggressive.yaml', 'profiles/active.yaml',
];

/** Values a trader (or a bad merge) might put anywhere: wrong types, rich JSONPath, operators, fact references. */
const ANY_VALUE: unknown[] = [
  0, -1, 16, 0.5, 1e9, -0.03, '', 'x', 'EXTREME', 'LOW', 'TRENDING_UP', 'NO_NEW_TRADES', 'FAST_TP', true, false, null,
  '$', '$.daily_dd_pct', '$.daily_dd_pct[0]', '$..*', '$[?(@.x)]', '$.limits.max_open_positions', '$.nope', '$.atr_pct',
  'equal', 'notEqual', 'in', 'notIn', 'contains', 'lessThan', 'greaterThanInclusive', 'swap:in', 'someFact:equal', 'everyValue:lessThan', 'not:equal',
  'risk', 'profile', 'symbol', 'symbols', 'features', 'regime', 'volatility', 'nope',
  [], ['LOW', 'HIGH'], [1, 2], [[1]], {}, { fact: 'profile', path: '$.limits.max_open_positions' }, { fact: 'risk' }, { fact: 'nope' },
  { fact: 'profile', path: 16 }, { fact: 'risk', path: '$.daily_dd_pct' }, { all: [] }, { any: [] },
];
const KEYS = ['fact', 'path', 'operator', 'value', 'all', 'any', 'not', 'priority', 'name', 'params', 'event', 'conditions', 'type', 'enabled', 'note', 'extra'];

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

const get = (root: unknown, path: Path): unknown => path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);

/** A value like the one there (so that many mutated sets still lint clean and get evaluated), or anything. */
function replacement(current: unknown, pick: number, wild: boolean): unknown {
  if (!wild) {
    if (typeof current === 'number') {
      const near = [current * 1.1, current * 0.9, current + 1, Math.max(0, current - 1), current * 2, -current, 0, 1, -1, 0.005, 0.6, -0.025, 100];
      return near[pick % near.length];
    }
    if (typeof current === 'boolean') return !current;
    if (typeof current === 'string') {
      const same = ANY_VALUE.filter((v): v is string => typeof v === 'string' && v.startsWith('$') === current.startsWith('$'));
      return same[pick % same.length];
    }
  }
  return structuredClone(ANY_VALUE[pick % ANY_VALUE.length]);
}

export const mutationArb = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'replace', 'replace', 'delete', 'rename', 'duplicate'),
  at: fc.nat(),
  pick: fc.nat(),
  wild: fc.nat({ max: 3 }).map((n) => n === 0),
});

export function mutate(data: unknown, mutation: { kind: string; at: number; pick: number; wild: boolean }): unknown {
  const all = paths(data).filter((p) => p.length > 0);
  const path = all[mutation.at % all.length]!;
  const parent = get(data, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = path[path.length - 1]!;
  if (mutation.kind === 'replace') (parent as Record<string | number, unknown>)[key] = replacement(get(data, path), mutation.pick, mutation.wild);
  else if (mutation.kind === 'delete') Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key];
  else if (mutation.kind === 'duplicate' && Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
  else if (!Array.isArray(parent)) {
    const value = parent[key];
    delete parent[key];
    parent[KEYS[mutation.pick % KEYS.length]!] = value;
  }
  return data;
}

/** A text-level accident: the file cut short, or a character dropped or doubled. */
export const textAccidentArb = fc.record({ kind: fc.constantFrom('cut', 'drop', 'double'), at: fc.double({ min: 0, max: 1, noNaN: true }) });

export function textAccident(text: string, accident: { kind: string; at: number }): string {
  const at = Math.floor(accident.at * text.length);
  if (accident.kind === 'cut') return text.slice(0, at);
  if (accident.kind === 'drop') return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + text.slice(at, at + 1) + text.slice(at);
}

/** One hostile save into a rule-set copy, and how to take it back. */
export interface HostileSave {
  readonly name: string;
  /** The file a rejection names. */
  readonly file: string;
  apply(copy: RuleSetCopy): void;
  undo(copy: RuleSetCopy): void;
}

const replaceIn = (file: string, from: string, to: string): Pick<HostileSave, 'apply' | 'undo' | 'file'> => ({
  file,
  apply: (copy) => copy.edit(file, from, to),
  undo: (copy) => copy.edit(file, to, from),
});

const extraFile = (file: string, create: (path: string) => void): Pick<HostileSave, 'apply' | 'undo' | 'file'> => ({
  file,
  apply: (copy) => create(copy.path(file)),
  undo: (copy) => rmSync(copy.path(file), { force: true }),
});

function aliasBomb(): string {
  const lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i <= 9; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** The saves that ended or hung the daemon (issue 16), each a file a trader or an attacker could write. */
export const HOSTILE_SAVES: readonly HostileSave[] = [
  { name: 'self-referencing anchor', ...replaceIn('rules/gates.yaml', 'value: EXTREME', 'value: &a [LOW, *a]') },
  { name: 'numeric path in a fact reference', ...replaceIn('rules/gates.yaml', 'path: $.circuit_breakers.daily_dd_limit_pct', 'path: 16') },
  { name: 'JSONPath with an index', ...replaceIn('rules/gates.yaml', 'path: $.daily_dd_pct', 'path: $.daily_dd_pct[0]') },
  { name: 'undefined alias', ...replaceIn('rules/confidence.yaml', 'min_confidence: 0.60', 'min_confidence: *nope') },
  { name: 'alias bomb', ...extraFile('rules/bomb.yaml', (path) => writeFileSync(path, aliasBomb())) },
  { name: 'FIFO named like a rule file', ...extraFile('rules/pipe.yaml', (path) => execFileSync('mkfifo', [path])) },
  { name: 'dangling symbolic link', ...extraFile('rules/dangling.yaml', (path) => symlinkSync('missing.yaml', path)) },
  { name: 'symbolic link loop', ...extraFile('rules/loop.yaml', (path) => symlinkSync('loop.yaml', path)) },
  { name: 'invalid UTF-8', ...extraFile('rules/latin1.yaml', (path) => writeFileSync(path, Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]))) },
];

const OPERATORS = [
  'equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive',
  'not:equal', 'not:lessThan', 'swap:in', 'swap:contains', 'someFact:equal', 'everyFact:lessThan', 'someValue:equal', 'everyValue:greaterThan',
];
const CONDITION_VALUES: unknown[] = [
  0, 1, -0.025, 0.5, 25, 'HIGH', 'EXTREME', 'TRENDING_UP', 'SAFE', 'x', true, null, ['LOW', 'NORMAL'], ['TRENDING_UP', 'SIDEWAYS'], [1, 2], [], ['HIGH', 3],
  { fact: 'profile', path: '$.limits.max_open_positions' }, { fact: 'profile', path: '$.circuit_breakers.daily_dd_limit_pct' }, { fact: 'profile', path: '$.name' },
  { fact: 'profile', path: '$.stance.favourable' }, { fact: 'profile' }, { fact: 'risk', path: '$.daily_dd_pct' }, { fact: 'regime' }, { fact: 'features', path: '$.atr_pct' },
  { fact: 'symbol', path: '$.win_rate' }, { fact: 'profile', path: '$.symbol_judgement.min_trades' },
];
const CONDITION_PATHS = [undefined, '$', '$.daily_dd_pct', '$.open_positions', '$.exposure_pct', '$.losing_streak', '$.limits.max_open_positions', '$.atr_pct', '$.adx', '$.ready', '$.win_rate', '$.trades', '$.name', '$.BTCUSDT.win_rate'];
const CONDITION_FACTS = ['regime', 'volatility', 'risk', 'profile', 'symbols', 'symbol', 'features'];

/** A change to one comparison in a rule file that the schema accepts: what lint's type checks must judge. */
export const conditionMutationArb = fc.record({
  part: fc.constantFrom('operator', 'value', 'path', 'fact'),
  at: fc.nat(),
  pick: fc.nat(),
});

export function mutateCondition(data: unknown, mutation: { part: string; at: number; pick: number }): unknown {
  const leaves = paths(data).map((p) => get(data, p)).filter((n): n is Record<string, unknown> => n !== null && typeof n === 'object' && !Array.isArray(n) && 'fact' in n && 'operator' in n);
  if (leaves.length === 0) return data;
  const leaf = leaves[mutation.at % leaves.length]!;
  const choose = <T>(list: readonly T[]): T => list[mutation.pick % list.length]!;
  if (mutation.part === 'operator') leaf.operator = choose(OPERATORS);
  else if (mutation.part === 'value') leaf.value = structuredClone(choose(CONDITION_VALUES));
  else if (mutation.part === 'fact') leaf.fact = choose(CONDITION_FACTS);
  else {
    const path = choose(CONDITION_PATHS);
    if (path === undefined) delete leaf.path;
    else leaf.path = path;
  }
  return data;
}
