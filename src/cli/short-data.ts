import type { Candle } from '../market/candle.js';
import { SymbolFeatures, type FeatureSettings } from '../market/features/index.js';
import type { RuleSet } from '../policy/index.js';
import { referenceSymbol } from '../state/index.js';

/**
 * Bars a symbol needs before its indicators are all defined (and it can be classified, evaluated and
 * traded) with these settings. Measured by running the indicators themselves over a made-up series, so
 * the figure follows any change of periods or indicators without a formula to keep in step.
 */
export function indicatorWarmUpBars(settings: Partial<FeatureSettings> = {}): number {
  const features = new SymbolFeatures('WARMUP', settings);
  const hour = 3_600_000;
  let close = 100;
  for (let bar = 1; bar <= 1_000_000; bar++) {
    // A zigzag with a slow drift: every indicator gets ranges, moves and a trend to work on.
    const open = close;
    close = open * (bar % 2 === 0 ? 1.004 : 0.997);
    const candle = { symbol: 'WARMUP', openTime: bar * hour, closeTime: (bar + 1) * hour, open, high: Math.max(open, close) * 1.002, low: Math.min(open, close) * 0.998, close, volume: 1 };
    if (features.update(candle).ready) return bar;
  }
  throw new Error('the indicators never warm up with these settings');
}

/**
 * Plain-words warnings for data too short to trade: a symbol with fewer bars than the indicators need is
 * never classified nor traded, and when that symbol is the market's reference no policy is ever
 * evaluated, so a backtest would print a table of zeros without saying why.
 */
export function shortDataWarnings(candles: readonly Candle[], ruleSet: RuleSet): string[] {
  const counts = new Map<string, number>();
  for (const candle of candles) counts.set(candle.symbol, (counts.get(candle.symbol) ?? 0) + 1);
  return shortDataWarningsOf(counts, ruleSet);
}

/** The same from each symbol's count of candles (data read as a stream). */
export function shortDataWarningsOf(counts: ReadonlyMap<string, number>, ruleSet: RuleSet): string[] {
  const needed = indicatorWarmUpBars(ruleSet.manifest.market?.features);
  const reference = referenceSymbol(ruleSet.manifest.market ?? {}, counts.keys());
  const warnings: string[] = [];
  for (const [symbol, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (count >= needed) continue;
    const consequence = symbol === reference
      ? `it is the market's reference symbol, so no market state is produced and no policy is evaluated: nothing will trade`
      : `it is never classified nor traded`;
    warnings.push(`${symbol}: only ${count} candle(s), the indicators need ${needed} (market.features) before the first evaluation; ${consequence}`);
  }
  return warnings;
}
