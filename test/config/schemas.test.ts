import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DIR, schemaJson } from '../../src/config/schemas.js';
import { EXIT_MODES, REGIMES, RISK_STANCES, VOLATILITIES } from '../../src/policy/index.js';

type Node = Record<string, unknown>;

/** Every property of every schema, with the path that leads to it. */
function properties(node: unknown, path: string, out: [string, Node][] = []): [string, Node][] {
  if (Array.isArray(node)) node.forEach((n, i) => properties(n, `${path}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as Node)) {
      if (key === 'properties' && value && typeof value === 'object') {
        for (const [name, schema] of Object.entries(value as Node)) out.push([`${path}.${name}`, schema as Node]);
      }
      properties(value, `${path}.${key}`, out);
    }
  }
  return out;
}

// The schemas are the documentation a trader reads.
describe('schemas', () => {
  const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'));

  it.each(files)('%s describes every field', (file) => {
    const schema = JSON.parse(readFileSync(`${SCHEMA_DIR}/${file}`, 'utf8')) as Node;
    expect(schema.description, 'schema description').toEqual(expect.any(String));
    const undocumented = properties(schema, file)
      .filter(([, s]) => typeof s.description !== 'string' && typeof s.$ref !== 'string')
      // Inside if/then branches, properties only narrow fields documented elsewhere.
      .filter(([path]) => !/\.(if|then|else)\./.test(path))
      .map(([path]) => path);
    expect(undocumented).toEqual([]);
  });

  it('enumerations in TypeScript match the schema ones', () => {
    const common = schemaJson('common').definitions as Record<string, { enum: string[] }>;
    expect(common.regime!.enum).toEqual([...REGIMES]);
    expect(common.volatility!.enum).toEqual([...VOLATILITIES]);
    expect(common.exitMode!.enum).toEqual([...EXIT_MODES]);
    expect(common.riskStance!.enum).toEqual([...RISK_STANCES]);
  });
});
