import { readFileSync } from 'node:fs';
import { describeBytes, INPUT_LIMITS } from '../config/input-limits.js';
import { InputError } from '../config/problem.js';
import { decodeUtf8, readTextFile } from '../config/text-file.js';
import { YamlSource } from '../config/yaml-source.js';
import { parseMarketState, type MarketState } from '../state/market-state.js';

/**
 * Reads a market state from a JSON (or YAML) file, or from standard input with `-`, through the same
 * limited reader as the rules (regular files only, size, strict UTF-8, no alias bombs). Problems name the
 * file, the line and the field, and are input errors (exit 2).
 */
export function readStateInput(path: string, stdin: () => Buffer | string = () => readFileSync(0)): MarketState {
  const display = path === '-' ? '<stdin>' : path;
  let text: string;
  if (path === '-') {
    let bytes: Buffer | string;
    try {
      bytes = stdin();
    } catch (error) {
      throw new InputError(`${display}: cannot read state: ${error instanceof Error ? error.message : String(error)}`);
    }
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    if (buffer.length > INPUT_LIMITS.maxBytes) throw new InputError(`${display}: the state is too large: ${describeBytes(buffer.length)} (limit ${describeBytes(INPUT_LIMITS.maxBytes)})`);
    const decoded = decodeUtf8(buffer, display);
    if (Array.isArray(decoded)) throw new InputError(decoded);
    text = decoded.text;
  } else {
    const read = readTextFile(path, { display });
    if (Array.isArray(read)) {
      const whole = read.find((p) => p.line === 0);
      throw whole ? new InputError(`${display}: cannot read state: ${whole.message}`) : new InputError(read);
    }
    text = read.text;
  }
  if (text.trim() === '') throw new InputError(`${display}: the state is empty (expected a JSON object with regime, volatility and risk)`);
  const source = YamlSource.parse(display, text);
  if (Array.isArray(source)) throw new InputError(source);
  return parseMarketState(source.data, { file: display, locate: (path, options) => source.locate(path, options) });
}
