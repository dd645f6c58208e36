/** One closed OHLCV bar of one symbol. Times are epoch milliseconds, UTC. */
export interface Candle {
  readonly symbol: string;
  /** Open time of the bar. */
  readonly openTime: number;
  /** Close time of the bar (openTime + timeframe). The bar is known only from this instant on. */
  readonly closeTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Traded volume in base units; null when the source has no volume column or an empty cell. */
  readonly volume: number | null;
  /** Best bid and ask at the close, when the source has them (a CSV with bid and ask columns). */
  readonly bid?: number;
  readonly ask?: number;
}

/** Bar length in milliseconds, e.g. 60_000 for 1m bars. */
export type TimeframeMs = number;
