import { SCOPE_FACTS } from '../facts.js';
import { NOTE_FILTERS, PLACEHOLDER } from '../note-template.js';
import type { Scope } from '../rule-set.js';
import { BUILT_SYMBOL, emitRead, emitValue, walk } from './condition-source.js';
import { factLocal, type SourceBuilder } from './source-builder.js';

/**
 * A rule's `note` param as an expression giving what the engine path has in `params.note` once rendered:
 * a constant template is split once into text and placeholders and rendered by concatenation, exactly as
 * renderNote (src/policy/note-template.ts) renders it; a fact reference is read, and rendered by renderNote
 * itself when it is text, against the same object of facts json-rules-engine is given.
 */
export function emitNote(b: SourceBuilder, scope: Scope, note: unknown): string {
  const value = emitValue(b, scope, note);
  if (!('constant' in value.side)) {
    const t = b.temp();
    return `((${t} = ${value.code}), typeof ${t} === 'string' ? renderNote(${t}, ${factsObject(scope)}) : ${t})`;
  }
  if (typeof note !== 'string' || !note.includes('{{')) return value.code;
  const parts: string[] = [];
  let at = 0;
  for (const match of note.matchAll(PLACEHOLDER)) {
    if (match.index > at) parts.push(b.constant(note.slice(at, match.index)));
    parts.push(placeholder(b, scope, match[1]!, match[2] ?? '', match[3]));
    at = match.index + match[0].length;
  }
  if (at < note.length) parts.push(b.constant(note.slice(at)));
  return parts.length === 0 ? `''` : `(${parts.join(' + ')})`;
}

/** One placeholder, as renderNote renders it: `facts[fact]`, walked along the path, then formatted. */
function placeholder(b: SourceBuilder, scope: Scope, fact: string, dotted: string, filter: string | undefined): string {
  const parts = dotted ? dotted.slice(1).split('.') : [];
  const value = scope === 'symbol' && fact === 'symbol' ? emitRead(b, scope, fact, parts.length > 0 ? `$.${parts.join('.')}` : undefined).code : walk(b, factValue(b, scope, fact), parts);
  if (filter === undefined) return `noteText(${value})`;
  if (!Object.hasOwn(NOTE_FILTERS, filter)) return `'?'`;
  return `String(${b.constant(NOTE_FILTERS[filter as keyof typeof NOTE_FILTERS])}(${value}))`;
}

/**
 * `facts[fact]` for the object of facts the engine is given: a fact of the scope, or whatever a plain
 * object has under that name (an empty object stands for it: `constructor` is a function, most names
 * nothing).
 */
function factValue(b: SourceBuilder, scope: Scope, fact: string): string {
  if (scope === 'symbol' && fact === 'symbol') return BUILT_SYMBOL;
  return factLocal(scope, fact) ?? `emptyObject[${b.constant(fact)}]`;
}

/** The object of facts json-rules-engine is given (marketFacts, symbolFacts): the same keys in the same order. */
function factsObject(scope: Scope): string {
  // The keys are SCOPE_FACTS, the compiler's own names.
  const value = (fact: string) => (scope === 'symbol' && fact === 'symbol' ? BUILT_SYMBOL : factLocal(scope, fact)!);
  return `{ ${SCOPE_FACTS[scope].map((fact) => `${fact}: ${value(fact)}`).join(', ')} }`;
}
