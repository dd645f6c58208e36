import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The folders of the data flow, in its order: market, state and policy may import the folders before
 * them, never one after. The executor drives the broker through its interface, so execution imports
 * broker, and the broker must not import the executor back.
 */
const FLOW = ['market', 'state', 'policy', 'execution', 'broker'] as const;
const FORBIDDEN: readonly (readonly [string, readonly string[]])[] = [
  ...(['market', 'state', 'policy'] as const).map((folder) => [folder, FLOW.slice(FLOW.indexOf(folder) + 1)] as const),
  ['broker', ['execution']],
];

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

interface Import {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Top folder under src/ of a path, or the file's name for files at the top. */
const topFolder = (path: string) => relative(SRC, path).split(/[\\/]/)[0]!;

/** Every relative import of every source file (static, re-export, side-effect and dynamic), by top folder. */
function imports(): Import[] {
  const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  return sourceFiles(SRC).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(specifier)].map((m) => ({
      file: relative(SRC, file),
      from: topFolder(file),
      to: topFolder(resolve(dirname(file), m[1]!)),
    })),
  );
}

describe('architecture: the data flow market → state → policy → execution → broker', () => {
  const all = imports();

  it('reads the imports it judges (policy builds on state, execution on policy and broker)', () => {
    expect(all.some((i) => i.from === 'policy' && i.to === 'state')).toBe(true);
    expect(all.some((i) => i.from === 'execution' && i.to === 'policy')).toBe(true);
    expect(all.some((i) => i.from === 'state' && i.to === 'market')).toBe(true);
    expect(all.some((i) => i.from === 'execution' && i.to === 'broker')).toBe(true);
  });

  it.each(FORBIDDEN)('%s/ imports none of %j', (folder, later) => {
    const upstream = all.filter((i) => i.from === folder && later.includes(i.to)).map((i) => `${i.file} → ${i.to}/`);
    expect(upstream).toEqual([]);
  });
});
