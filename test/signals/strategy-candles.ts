import type { Candle } from '../../src/market/candle.js';
import type { Signal } from '../../src/signals/index.js';
import type { SignalSource } from '../../src/signals/index.js';

const H = 3_600_000;
export const T0 = Date.parse('2024-01-01T00:00:00Z');

/** Hourly candles of one symbol from [high, low, close] rows, each times the price scale. */
export function bars(symbol: string, scale: number, rows: readonly (readonly [number, number, number])[]): Candle[] {
  return rows.map(([high, low, close], i) => ({
    symbol, openTime: T0 + i * H, closeTime: T0 + (i + 1) * H, open: close * scale, high: high * scale, low: low * scale, close: close * scale, volume: 1,
  }));
}

/** Closes only (high = low = close). */
export const closes = (symbol: string, scale: number, values: readonly number[]) => bars(symbol, scale, values.map((c) => [c, c, c] as const));

/** Every signal of the source over the candles, each with the index of the bar (1-based) it came at. */
export function run(source: SignalSource, candles: readonly Candle[]): (Signal & { bar: number })[] {
  return candles.flatMap((c, i) => source.signalsAt(c.closeTime, [c]).map((s) => ({ ...s, bar: i + 1 })));
}

/** The price scales every strategy is tested at: a meme coin's and bitcoin's. */
export const SCALES = [0.00001, 50_000];
