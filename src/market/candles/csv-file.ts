import { readFileSync } from 'node:fs';
import { CandleFileError, type IssueListener } from './data-issue.js';
import { parseCsvRows } from './csv-rows.js';
import { symbolFromFileName } from './data-spec.js';
import { buildSeries, type CandleSeries, type SeriesOptions } from './series.js';
import type { TimeframeMs } from '../candle.js';

export interface CsvParseOptions extends SeriesOptions {
  readonly symbol: string;
  /** Name used in issues and errors; `<csv>` when absent. */
  readonly file?: string;
  /** Called once per issue, in file/line order, before the function returns. */
  readonly onIssue?: IssueListener;
  readonly timeframeHint?: TimeframeMs;
}

/** One CSV text (either layout, auto-detected) → validated bars of one symbol. */
export function parseCandleCsv(text: string, options: CsvParseOptions): CandleSeries {
  const file = options.file ?? '<csv>';
  const parsed = parseCsvRows(text, options.symbol, file);
  const series = buildSeries(options.symbol, parsed.rows, options, {
    files: [file],
    issues: parsed.issues,
    timeframeHint: options.timeframeHint,
  });
  if (options.onIssue !== undefined) series.issues.forEach(options.onIssue);
  return series;
}

/** Reads and parses one file; the symbol defaults to the one in the file name. */
export function readCandleCsv(path: string, options: Partial<CsvParseOptions> = {}): CandleSeries {
  const named = symbolFromFileNameUnlessGiven(path, options.symbol);
  return parseCandleCsv(readCandleText(path), {
    ...options,
    symbol: named.symbol,
    timeframeHint: options.timeframeHint ?? named.timeframeHint,
    file: options.file ?? path,
  });
}

function symbolFromFileNameUnlessGiven(path: string, symbol: string | undefined): { symbol: string; timeframeHint?: TimeframeMs } {
  // A given symbol must not make an odd file name (which would throw) fatal; the hint is still wanted.
  if (symbol === undefined) return symbolFromFileName(path);
  try {
    return { symbol, timeframeHint: symbolFromFileName(path).timeframeHint };
  } catch {
    return { symbol };
  }
}

export function readCandleText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot read: ${String(err)}`;
    throw new CandleFileError(path, 0, reason);
  }
}
