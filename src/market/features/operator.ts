import { defer, map, type OperatorFunction } from 'rxjs';
import type { Candle } from '../candle.js';
import type { MarketFeatures } from './market-features.js';
import { resolveFeatureSettings, type FeatureSettings } from './settings.js';
import { SymbolFeatures } from './symbol-features.js';

/**
 * Turns a stream of closed candles of any number of symbols (interleaved, each symbol in time order)
 * into their MarketFeatures, one out per candle in, with one calculator per symbol created on its first
 * candle. Settings are validated when the operator is built, so a bad rule set fails before any data
 * flows. Each subscription starts from empty state, so replaying a cold source recomputes from scratch.
 * A candle that fails the checks (see checkCandle) errors the stream.
 */
export function marketFeatures(settings: Partial<FeatureSettings> = {}): OperatorFunction<Candle, MarketFeatures> {
  const resolved = resolveFeatureSettings(settings);
  return (source) =>
    defer(() => {
      const bySymbol = new Map<string, SymbolFeatures>();
      return source.pipe(
        map((candle) => {
          let calculator = bySymbol.get(candle.symbol);
          if (calculator === undefined) {
            calculator = new SymbolFeatures(candle.symbol, resolved);
            bySymbol.set(candle.symbol, calculator);
          }
          return calculator.update(candle);
        }),
      );
    });
}
