/**
 * Recognises which of the two supported CSV layouts a file uses from its first non-blank line, and where
 * each field lives.
 */

export type CsvLayoutName = 'binance' | 'plain';

export interface CsvLayout {
  readonly name: CsvLayoutName;
  /** Whether the first non-blank line is a header (and so not data). */
  readonly hasHeader: boolean;
  /** Exact number of cells a data row must have; undefined for plain files, which may carry extra columns. */
  readonly cellCount?: number;
  /** Minimum number of cells a data row must have to contain every used column. */
  readonly minCells: number;
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Undefined when the file has no volume column. */
  readonly volume?: number;
  /** Best bid and ask at the close; plain files only, both or neither. */
  readonly bid?: number;
  readonly ask?: number;
  /** Whether timestamps may be ISO 8601 text (plain layout) or must be epoch numbers (Binance). */
  readonly isoTimes: boolean;
}

export const BINANCE_HEADER = [
  'open_time', 'open', 'high', 'low', 'close', 'volume',
  'close_time', 'quote_volume', 'count', 'taker_buy_volume', 'taker_buy_quote_volume', 'ignore',
] as const;

const BINANCE: Omit<CsvLayout, 'hasHeader'> = {
  name: 'binance',
  cellCount: 12,
  minCells: 12,
  time: 0,
  open: 1,
  high: 2,
  low: 3,
  close: 4,
  volume: 5,
  isoTimes: false,
};

// Accepted spellings of the plain layout's time column; `timestamp` is the documented one.
const TIME_NAMES = new Set(['timestamp', 'time', 'date', 'datetime']);

/** Splits one CSV line. Quotes around a cell are dropped; the data here never needs quoted commas. */
export function splitCsvLine(line: string): string[] {
  return line.split(',').map((cell) => {
    const trimmed = cell.trim();
    return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
  });
}

/** The layout, or a message explaining why the line is neither a known header nor a Binance row. */
export function detectLayout(firstLine: string): CsvLayout | string {
  const cells = splitCsvLine(firstLine);
  const names = cells.map((c) => c.toLowerCase());
  if (names.length === BINANCE_HEADER.length && names.every((n, i) => n === BINANCE_HEADER[i])) {
    return { ...BINANCE, hasHeader: true };
  }
  // Headerless Binance dumps are recognised by shape: twelve cells starting with an epoch number.
  if (cells.length === BINANCE_HEADER.length && /^\d{9,17}$/.test(cells[0] ?? '')) {
    return { ...BINANCE, hasHeader: false };
  }
  return detectPlainHeader(names, firstLine);
}

function detectPlainHeader(names: readonly string[], rawLine: string): CsvLayout | string {
  const unrecognised =
    `unrecognised CSV header "${clip(rawLine.trim())}" ` +
    '(expected timestamp,open,high,low,close[,volume][,bid,ask] or a Binance kline row)';
  const seen = new Map<string, number>();
  for (const [i, name] of names.entries()) {
    const key = TIME_NAMES.has(name) ? 'timestamp' : name;
    if (!['timestamp', 'open', 'high', 'low', 'close', 'volume', 'bid', 'ask'].includes(key)) continue;
    if (seen.has(key)) return `CSV header "${clip(rawLine.trim())}" has more than one ${key} column`;
    seen.set(key, i);
  }
  const time = seen.get('timestamp');
  const open = seen.get('open');
  const high = seen.get('high');
  const low = seen.get('low');
  const close = seen.get('close');
  if (time === undefined || open === undefined || high === undefined || low === undefined || close === undefined) {
    return unrecognised;
  }
  const volume = seen.get('volume');
  const bid = seen.get('bid');
  const ask = seen.get('ask');
  if ((bid === undefined) !== (ask === undefined)) return `CSV header "${clip(rawLine.trim())}" has a ${bid === undefined ? 'ask' : 'bid'} column without a ${bid === undefined ? 'bid' : 'ask'} column`;
  return {
    name: 'plain',
    hasHeader: true,
    minCells: Math.max(...seen.values()) + 1,
    time,
    open,
    high,
    low,
    close,
    ...(volume === undefined ? {} : { volume }),
    ...(bid === undefined || ask === undefined ? {} : { bid, ask }),
    isoTimes: true,
  };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
