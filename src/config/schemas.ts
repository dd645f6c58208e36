import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { DataPath } from './yaml-source.js';

/** The schemas/ folder shipped with the project: the documentation traders read, compiled in strict mode. */
export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export type SchemaName =
  | 'common'
  | 'market-state'
  | 'trading-policy'
  | 'policy-rules'
  | 'risk-profile'
  | 'exit-modes'
  | 'rule-set'
  | 'classification-rules'
  | 'market-features'
  | 'active-profile'
  | 'orchestrator-config'
  | 'reference-strategy'
  | 'backtest-config'
  | 'execution-config'
  | 'policy-tests'
  | 'breakout-strategy'
  | 'mean-reversion-strategy'
  | 'random-entries';

export const schemaId = (name: SchemaName): string => `urn:quantum-trader:schema:${name}`;

/** A schema violation, translated into a sentence a trader understands, with where it is. */
export interface SchemaViolation {
  readonly path: DataPath;
  /** True when the position of the offending key (not its value) should be reported. */
  readonly atKey: boolean;
  readonly message: string;
}

let shared: Ajv | undefined;

function ajv(): Ajv {
  if (!shared) {
    shared = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true, verbose: true });
    for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort()) {
      shared.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object);
    }
  }
  return shared;
}

export function schemaValidator(name: SchemaName): ValidateFunction {
  const validate = ajv().getSchema(schemaId(name));
  if (!validate) throw new Error(`schema ${name} is missing from ${SCHEMA_DIR}`);
  return validate;
}

/** The raw JSON of a schema, for checks that read its enumerations and properties. */
export function schemaJson(name: SchemaName): Record<string, unknown> {
  return schemaValidator(name).schema as Record<string, unknown>;
}

/** Validates data against a schema and returns readable violations (empty when valid). */
export function validateAgainst(name: SchemaName, data: unknown): SchemaViolation[] {
  const validate = schemaValidator(name);
  if (validate(data)) return [];
  return describeErrors(validate.errors ?? [], data);
}

/** Validates data against one definition, e.g. `('trading-policy', 'max_risk_pct')`. */
export function validateAgainstDefinition(name: SchemaName, definition: string, data: unknown): SchemaViolation[] {
  const validate = ajv().getSchema(`${schemaId(name)}#/definitions/${definition}`);
  if (!validate) throw new Error(`schema ${name} has no definition ${definition}`);
  if (validate(data)) return [];
  return describeErrors(validate.errors ?? [], data);
}

/** Turns ajv's errors into one sentence each, dropping the noise of if/then wrappers. */
export function describeErrors(errors: readonly ErrorObject[], data: unknown): SchemaViolation[] {
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
    const violation = describe(error, data);
    const key = `${violation.path.join('/')}|${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(violation);
  }
  return out;
}

function describe(error: ErrorObject, data: unknown): SchemaViolation {
  const path = pointerToPath(error.instancePath);
  const field = fieldName(path);
  const value = valueAt(data, path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path, atKey: false, message: `missing required field '${String(params.missingProperty)}'${field ? ` in ${field}` : ''}` };
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const hint = closest(extra, known);
      const suffix = hint ? ` (did you mean '${hint}'?)` : known.length > 0 ? ` (known: ${known.join(', ')})` : '';
      return { path: [...path, extra], atKey: true, message: `unknown field '${extra}'${field ? ` in ${field}` : ''}${suffix}` };
    }
    case 'enum':
      return {
        path,
        atKey: false,
        message: `${field || 'value'} must be one of ${(params.allowedValues as unknown[]).join(', ')} (got ${show(value)})`,
      };
    case 'const':
      return { path, atKey: false, message: `${field || 'value'} must be ${show(params.allowedValue)} (got ${show(value)})` };
    case 'type':
      return { path, atKey: false, message: `${field || 'value'} must be ${article(String(params.type))} (got ${show(value)})` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, atKey: false, message: `${field || 'value'} ${show(value)} is outside its range: it ${error.message}` };
    case 'pattern': {
      const described = (error.parentSchema as { description?: string } | undefined)?.description;
      const expected = described ? described.split(/(?<=\.)\s/)[0]! : `a value matching ${String(params.pattern)}`;
      return { path, atKey: false, message: `${field || 'value'} ${show(value)} is not valid: expected ${lowerFirst(expected)}` };
    }
    default:
      return { path, atKey: false, message: `${field || 'document'} ${error.message ?? 'is invalid'}${value !== undefined && typeof value !== 'object' ? ` (got ${show(value)})` : ''}` };
  }
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** `rules[2].event.params.min_confidence` */
export function fieldName(path: DataPath): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function valueAt(data: unknown, path: DataPath): unknown {
  let current: unknown = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function article(type: string): string {
  const name = type === 'array' ? 'list' : type === 'object' ? 'mapping' : type;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** The known word closest to a typo, if it is close enough to be a plausible meaning. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
