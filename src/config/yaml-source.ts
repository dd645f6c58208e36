import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { INPUT_LIMITS, type InputLimits } from './input-limits.js';
import type { Problem } from './problem.js';
import { readTextFile, type ReadOptions } from './text-file.js';
import { checkStructure, flowDepthBeyond } from './yaml-structure.js';

export type DataPath = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * A parsed YAML (or JSON, which is YAML) file that remembers where every value came from, so a problem
 * found later in the data (schema, semantic check) can be reported at its line and column.
 *
 * This is the one way user YAML is read: `read` and `parse` never throw for anything in the file, and
 * refuse, as positioned problems, what could hang or exhaust the process (see INPUT_LIMITS): files that
 * are not regular files, symbolic links leaving the allowed folders, invalid UTF-8, nesting too deep,
 * too many aliases, alias bombs, self-referencing anchors and undefined aliases.
 */
export class YamlSource {
  readonly file: string;
  readonly text: string;
  readonly data: unknown;
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  private constructor(file: string, text: string, doc: Document.Parsed, lines: LineCounter, data: unknown) {
    this.file = file;
    this.text = text;
    this.doc = doc;
    this.lines = lines;
    this.data = data;
  }

  /** Parses text; returns the problems instead of a source when the YAML is malformed or over a limit. */
  static parse(file: string, text: string, limits: InputLimits = INPUT_LIMITS): YamlSource | Problem[] {
    const lines = new LineCounter();
    const problem = (offset: number, message: string, check = 'yaml'): Problem => {
      const pos = lines.linePos(offset);
      return { file, line: pos.line, column: pos.col, rule: '-', severity: 'error', check, message };
    };
    if (text.length > limits.maxBytes) return [{ file, line: 0, column: 0, rule: '-', severity: 'error', check: 'io', message: `text too large: over ${limits.maxBytes} characters` }];
    // Brackets nested tens of thousands deep make the parser itself recurse that deep: refuse them first.
    const tooDeep = flowDepthBeyond(text, limits.maxDepth);
    if (tooDeep !== undefined) {
      lines.addNewLine(0);
      for (let i = text.indexOf('\n'); i >= 0 && i < tooDeep; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
      return [problem(tooDeep, `nesting deeper than ${limits.maxDepth} levels`, 'limit')];
    }
    let doc: Document.Parsed;
    try {
      // Duplicate keys are found by checkStructure in linear time; yaml's own check is quadratic in a mapping's size.
      doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    } catch (error) {
      return [problem(0, `invalid YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`)];
    }
    if (doc.errors.length > 0) {
      const problems = doc.errors.map((e) => problem(e.pos[0], `invalid YAML: ${yamlMessage(e.message)}`));
      return dedupe(problems).slice(0, limits.maxProblems);
    }
    const structural = checkStructure(doc, limits);
    if (structural) return [problem(structural.offset, structural.message, structural.check)];
    let data: unknown;
    try {
      // The structure check bounded every expansion, so yaml's own coarser alias counter is not needed.
      data = doc.toJS({ maxAliasCount: -1 });
    } catch (error) {
      return [problem(0, `invalid YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`)];
    }
    return new YamlSource(file, text, doc, lines, data);
  }

  /** Reads `path` through readTextFile (regular files only, links within `within`, size, UTF-8) and parses it. */
  static read(path: string, display: string = path, options: Omit<ReadOptions, 'display'> = {}): YamlSource | Problem[] {
    const read = readTextFile(path, { ...options, display });
    if (Array.isArray(read)) return read;
    return YamlSource.parse(display, read.text, options.limits);
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

function yamlMessage(message: string): string {
  const first = firstLine(message);
  return /Maximum call stack size exceeded/.test(first) ? 'nesting too deep to parse' : first;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
