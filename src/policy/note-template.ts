import { valueAtPath, type Facts } from './facts.js';

/**
 * Notes may quote the state: `Daily DD limit hit ({{risk.daily_dd_pct | pct}})` renders
 * `Daily DD limit hit (-2.60%)`. A placeholder is a fact name, an optional dotted path, and an optional
 * filter. Unknown values render as `?` (lint reports them before they can reach a running system).
 */
export const NOTE_FILTERS = {
  /** Fraction as a percent with two decimals: -0.026 → -2.60% */
  pct: (value: unknown) => (typeof value === 'number' ? `${(value * 100).toFixed(2)}%` : '?'),
} as const;

export type NoteFilter = keyof typeof NOTE_FILTERS;

export interface Placeholder {
  readonly text: string;
  readonly fact: string;
  /** JSONPath form, e.g. `$.daily_dd_pct`, or undefined for the whole fact. */
  readonly path: string | undefined;
  readonly filter: string | undefined;
}

export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)\s*(?:\|\s*([A-Za-z]+)\s*)?\}\}/g;

export function placeholders(template: string): Placeholder[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => ({
    text: m[0],
    fact: m[1]!,
    path: m[2] ? `$${m[2]}` : undefined,
    filter: m[3],
  }));
}

export function renderNote(template: string, facts: Facts): string {
  if (!template.includes('{{')) return template;
  return template.replace(PLACEHOLDER, (_match, fact: string, dotted: string, filter: string | undefined) => {
    const value = valueAtPath(facts[fact], dotted ? `$${dotted}` : undefined);
    if (filter !== undefined) {
      const format = Object.hasOwn(NOTE_FILTERS, filter) ? NOTE_FILTERS[filter as NoteFilter] : undefined;
      return format ? format(value) : '?';
    }
    return value === undefined || value === null ? '?' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}
