import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, type Problem } from '../config/problem.js';
import { schemaJson, validateAgainst } from '../config/schemas.js';
import { YamlSource } from '../config/yaml-source.js';
import { STRATEGY_SCHEMAS, type StrategyDoc } from './strategy-docs.js';

/** The strategies/ folder shipped with quantum-trader. */
export const BUNDLED_STRATEGIES = fileURLToPath(new URL('../../strategies', import.meta.url));

/** `./strategies` when the working folder has one, else the bundled one. */
export function defaultStrategiesDir(cwd = process.cwd()): string {
  const local = join(cwd, 'strategies');
  return existsSync(local) ? local : BUNDLED_STRATEGIES;
}

/**
 * Every *.yaml of a strategies folder, schema-checked and with the schema's defaults filled in. A folder
 * the user names is input: its problems (file:line, unknown kinds, duplicate names) throw an InputError.
 */
export function readStrategies(dir: string, cwd = process.cwd()): StrategyDoc[] {
  const shownDir = relative(cwd, dir) || '.';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--strategies: ${shownDir} is not a folder`);
  const problems: Problem[] = [];
  const docs: StrategyDoc[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const shown = relative(cwd, join(dir, file)) || file;
    const source = YamlSource.read(join(dir, file), shown);
    if (Array.isArray(source)) {
      problems.push(...source);
      continue;
    }
    const kind = (source.data as { kind?: unknown } | null)?.kind;
    const schema = STRATEGY_SCHEMAS[kind as keyof typeof STRATEGY_SCHEMAS];
    if (schema === undefined) {
      const at = source.locate(['kind']);
      problems.push(problem(shown, at.line, at.column, `kind must be one of ${Object.keys(STRATEGY_SCHEMAS).join(', ')} (got ${JSON.stringify(kind)})`));
      continue;
    }
    const violations = validateAgainst(schema, source.data);
    for (const v of violations) {
      const at = source.locate(v.path, { key: v.atKey });
      problems.push(problem(shown, at.line, at.column, v.message));
    }
    if (violations.length > 0) continue;
    const doc = withDefaults(schemaJson(schema), source.data) as StrategyDoc;
    if (doc.kind === 'MeanReversionStrategy' && !(doc.exit_deviations < doc.bands.deviations)) {
      const at = source.locate(['exit_deviations']);
      problems.push(problem(shown, at.line, at.column, `exit_deviations ${doc.exit_deviations} must be below bands.deviations ${doc.bands.deviations}`));
      continue;
    }
    const twin = docs.find((d) => d.name === doc.name);
    if (twin !== undefined) {
      const at = source.locate(['name']);
      problems.push(problem(shown, at.line, at.column, `name '${doc.name}' is already used by another file of ${shownDir}`));
      continue;
    }
    docs.push(doc);
  }
  if (problems.length > 0) throw new InputError(problems);
  return docs;
}

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

function problem(file: string, line: number, column: number, message: string): Problem {
  return { file, line, column, rule: '-', severity: 'error', check: 'schema', message };
}
