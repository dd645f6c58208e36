import type { Problem } from '../../config/problem.js';
import type { PolicyDocument } from '../rule-set.js';
import { SIGNAL_SOURCE_KINDS, type SignalSourceKind } from '../signal-source-docs.js';
import { documentProblem, whereIn, type Check } from './context.js';

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

/**
 * The signal sources of rules/strategies/*.yaml: what their schemas cannot express, and their names, which
 * choose them (`backtest --strategy`, `study --sources`) beside the reference strategy's.
 */
export const signalSourceConsistency: Check = ({ documents, allDocuments }) => {
  const problems: Problem[] = [];
  const sources = allDocuments.filter(isSignalSource);
  const reference = allDocuments.find((d): d is PolicyDocument<'ReferenceStrategy'> => d.kind === 'ReferenceStrategy');
  const known = [...(reference ? [reference.data.name] : []), ...sources.map((d) => d.data.name)];
  for (const document of documents.filter(isSignalSource)) {
    const s = document.data;
    const fail = (path: (string | number)[], check: string, message: string) => problems.push(documentProblem(document, path, check, message, s.name));
    if (s.kind === 'MeanReversionStrategy' && !(s.exit_deviations < s.bands.deviations)) {
      fail(['exit_deviations'], 'strategy', `exit_deviations (${s.exit_deviations}) must be below bands.deviations (${s.bands.deviations}): the exit lies inside the entry band`);
    }
    if (s.kind !== 'RandomEntries' && s.confidence.min > s.confidence.max) fail(['confidence', 'min'], 'strategy', `confidence.min (${s.confidence.min}) is above confidence.max (${s.confidence.max})`);
    if (reference !== undefined && s.name === reference.data.name) {
      fail(['name'], 'duplicate-name', `name '${s.name}' is the reference strategy's (${whereIn(reference, ['name'])}); a signal source needs a name of its own`);
    }
    const first = sources.find((d) => d.data.name === s.name)!;
    if (first !== document) fail(['name'], 'duplicate-name', `duplicate signal source name '${s.name}' (first defined at ${whereIn(first, ['name'])})`);
    if (s.kind === 'RandomEntries' && s.like !== reference?.data.name) {
      const model = sources.find((d) => d.data.name === s.like);
      if (model === undefined && reference !== undefined) fail(['like'], 'unknown-source', `like '${s.like}' is no signal source (known: ${known.join(', ')})`);
      if (model?.data.kind === 'RandomEntries') fail(['like'], 'unknown-source', `like '${s.like}' is itself random entries (${whereIn(model, ['name'])}); name a strategy`);
    }
  }
  return problems;
};

function isSignalSource(document: PolicyDocument): document is PolicyDocument<SignalSourceKind> {
  return SIGNAL_SOURCE_KINDS.includes(document.kind);
}
