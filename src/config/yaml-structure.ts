import { isAlias, isCollection, isNode, isPair, isScalar, type Document, type Node } from 'yaml';
import type { InputLimits } from './input-limits.js';

export interface StructureProblem {
  readonly offset: number;
  readonly message: string;
  /** `limit` when the document is over a limit, `yaml` when it cannot be data at all. */
  readonly check: 'limit' | 'yaml';
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
 * Checks a parsed document against the limits before it is turned into data: duplicate keys, nesting
 * depth (aliases expanded), alias count, expanded size (an alias bomb stays small as text and explodes as data), and
 * aliases that cannot be expanded at all: undefined ones and those inside the value they refer to
 * (`value: &a [LOW, *a]`, which would make a circular structure). Each node is measured once.
 */
export function checkStructure(doc: Document.Parsed, limits: InputLimits): StructureProblem | undefined {
  const memo = new Map<Node, Measure>();
  const visiting = new Set<Node>();
  let aliases = 0;
  const stop = (node: Node, message: string, check: StructureProblem['check'] = 'limit'): never => {
    throw new Stop({ offset: node.range?.[0] ?? 0, message, check });
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
      if (!target) return stop(node, `alias *${node.source} has no anchor &${node.source} defined before it`, 'yaml');
      if (visiting.has(target)) stop(node, `alias *${node.source} is inside the value anchored as &${node.source}: a value cannot contain itself`, 'yaml');
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
      const keys = new Set<string>();
      for (const item of node.items) {
        if (isPair(item)) {
          if (isScalar(item.key)) {
            const key = String(item.key.value);
            if (keys.has(key)) stop(item.key, `duplicate key '${key}' (each key may appear once in a mapping)`, 'yaml');
            keys.add(key);
          }
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
    if ((c === '"' || c === "'") && /[\s[{,:]/.test(previous)) quote = c;
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
