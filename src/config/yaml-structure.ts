import { isAlias, isCollection, isNode, isPair, isScalar, type Document, type Node } from 'yaml';
import type { InputLimits } from './input-limits.js';

export interface StructureProblem {
  readonly offset: number;
  readonly message: string;
}

interface Measure {
  /** Values (scalars and collections) once every alias is expanded. */
  readonly size: number;
  /** Levels of collections; 0 for a scalar. */
  readonly height: number;
}

class Stop {
  constructor(readonly problem: StructureProblem) {}
}

/**
 * Checks a parsed document against the limits before it is turned into data: nesting depth (aliases
 * expanded), alias count, expanded size (an alias bomb stays small as text and explodes as data), and
 * aliases that cannot be expanded at all: undefined ones and those inside the value they refer to
 * (`value: &a [LOW, *a]`, which would make a circular structure). Each node is measured once.
 */
export function checkStructure(doc: Document.Parsed, limits: InputLimits): StructureProblem | undefined {
  const memo = new Map<Node, Measure>();
  const visiting = new Set<Node>();
  let aliases = 0;
  const stop = (node: Node, message: string): never => {
    throw new Stop({ offset: node.range?.[0] ?? 0, message });
  };
  const tooDeep = (node: Node) => stop(node, `nesting deeper than ${limits.maxDepth} levels`);

  /** `at`: where a problem is reported (the alias, when measuring what it refers to). */
  const measure = (node: unknown, depth: number, at?: Node): Measure => {
    if (!isNode(node)) return { size: 1, height: 0 };
    const known = memo.get(node);
    if (known) {
      if (depth - 1 + known.height > limits.maxDepth) tooDeep(at ?? node);
      return known;
    }
    let result: Measure;
    if (isAlias(node)) {
      aliases += 1;
      if (aliases > limits.maxAliases) stop(node, `more than ${limits.maxAliases} aliases in one file`);
      const target = node.resolve(doc);
      if (!target) return stop(node, `alias *${node.source} has no anchor &${node.source} defined before it`);
      if (visiting.has(target)) stop(node, `alias *${node.source} is inside the value anchored as &${node.source}: a value cannot contain itself`);
      result = measure(target, depth, node);
    } else if (isScalar(node)) {
      result = { size: 1, height: 0 };
    } else if (isCollection(node)) {
      if (depth > limits.maxDepth) tooDeep(node);
      visiting.add(node);
      let size = 1;
      let height = 1;
      const add = (child: unknown) => {
        const m = measure(child, depth + 1);
        size += m.size;
        height = Math.max(height, 1 + m.height);
        if (size > limits.maxExpandedValues) stop(isNode(child) ? child : node, `aliases expand to more than ${limits.maxExpandedValues} values (an alias bomb?)`);
      };
      for (const item of node.items) {
        if (isPair(item)) {
          add(item.key);
          add(item.value);
        } else {
          add(item);
        }
      }
      visiting.delete(node);
      result = { size, height };
    } else {
      result = { size: 1, height: 0 };
    }
    memo.set(node, result);
    return result;
  };

  try {
    measure(doc.contents, 1);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return error.problem;
    throw error;
  }
}

/**
 * Offset of the first bracket (`[` or `{`) nested deeper than `max` in flow style, skipping quoted
 * text and comments; undefined when there is none. A cheap pass over the text, run before the parser
 * because the parser recurses once per level.
 */
export function flowDepthBeyond(text: string, max: number): number | undefined {
  let depth = 0;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    const previous = i === 0 ? '\n' : text[i - 1]!;
    const tokenStart = /[\s[{,:]/.test(previous);
    if ((c === '"' || c === "'") && tokenStart) quote = c;
    else if (c === '#' && /\s/.test(previous)) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (c === '[' || c === '{') {
      depth += 1;
      if (depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth -= 1;
  }
  return undefined;
}
