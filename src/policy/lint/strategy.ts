import type { Problem } from '../../config/problem.js';
import type { PolicyDocument } from '../rule-set.js';
import { documentProblem, type Check } from './context.js';

/** Relations between strategy parameters that a schema cannot express. */
export const strategyConsistency: Check = ({ documents }) => {
  const problems: Problem[] = [];
  for (const document of documents.filter((d): d is PolicyDocument<'ReferenceStrategy'> => d.kind === 'ReferenceStrategy')) {
    const s = document.data;
    const fail = (path: (string | number)[], message: string) => problems.push(documentProblem(document, path, 'strategy', message));
    if (s.indicators.ema_slow <= s.indicators.ema_fast) fail(['indicators', 'ema_slow'], `ema_slow (${s.indicators.ema_slow}) must be longer than ema_fast (${s.indicators.ema_fast})`);
    if (s.confidence.min > s.confidence.max) fail(['confidence', 'min'], `confidence.min (${s.confidence.min}) is above confidence.max (${s.confidence.max})`);
    for (const part of ['trend_strength', 'volatility_penalty'] as const) {
      const { from, to } = s.confidence[part];
      if (to <= from) fail(['confidence', part, 'to'], `confidence.${part}.to (${to}) must be above its from (${from})`);
    }
  }
  return problems;
};
