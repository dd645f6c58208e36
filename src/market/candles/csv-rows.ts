import { CandleFileError, type DataIssue, type IssueKind } from './data-issue.js';
import { detectLayout, splitCsvLine, type CsvLayout, type CsvLayoutName } from './csv-layout.js';
import { parseEpoch, parseTimestamp } from './timestamp.js';

/** One data row that passed every check that needs only the row itself. */
export interface RawRow {
  readonly file: string;
  readonly line: number;
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number | null;
  readonly bid?: number;
  readonly ask?: number;
}

export interface CsvRows {
  readonly layout: CsvLayoutName;
  readonly rows: readonly RawRow[];
  /** Rows rejected by the single-row checks, in line order. */
  readonly issues: readonly DataIssue[];
}

// Plain decimal or exponent notation only: Number() would also take '', ' ', '0x1F', 'Infinity'.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses CSV text into rows, rejecting (and reporting) every row that is unusable on its own. Throws
 * CandleFileError for problems with the file as a whole. Sequence checks (order, duplicates, gaps) need
 * the timeframe and are done later, over all files of a symbol.
 */
export function parseCsvRows(text: string, symbol: string, file: string): CsvRows {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new CandleFileError(file, 1, 'empty CSV file');
  const layout = detectLayout(lines[first]!);
  if (typeof layout === 'string') throw new CandleFileError(file, first + 1, layout);

  const rows: RawRow[] = [];
  const issues: DataIssue[] = [];
  let dataLines = 0;
  for (let i = layout.hasHeader ? first + 1 : first; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    dataLines++;
    const row = parseRow(splitCsvLine(text), layout, file, i + 1);
    if ('kind' in row) issues.push({ symbol, file, line: i + 1, action: 'rejected', level: 'warning', ...row });
    else rows.push(row);
  }
  if (dataLines === 0) throw new CandleFileError(file, first + 1, 'no data rows after the CSV header');
  return { layout: layout.name, rows, issues };
}

interface RowProblem {
  readonly kind: IssueKind;
  readonly reason: string;
  readonly time?: number;
}

function parseRow(cells: readonly string[], layout: CsvLayout, file: string, line: number): RawRow | RowProblem {
  if (cells.length < layout.minCells || (layout.cellCount !== undefined && cells.length !== layout.cellCount)) {
    const expected = layout.cellCount ?? `at least ${layout.minCells}`;
    return { kind: 'malformed-row', reason: `row has ${cells.length} cells, expected ${expected}` };
  }
  const timeCell = cells[layout.time]!;
  const openTime = layout.isoTimes ? parseTimestamp(timeCell) : parseEpoch(timeCell);
  if (typeof openTime === 'string') return { kind: 'bad-timestamp', reason: openTime };

  const prices: number[] = [];
  for (const field of ['open', 'high', 'low', 'close'] as const) {
    const cell = cells[layout[field]]!;
    const value = NUMBER.test(cell) ? Number(cell) : NaN;
    if (!Number.isFinite(value)) return { kind: 'bad-number', time: openTime, reason: `${field} "${cell}" is not a number` };
    if (value <= 0) return { kind: 'non-positive-price', time: openTime, reason: `${field} ${value} is not positive` };
    prices.push(value);
  }
  const [open, high, low, close] = prices as [number, number, number, number];

  let volume: number | null = null;
  const volumeCell = layout.volume === undefined ? '' : cells[layout.volume]!;
  if (volumeCell !== '') {
    volume = NUMBER.test(volumeCell) ? Number(volumeCell) : NaN;
    if (!Number.isFinite(volume)) return { kind: 'bad-number', time: openTime, reason: `volume "${volumeCell}" is not a number` };
    if (volume < 0) return { kind: 'negative-volume', time: openTime, reason: `volume ${volume} is negative` };
  }

  const range = checkRange(open, high, low, close);
  if (range !== undefined) return { ...range, time: openTime };
  if (layout.bid === undefined || layout.ask === undefined) return { file, line, openTime, open, high, low, close, volume };
  const [bidCell, askCell] = [cells[layout.bid]!, cells[layout.ask]!];
  // An empty quote is no quote (the bar still trades on its close); a present one must make sense.
  if (bidCell === '' || askCell === '') return { file, line, openTime, open, high, low, close, volume };
  const bid = NUMBER.test(bidCell) ? Number(bidCell) : NaN;
  const ask = NUMBER.test(askCell) ? Number(askCell) : NaN;
  if (!(bid > 0) || !Number.isFinite(bid)) return { kind: 'bad-number', time: openTime, reason: `bid "${bidCell}" is not a positive number` };
  if (!(ask > 0) || !Number.isFinite(ask)) return { kind: 'bad-number', time: openTime, reason: `ask "${askCell}" is not a positive number` };
  if (ask < bid) return { kind: 'bad-number', time: openTime, reason: `ask ${ask} is below bid ${bid}` };
  return { file, line, openTime, open, high, low, close, volume, bid, ask };
}

/** Says every inconsistency of the row at once, under the kind of the first one found. */
function checkRange(open: number, high: number, low: number, close: number): RowProblem | undefined {
  if (high < low) return { kind: 'high-below-low', reason: `high ${high} is below low ${low}` };
  const problems: { kind: IssueKind; text: string }[] = [];
  for (const [name, value] of [['open', open], ['close', close]] as const) {
    const kind = name === 'open' ? 'open-outside-range' : 'close-outside-range';
    if (value > high) problems.push({ kind, text: `${name} ${value} is above high ${high}` });
    if (value < low) problems.push({ kind, text: `${name} ${value} is below low ${low}` });
  }
  const firstProblem = problems[0];
  if (firstProblem === undefined) return undefined;
  return { kind: firstProblem.kind, reason: problems.map((p) => p.text).join('; ') };
}
