import { readFileSync } from 'node:fs';
import { InputError } from '../config/problem.js';
import { YamlSource } from '../config/yaml-source.js';
import { parseMarketState, type MarketState } from '../state/market-state.js';

/**
 * Reads a market state from a JSON (or YAML) file, or from standard input with `-`. Problems name the
 * file, the line and the field.
 */
export function readStateInput(path: string, stdin: () => string = () => readFileSync(0, 'utf8')): MarketState {
  const display = path === '-' ? '<stdin>' : path;
  let text: string;
  try {
    text = path === '-' ? stdin() : readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${display}: cannot read state: ${code === 'ENOENT' ? 'file not found' : String(error)}`);
  }
  if (text.trim() === '') throw new InputError(`${display}: the state is empty (expected a JSON object with regime, volatility and risk)`);
  const source = YamlSource.parse(display, text);
  if (Array.isArray(source)) throw new InputError(source);
  return parseMarketState(source.data, { file: display, locate: (path, options) => source.locate(path, options) });
}
