import { InputError } from '../config/problem.js';
import { YamlSource } from '../config/yaml-source.js';
import { checkDocument } from '../policy/documents.js';
import type { BacktestConfigDoc } from '../policy/rule-set.js';
import { RuleSetError } from './output.js';

/** A `--config` file: a BacktestConfig document (account, fees, slippage, market rules), schema-checked with file:line. */
export function readBacktestConfig(path: string, shown: string): BacktestConfigDoc {
  const source = YamlSource.read(path, shown);
  if (Array.isArray(source)) throw new RuleSetError(source);
  const checked = checkDocument(source);
  if (Array.isArray(checked)) throw new RuleSetError(checked);
  if (checked.kind !== 'BacktestConfig') throw new InputError(`${shown}: --config needs a BacktestConfig document, got kind ${checked.kind}`);
  return checked.data as BacktestConfigDoc;
}
