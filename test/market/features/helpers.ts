import type { Candle } from '../../../src/market/candle.js';

export const H = 3_600_000;
export const T0 = Date.parse('2024-01-01T00:00:00Z');

/** Seeded PRNG for the tests (mulberry32): uniform in [0, 1), the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Approximately standard normal draws from a seeded uniform source (Box-Muller). */
export function gaussian(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** 1h candles of `symbol` closing at the given prices; each bar spans `range(i, close)` around its close. */
export function candlesFromCloses(
  symbol: string,
  closes: readonly number[],
  range: (i: number, close: number) => number = (_, close) => close * 0.01,
  start = T0,
): Candle[] {
  return closes.map((close, i) => {
    const half = range(i, close) / 2;
    const open = i === 0 ? close : (closes[i - 1] as number);
    return {
      symbol,
      openTime: start + i * H,
      closeTime: start + (i + 1) * H,
      open: Math.min(close + half, Math.max(close - half, open)),
      high: close + half,
      low: close - half,
      close,
      volume: 1,
    };
  });
}

/** Closes following the given per-bar log returns from `first`. */
export function closesFromReturns(returns: readonly number[], first = 100): number[] {
  const closes = [first];
  for (const r of returns) closes.push((closes.at(-1) as number) * Math.exp(r));
  return closes;
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
