import type { Observable } from 'rxjs';
import type { Candle, TimeframeMs } from '../candle.js';
import type { DataIssue, IssueListener } from './data-issue.js';
import { readCandleText } from './csv-file.js';
import { parseCsvRows, type CsvRows } from './csv-rows.js';
import { parseDataSpec, type DataSpec } from './data-spec.js';
import { buildSeries, type CandleSeries, type SeriesOptions } from './series.js';
import { emitCandles, mergeCandles, type CandleSource, type EmitOptions } from './source.js';

export interface CsvSourceOptions extends SeriesOptions {
  /** Called once per issue, symbol by symbol, before fromFiles returns. */
  readonly onIssue?: IssueListener;
}

/**
 * Bars from CSV files, several symbols merged into one closeTime-ordered stream. Files are read and
 * validated eagerly (in fromFiles), so a broken file fails at start-up with its file:line rather than in
 * the middle of a backtest, and every DataIssue is known before the first candle is emitted.
 */
export class CsvCandleSource implements CandleSource {
  readonly series: readonly CandleSeries[];
  readonly symbols: readonly string[];
  readonly issues: readonly DataIssue[];
  private readonly ordered: readonly Candle[];

  constructor(series: readonly CandleSeries[]) {
    const symbols = series.map((s) => s.symbol);
    const twice = symbols.find((s, i) => symbols.indexOf(s) !== i);
    if (twice !== undefined) throw new Error(`symbol ${twice} is given by more than one series`);
    this.series = series;
    this.symbols = symbols;
    this.issues = series.flatMap((s) => s.issues);
    this.ordered = mergeCandles(series.map((s) => s.candles));
  }

  /**
   * `specs` are `SYMBOL=path` strings, bare paths (symbol from the file name) or DataSpecs. Several files
   * of the same symbol (e.g. monthly Binance dumps) are joined into one series, ordered by their first
   * bar, and checked across file boundaries for duplicates, order and gaps.
   */
  static fromFiles(specs: readonly (string | DataSpec)[], options: CsvSourceOptions = {}): CsvCandleSource {
    const bySymbol = new Map<string, DataSpec[]>();
    for (const spec of specs.map((s) => (typeof s === 'string' ? parseDataSpec(s) : s))) {
      bySymbol.set(spec.symbol, [...(bySymbol.get(spec.symbol) ?? []), spec]);
    }
    const series = [...bySymbol].map(([symbol, files]) => loadSymbol(symbol, files, options));
    if (options.onIssue !== undefined) series.forEach((s) => s.issues.forEach(options.onIssue!));
    return new CsvCandleSource(series);
  }

  timeframeOf(symbol: string): TimeframeMs | undefined {
    return this.series.find((s) => s.symbol === symbol)?.timeframe;
  }

  candles(options?: EmitOptions): Observable<Candle> {
    return emitCandles(this.ordered, options);
  }
}

function loadSymbol(symbol: string, specs: readonly DataSpec[], options: SeriesOptions): CandleSeries {
  const files = specs
    .map((spec) => ({ spec, parsed: parseCsvRows(readCandleText(spec.path), symbol, spec.path) }))
    .sort((a, b) => firstTime(a.parsed) - firstTime(b.parsed));
  return buildSeries(symbol, files.flatMap((f) => f.parsed.rows), options, {
    files: files.map((f) => f.spec.path),
    issues: files.flatMap((f) => f.parsed.issues),
    timeframeHint: specs.find((s) => s.timeframeHint !== undefined)?.timeframeHint,
  });
}

// Files are joined in time order whatever order they were named in; files without a usable row go last.
function firstTime(rows: CsvRows): number {
  return rows.rows[0]?.openTime ?? Infinity;
}
