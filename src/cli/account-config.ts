import { InputError } from '../config/problem.js';
import { YamlSource } from '../config/yaml-source.js';
import { checkDocument } from '../policy/documents.js';
import type { BacktestConfigDoc } from '../policy/rule-set.js';

/**
 * A `--config` file: a BacktestConfig document (account, fees, slippage, market rules), schema-checked with
 * file:line. It is the user's input, not the rule set: its problems are bad input (exit 2), one line each.
 */
export function readBacktestConfig(path: string, shown: string): BacktestConfigDoc {
  const source = YamlSource.read(path, shown);
  if (Array.isArray(source)) throw new InputError(source);
  const checked = checkDocument(source);
  if (Array.isArray(checked)) throw new InputError(checked);
  if (checked.kind !== 'BacktestConfig') throw new InputError(`${shown}: --config needs a BacktestConfig document, got kind ${checked.kind}`);
  return checked.data as BacktestConfigDoc;
}
