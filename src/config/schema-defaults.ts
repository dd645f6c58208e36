import { schemaJson, type SchemaName } from './schemas.js';

/** The data with every absent property that has a `default` in the schema filled in, recursively. */
export function withDefaults(schema: Record<string, unknown>, data: unknown): unknown {
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (properties === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const [key, property] of Object.entries(properties)) {
    const value = key in out ? out[key] : structuredClone(property.default);
    if (value !== undefined) out[key] = withDefaults(property, value);
  }
  return out;
}

/** `withDefaults` by schema name. */
export function withSchemaDefaults(name: SchemaName, data: unknown): unknown {
  return withDefaults(schemaJson(name), data);
}
