import { readFileSync } from 'node:fs';
import { InputError } from '../config/problem.js';
import { splitCsvLine } from './candles/csv-layout.js';
import { parseTimestamp } from './candles/timestamp.js';

/** One published funding rate of a perpetual future. */
export interface FundingRatePoint {
  readonly time: number;
  readonly rate: number;
}

const TIME_COLUMNS = ['calc_time', 'funding_time', 'fundingtime', 'timestamp', 'time'];
const RATE_COLUMNS = ['last_funding_rate', 'funding_rate', 'fundingrate', 'rate'];

/**
 * A funding-rate history from CSV: Binance's monthly fundingRate dumps (calc_time,
 * funding_interval_hours,last_funding_rate) or any file with a time and a rate column (timestamp,rate).
 * Times are epoch milliseconds or ISO 8601. A bad row is an input error naming the file and line.
 */
export function parseFundingCsv(text: string, file: string): FundingRatePoint[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new InputError(`${file}: empty funding-rate file`);
  const header = splitCsvLine(lines[first]!).map((c) => c.toLowerCase());
  const timeAt = header.findIndex((c) => TIME_COLUMNS.includes(c));
  const rateAt = header.findIndex((c) => RATE_COLUMNS.includes(c));
  if (timeAt < 0 || rateAt < 0) {
    throw new InputError(`${file}:${first + 1}: funding-rate header needs a time column (${TIME_COLUMNS.join(', ')}) and a rate column (${RATE_COLUMNS.join(', ')}), got "${lines[first]!.trim()}"`);
  }
  const points: FundingRatePoint[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const cells = splitCsvLine(lines[i]!);
    const time = parseTimestamp(cells[timeAt] ?? '');
    if (typeof time === 'string') throw new InputError(`${file}:${i + 1}: ${time}`);
    const rate = Number(cells[rateAt]);
    if (cells[rateAt] === undefined || cells[rateAt] === '' || !Number.isFinite(rate) || Math.abs(rate) > 0.05) {
      throw new InputError(`${file}:${i + 1}: funding rate "${cells[rateAt] ?? ''}" is not a rate from -0.05 to 0.05`);
    }
    points.push({ time, rate });
  }
  if (points.length === 0) throw new InputError(`${file}: no funding rates after the header`);
  return points.sort((a, b) => a.time - b.time);
}

export function readFundingCsv(path: string, shown = path): FundingRatePoint[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`${shown}: cannot read the funding-rate file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseFundingCsv(text, shown);
}
