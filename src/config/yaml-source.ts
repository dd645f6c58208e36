import { readFileSync } from 'node:fs';
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { Problem } from './problem.js';

export type DataPath = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * A parsed YAML (or JSON, which is YAML) file that remembers where every value came from, so a problem
 * found later in the data (schema, semantic check) can be reported at its line and column.
 */
export class YamlSource {
  readonly file: string;
  readonly text: string;
  readonly data: unknown;
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  private constructor(file: string, text: string, doc: Document.Parsed, lines: LineCounter) {
    this.file = file;
    this.text = text;
    this.doc = doc;
    this.lines = lines;
    this.data = doc.toJS({ maxAliasCount: 100 });
  }

  /** Parses text; returns the problems instead of a source when the YAML itself is malformed. */
  static parse(file: string, text: string): YamlSource | Problem[] {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      return doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          rule: '-',
          severity: 'error' as const,
          check: 'yaml',
          message: `invalid YAML: ${firstLine(e.message)}`,
        };
      });
    }
    return new YamlSource(file, text, doc, lines);
  }

  /** Reads `path`; problems and positions name it as `display` (e.g. relative to the working folder). */
  static read(path: string, display = path): YamlSource | Problem[] {
    const file = display;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(err);
      return [{ file, line: 0, column: 0, rule: '-', severity: 'error', check: 'io', message: reason }];
    }
    return YamlSource.parse(file, text);
  }

  /**
   * Position of the value at `path`; with `key`, of the key naming it (better for "unknown field").
   * Falls back to the deepest existing ancestor, then to the top of the file.
   */
  locate(path: DataPath, options: { key?: boolean } = {}): Position {
    for (let depth = path.length; depth >= 0; depth--) {
      const prefix = path.slice(0, depth);
      const offset = this.offsetOf(prefix, options.key === true && depth === path.length);
      if (offset !== undefined) {
        const pos = this.lines.linePos(offset);
        return { line: pos.line, column: pos.col };
      }
    }
    return { line: 1, column: 1 };
  }

  private offsetOf(path: DataPath, wantKey: boolean): number | undefined {
    if (path.length === 0) return this.doc.contents?.range?.[0];
    const parent = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
    const last = path[path.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last));
      if (!pair) return undefined;
      const target = wantKey || !isNode(pair.value) ? pair.key : pair.value;
      return isNode(target) ? target.range?.[0] : undefined;
    }
    if (isSeq(parent) && typeof last === 'number') {
      const item = parent.items[last];
      return isNode(item) ? item.range?.[0] : undefined;
    }
    return undefined;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
