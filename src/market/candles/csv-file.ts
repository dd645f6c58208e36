import { readFileSync, statSync } from 'node:fs';
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

/**
 * The file's text, strictly UTF-8. Only regular files are read: a FIFO, socket or device would block the
 * read forever (or never end), so it is refused at once. Bytes that are not UTF-8 are an error naming the
 * line, never silently replaced: a replaced byte in a number cell would otherwise surface as a confusing
 * "not a number" far from its cause.
 */
export function readCandleText(path: string): string {
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new CandleFileError(path, 0, 'is a directory, not a CSV file');
    if (!stat.isFile()) throw new CandleFileError(path, 0, 'is not a regular file (a FIFO, socket or device); give a CSV file');
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof CandleFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? `file not found${/[*?[]/.test(path) ? ' (a shell pattern that matches no file is passed on unchanged)' : ''}` : `cannot read: ${String(err)}`;
    throw new CandleFileError(path, 0, reason);
  }
  return decodeUtf8(bytes, path);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer, path: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      throw new CandleFileError(path, 1, 'the file is UTF-16 (as some spreadsheet exports write); save it as UTF-8 or plain CSV');
    }
    // Newline bytes never occur inside a multi-byte UTF-8 sequence, so lines can be checked one by one.
    let start = 0;
    for (let line = 1; start <= bytes.length; line++) {
      const end = bytes.indexOf(0x0a, start);
      const slice = bytes.subarray(start, end < 0 ? bytes.length : end);
      try {
        UTF8.decode(slice);
      } catch {
        const column = firstInvalidByte(slice);
        const byte = slice[column]?.toString(16).padStart(2, '0').toUpperCase() ?? '??';
        throw new CandleFileError(path, line, `byte 0x${byte} at column ${column + 1} is not UTF-8; save the file as UTF-8 (or plain ASCII) CSV`);
      }
      if (end < 0) break;
      start = end + 1;
    }
    throw new CandleFileError(path, 0, 'the file is not valid UTF-8; save it as UTF-8 CSV');
  }
}

/** Index of the first byte of the first sequence in the line that is not UTF-8. */
function firstInvalidByte(line: Uint8Array): number {
  let i = 0;
  while (i < line.length) {
    const lead = line[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    // The decoder judges the sequence itself (continuation bytes, overlong forms, surrogates).
    if (length === 0 || !isUtf8(line.subarray(i, i + length))) return i;
    i += length;
  }
  return line.length;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    UTF8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
