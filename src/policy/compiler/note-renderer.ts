import type { Facts } from '../facts.js';
import { NOTE_FILTERS, PLACEHOLDER, type NoteFilter } from '../note-template.js';
import { pathWalker } from './fact-reader.js';

type Part = string | ((facts: Facts) => string);

/**
 * A note template split once into text and placeholders, rendering exactly what renderNote
 * (src/policy/note-template.ts) renders for the same facts. Notes are rendered when the policy is built:
 * a lazily rendered note would need an accessor on every policy, which costs more than rendering.
 */
export function compileNote(template: string): (facts: Facts) => string {
  if (!template.includes('{{')) return () => template;
  const parts: Part[] = [];
  let at = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > at) parts.push(template.slice(at, match.index));
    parts.push(placeholder(match[1]!, match[2] ?? '', match[3]));
    at = match.index + match[0].length;
  }
  if (at < template.length) parts.push(template.slice(at));
  return (facts) => {
    let text = '';
    for (const part of parts) text += typeof part === 'string' ? part : part(facts);
    return text;
  };
}

function placeholder(fact: string, dotted: string, filter: string | undefined): (facts: Facts) => string {
  const walk = pathWalker(dotted ? dotted.slice(1).split('.') : []);
  if (filter !== undefined) {
    const format = Object.hasOwn(NOTE_FILTERS, filter) ? NOTE_FILTERS[filter as NoteFilter] : undefined;
    if (!format) return () => '?';
    return (facts) => String(format(walk(facts[fact])));
  }
  return (facts) => {
    const value = walk(facts[fact]);
    return value === undefined || value === null ? '?' : typeof value === 'object' ? String(JSON.stringify(value)) : String(value);
  };
}
