/** Candle sources for the market-data stream: CSV files (Binance dumps or plain OHLCV) and a synthetic market. */
export type { Candle, TimeframeMs } from '../candle.js';
export { CandleFileError, formatDataIssue } from './data-issue.js';
export type { DataIssue, IssueAction, IssueKind, IssueLevel, IssueListener } from './data-issue.js';
export { parseTimeframe, formatTimeframe, inferTimeframe } from './timeframe.js';
export { parseTimestamp } from './timestamp.js';
export { parseDataSpec, symbolFromFileName } from './data-spec.js';
export type { DataSpec } from './data-spec.js';
export { parseCandleCsv, readCandleCsv } from './csv-file.js';
export type { CsvParseOptions } from './csv-file.js';
export type { CandleSeries, SeriesOptions } from './series.js';
export { compareCandles, mergeCandles, emitCandles } from './source.js';
export type { CandleSource, EmitOptions } from './source.js';
export { CsvCandleSource } from './csv-source.js';
export type { CsvSourceOptions } from './csv-source.js';
export { SyntheticMarket, DEFAULT_SYNTHETIC_SYMBOLS } from './synthetic-market.js';
export type { SyntheticMarketOptions, SyntheticSymbol } from './synthetic-market.js';
export { DEFAULT_PHASES, MIN_DEFAULT_BARS } from './synthetic-schedule.js';
export type { MarketPhase, MarketRegime, PhaseSpec, VolatilityLevel } from './synthetic-schedule.js';
