/**
 * What happened to one row (or between two rows) of market data. Bad data is never dropped or changed
 * silently: every rejection, repair and gap ends up as one of these, so a backtest can say exactly which
 * bars it did not see and why.
 */
export type IssueKind =
  /** Wrong number of cells for the layout. */
  | 'malformed-row'
  /** Timestamp cell that is not an epoch number or ISO 8601 date(-time). */
  | 'bad-timestamp'
  /** Non-numeric, NaN or infinite price or volume cell. */
  | 'bad-number'
  | 'non-positive-price'
  | 'negative-volume'
  | 'high-below-low'
  | 'open-outside-range'
  | 'close-outside-range'
  /** Same open time as an earlier accepted bar; the earlier one is kept. */
  | 'duplicate-time'
  /** Open time earlier than an already accepted bar (rejected), or moved by `sort: true` (repaired). */
  | 'out-of-order'
  /** Open time not on the series' timeframe grid, which would make bars overlap. */
  | 'misaligned'
  /** Missing bars between two accepted bars; `missingBars` says how many. */
  | 'gap'
  /** A bar far outside the series' usual moves that comes back within a few bars (a bad tick); reported or dropped. */
  | 'implausible-move'
  /** The price moves far outside the series' usual moves and stays at the new level; only reported. */
  | 'price-jump';

/** `reported`: nothing was dropped or changed (an unfilled gap); the event is only worth knowing about. */
export type IssueAction = 'rejected' | 'repaired' | 'reported';

/**
 * `info` for things that are normal for some instruments (weekend and holiday gaps), `warning` for
 * everything that means the file itself is wrong or will distort results (long gaps, implausible moves).
 */
export type IssueLevel = 'info' | 'warning';

export interface DataIssue {
  readonly symbol: string;
  readonly file?: string;
  /** 1-based physical line in `file`. */
  readonly line?: number;
  /** Open time (epoch ms) of the bar concerned; for a gap, of the first missing bar. */
  readonly time?: number;
  readonly kind: IssueKind;
  readonly action: IssueAction;
  readonly level: IssueLevel;
  readonly reason: string;
  /** Only for `gap`. */
  readonly missingBars?: number;
}

export type IssueListener = (issue: DataIssue) => void;

/** `data/BTCUSDT.csv:12: BTCUSDT 2024-01-01T11:00:00.000Z rejected duplicate-time: ...` */
export function formatDataIssue(issue: DataIssue): string {
  const where = issue.file === undefined ? '' : issue.line === undefined ? `${issue.file}: ` : `${issue.file}:${issue.line}: `;
  const when = issue.time === undefined ? '' : ` ${new Date(issue.time).toISOString()}`;
  return `${where}${issue.symbol}${when} ${issue.action} ${issue.kind}: ${issue.reason}`;
}

/**
 * A problem with a whole file (unreadable, empty, unknown layout, no usable rows): nothing sensible can be
 * streamed from it, so it is thrown rather than reported. The message starts with `file:line:` so editors
 * and terminals can jump to it; line 0 means the file as a whole.
 */
export class CandleFileError extends Error {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, detail: string) {
    super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
    this.name = 'CandleFileError';
    this.file = file;
    this.line = line;
  }
}
