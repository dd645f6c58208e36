import { schemaJson, type SchemaName } from '../config/schemas.js';
import type { MarketState, SymbolStats } from '../state/market-state.js';
import type { RiskProfileDoc, Scope } from './rule-set.js';

/**
 * What the rules can see. Runtime values are built here, and so is the static description (shape) of
 * each fact that `lint` uses to reject unknown facts and paths and to find conditions that can never hold.
 */
export type Shape =
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number; readonly integer: boolean; readonly nullable?: boolean }
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'list' }
  | { readonly kind: 'object'; readonly properties: Readonly<Record<string, Shape>>; readonly other?: Shape }
  | { readonly kind: 'any' };

export interface SymbolFact extends SymbolStats {
  readonly name: string;
}

export type Facts = Record<string, unknown>;

/** The facts each scope's rules see, exactly the keys of the objects built below (for the rule compiler). */
export const SCOPE_FACTS: Readonly<Record<Scope, readonly string[]>> = {
  market: ['regime', 'volatility', 'risk', 'symbols', 'profile'],
  symbol: ['regime', 'volatility', 'risk', 'symbols', 'profile', 'symbol'],
  classification: ['features'],
};

export function marketFacts(state: MarketState, profile: RiskProfileDoc): Facts {
  return {
    regime: state.regime,
    volatility: state.volatility,
    risk: state.risk,
    symbols: state.symbols ?? {},
    profile,
  };
}

export function symbolFacts(market: Facts, name: string, stats: SymbolStats): Facts {
  const symbol: SymbolFact = { name, ...stats };
  return { ...market, symbol };
}

let cached: Record<Scope, Readonly<Record<string, Shape>>> | undefined;

/** Fact name → shape, per rule scope. */
export function factShapes(scope: Scope): Readonly<Record<string, Shape>> {
  if (!cached) {
    const state = shapeOf('market-state', schemaJson('market-state'));
    if (state.kind !== 'object') throw new Error('market-state schema must describe an object');
    const profile = shapeOf('risk-profile', schemaJson('risk-profile'));
    const symbols = state.properties.symbols ?? { kind: 'any' };
    const stats = symbols.kind === 'object' && symbols.other ? symbols.other : { kind: 'any' as const };
    const market: Record<string, Shape> = {
      regime: state.properties.regime!,
      volatility: state.properties.volatility!,
      risk: state.properties.risk!,
      symbols,
      profile,
    };
    const symbol: Shape =
      stats.kind === 'object' ? { kind: 'object', properties: { name: { kind: 'string' }, ...stats.properties } } : stats;
    cached = { market, symbol: { ...market, symbol }, classification: { features: shapeOf('market-features', schemaJson('market-features')) } };
  }
  return cached[scope];
}

/**
 * The shape at a path inside a fact, or an explanation of why the path does not exist. Only plain
 * member paths (`$.a.b`) exist: the schema allows nothing richer, so that lint can type every comparison.
 */
export function shapeAtPath(shape: Shape, path: string | undefined): Shape | { readonly error: string } {
  if (path === undefined || path === '$') return shape;
  if (!PLAIN_PATH.test(path)) return { error: `is not a plain member path ($.name.name…)` };
  let current: Shape = shape;
  for (const part of path.slice(2).split('.')) {
    if (current.kind === 'any') return current;
    if (current.kind !== 'object') return { error: `'${part}' cannot be read from a ${current.kind}` };
    const next: Shape | undefined = current.properties[part] ?? current.other;
    if (!next) {
      const known = Object.keys(current.properties);
      return { error: `has no field '${part}' (known: ${known.join(', ')})` };
    }
    current = next;
  }
  return current;
}

/** The only paths rules may use (schemas/common.schema.json, factCondition.path). */
export const PLAIN_PATH = /^\$(\.[A-Za-z0-9_]+)*$/;

/**
 * json-rules-engine's path resolver: plain member paths only, walked directly. A richer JSONPath could
 * select a list or nothing where the rule's author expected a number, and quietly switch a gate off;
 * lint refuses them, and should one get here anyway, evaluation fails into the fallback policy.
 */
export function resolvePath(value: object, path: string): unknown {
  if (!PLAIN_PATH.test(path)) throw new Error(`unsupported path ${JSON.stringify(path)}: only plain member paths such as $.daily_dd_pct are allowed`);
  return valueAtPath(value, path);
}

/** Reads a plain `$.a.b` path from a value (used for profile references and note placeholders). */
export function valueAtPath(value: unknown, path: string | undefined): unknown {
  if (path === undefined || path === '$') return value;
  let current = value;
  for (const part of path.replace(/^\$\.?/, '').split('.')) {
    if (part === '') continue;
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

type JsonSchema = Record<string, unknown>;

function shapeOf(name: SchemaName, schema: JsonSchema): Shape {
  const resolve = (ref: string): JsonSchema => {
    const [id, pointer = ''] = ref.split('#');
    const root = id ? schemaJson(id.replace('urn:quantum-trader:schema:', '') as SchemaName) : schemaJson(name);
    return pointer
      .split('/')
      .filter(Boolean)
      .reduce<JsonSchema>((node, key) => node[key] as JsonSchema, root);
  };
  const convert = (node: JsonSchema): Shape => {
    if (typeof node.$ref === 'string') return convert(resolve(node.$ref));
    if (Array.isArray(node.enum)) return { kind: 'enum', values: node.enum as string[] };
    const type = node.type;
    if (type === 'number' || type === 'integer' || (Array.isArray(type) && type.includes('number'))) {
      return {
        kind: 'number',
        integer: type === 'integer',
        nullable: Array.isArray(type) && type.includes('null'),
        ...(typeof node.minimum === 'number' ? { min: node.minimum } : {}),
        ...(typeof node.maximum === 'number' ? { max: node.maximum } : {}),
      };
    }
    if (type === 'string') return { kind: 'string' };
    if (type === 'boolean') return { kind: 'boolean' };
    if (type === 'array') return { kind: 'list' };
    if (type === 'object') {
      const properties: Record<string, Shape> = {};
      for (const [key, child] of Object.entries((node.properties as Record<string, JsonSchema> | undefined) ?? {})) {
        properties[key] = convert(child);
      }
      const extra = node.additionalProperties;
      return typeof extra === 'object' && extra !== null
        ? { kind: 'object', properties, other: convert(extra as JsonSchema) }
        : { kind: 'object', properties };
    }
    return { kind: 'any' };
  };
  return convert(schema);
}
