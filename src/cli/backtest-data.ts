import { DataDecimals } from '../backtest/precision.js';
import { SampledSeries, type SeriesPoint } from '../backtest/sampled-series.js';
import type { Logger } from '../logger.js';
import type { Candle } from '../market/candle.js';
import { CsvCandleSource, PrecisionTally, type DataPrecision } from '../market/candles/index.js';
import { mergeSorted } from '../market/candles/source.js';
import type { RuleSet } from '../policy/index.js';
import { candleSourceFrom, checkSymbolsHeld, type CandleSourceFlags } from './candle-source-options.js';

/** The market data of a backtest as flags and a window: plain values, so each worker thread opens the data itself. */
export interface DataPlan {
  readonly flags: CandleSourceFlags;
  /** Candles closing after this time are left out (--to). */
  readonly to?: number;
}

/**
 * The candles of the plan as a stream in close-time order, read as the run goes: the synthetic market
 * generates them, CSV files' series are merged (the files are read and validated here, every issue
 * logged with its file:line). `--symbols` with CSV data keeps those symbols (each must be in the files).
 */
export function candleStream(plan: DataPlan, logger: Logger, ruleSet: RuleSet): Iterable<Candle> {
  const source = candleSourceFrom(plan.flags, logger, ruleSet);
  const wanted = plan.flags.symbols;
  let candles: Iterable<Candle>;
  if (source instanceof CsvCandleSource) {
    if (wanted !== undefined && wanted.length > 0) checkSymbolsHeld(wanted, source.symbols);
    const kept = wanted === undefined || wanted.length === 0 ? source.series : source.series.filter((s) => wanted.includes(s.symbol));
    candles = { [Symbol.iterator]: () => mergeSorted(kept.map((s) => s.candles)) };
  } else if ('stream' in source && typeof source.stream === 'function') {
    candles = (source.stream as () => Iterable<Candle>).call(source);
  } else {
    throw new Error('backtest: this candle source cannot be streamed');
  }
  const to = plan.to;
  if (to === undefined) return candles;
  return {
    *[Symbol.iterator]() {
      // In close-time order: the first candle after --to ends the data.
      for (const candle of candles) {
        if (candle.closeTime > to) return;
        yield candle;
      }
    },
  };
}

/** What the command needs to know of the data besides the runs, from one pass over the stream. */
export interface DataSurvey {
  readonly candles: number;
  /** Close instants (every symbol's candles of one close time are one), what the runs' progress counts. */
  readonly instants: number;
  readonly symbols: readonly string[];
  /** Candles per symbol, for the short-data warnings. */
  readonly counts: ReadonlyMap<string, number>;
  /** The first close at or after --from, and the last close. */
  readonly tradedFrom?: number;
  readonly last?: number;
  /** Market rules the data implies (its own precision), when asked for (CSV data). */
  readonly precision: Map<string, DataPrecision>;
  readonly decimals: DataDecimals;
  /** Each symbol's closes for the report's price chart, in a bounded number of points (SampledSeries). */
  readonly prices: ReadonlyMap<string, readonly SeriesPoint[]>;
  /** Every candle, only when asked for (a RandomEntries signal source needs the whole data up front). */
  readonly held?: readonly Candle[];
}

export function surveyCandles(candles: Iterable<Candle>, options: { readonly from?: number; readonly hold?: boolean; readonly inferPrecision?: boolean } = {}): DataSurvey {
  const counts = new Map<string, number>();
  const prices = new Map<string, SampledSeries<SeriesPoint>>();
  const precision = options.inferPrecision === true ? new PrecisionTally() : undefined;
  const decimals = new DataDecimals();
  const held: Candle[] | undefined = options.hold === true ? [] : undefined;
  let [count, instants] = [0, 0];
  let tradedFrom: number | undefined;
  let last: number | undefined;
  for (const candle of candles) {
    count++;
    if (candle.closeTime !== last) instants++;
    last = candle.closeTime;
    if (tradedFrom === undefined && (options.from === undefined || candle.closeTime >= options.from)) tradedFrom = candle.closeTime;
    counts.set(candle.symbol, (counts.get(candle.symbol) ?? 0) + 1);
    let series = prices.get(candle.symbol);
    if (series === undefined) prices.set(candle.symbol, (series = new SampledSeries<SeriesPoint>((p) => p.value)));
    series.add({ time: candle.closeTime, value: candle.close });
    precision?.add(candle);
    decimals.add(candle);
    held?.push(candle);
  }
  return {
    candles: count, instants, symbols: [...counts.keys()].sort(), counts,
    ...(tradedFrom === undefined ? {} : { tradedFrom }), ...(last === undefined ? {} : { last }),
    precision: precision?.result() ?? new Map(), decimals,
    prices: new Map([...prices].map(([symbol, series]) => [symbol, series.points()])),
    ...(held === undefined ? {} : { held }),
  };
}
