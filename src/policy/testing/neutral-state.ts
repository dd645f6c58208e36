import { schemaJson } from '../../config/schemas.js';

/**
 * The neutral values a test case (and the state-space enumeration of `diff`) starts from. They are the
 * `default`s of schemas/policy-tests.schema.json, where a trader reads them; nothing here knows a value.
 */

type Node = Record<string, unknown>;
type Fields = Record<string, unknown>;

export interface PartialState {
  readonly timestamp?: number | string;
  readonly regime?: string;
  readonly volatility?: string;
  readonly risk?: Readonly<Fields>;
  readonly symbols?: Readonly<Record<string, Readonly<Fields>>>;
}

let cached: { state: Fields; risk: Fields; symbol: Fields; features: Fields } | undefined;

function defaults() {
  if (!cached) {
    const definitions = schemaJson('policy-tests').definitions as Record<string, Node>;
    const state = definitions.state!;
    const stateProps = state.properties as Record<string, Node>;
    cached = {
      state: defaultsOf(state),
      risk: defaultsOf(stateProps.risk!),
      symbol: defaultsOf(definitions.symbolStats!),
      features: defaultsOf(definitions.features!),
    };
  }
  return cached;
}

/** `{field: default}` for every property of a schema object that states a default. */
function defaultsOf(node: Node): Fields {
  const out: Fields = {};
  for (const [key, child] of Object.entries((node.properties as Record<string, Node> | undefined) ?? {})) {
    if ('default' in child) out[key] = structuredClone(child.default);
  }
  return out;
}

/** A symbol's record with every field the layers leave out at its neutral default. */
export function neutralSymbol(...layers: (Readonly<Fields> | undefined)[]): Fields {
  return Object.assign({}, defaults().symbol, ...layers.filter(Boolean));
}

/**
 * A complete market state from partial layers, later layers winning (e.g. the file's defaults, then the
 * case): scalars are replaced, `risk` merged field by field, `symbols` merged symbol by symbol.
 */
export function completeState(...layers: (PartialState | undefined)[]): Fields {
  const present = layers.filter((l): l is PartialState => l !== undefined);
  const { state, risk } = defaults();
  const out: Fields = { ...state };
  for (const layer of present) {
    for (const key of ['timestamp', 'regime', 'volatility'] as const) if (layer[key] !== undefined) out[key] = layer[key];
  }
  out.risk = Object.assign({}, risk, ...present.map((l) => l.risk ?? {}));
  const names = [...new Set(present.flatMap((l) => Object.keys(l.symbols ?? {})))];
  if (names.length > 0) {
    out.symbols = Object.fromEntries(names.map((name) => [name, neutralSymbol(...present.map((l) => l.symbols?.[name]))]));
  }
  return out;
}

/** A complete set of indicators (the fact `features`) from partial layers, later layers winning. */
export function completeFeatures(...layers: (Readonly<Fields> | undefined)[]): Fields {
  return Object.assign({}, defaults().features, ...layers.filter(Boolean));
}
