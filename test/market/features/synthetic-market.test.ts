import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { SyntheticMarket, type MarketRegime } from '../../../src/market/candles/index.js';
import { CorrelationTracker, SymbolFeatures, type MarketFeatures } from '../../../src/market/features/index.js';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/market-features.schema.json', import.meta.url), 'utf8')) as object;

describe('features of the synthetic market', async () => {
  const market = new SyntheticMarket({ seed: 7 });
  const tracker = new CorrelationTracker();
  const bySymbol = new Map<string, SymbolFeatures>();
  const features = (await lastValueFrom(market.candles().pipe(toArray()))).map((candle) => {
    tracker.update(candle);
    const calculator = bySymbol.get(candle.symbol) ?? new SymbolFeatures(candle.symbol);
    bySymbol.set(candle.symbol, calculator);
    return calculator.update(candle);
  });

  it('match schemas/market-features.schema.json, field for field, at every bar', () => {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const invalid = features.filter((f) => !validate(f));
    expect(validate.errors ?? []).toEqual([]);
    expect(invalid).toEqual([]);
    expect(features.filter((f) => f.ready).length).toBeGreaterThan(features.length * 0.9);
  });

  it('tell the phases of the known story apart on average', () => {
    const btc = features.filter((f) => f.symbol === 'BTCUSDT' && f.ready);
    const mean = (regime: MarketRegime, pick: (f: MarketFeatures) => number) => {
      const inPhase = btc.filter((f) => market.phaseAt(f.time - market.timeframe)?.regime === regime);
      return inPhase.reduce((sum, f) => sum + pick(f), 0) / inPhase.length;
    };
    expect(mean('uptrend', (f) => f.ema_slope_pct as number)).toBeGreaterThan(0);
    expect(mean('downtrend', (f) => f.ema_slope_pct as number)).toBeLessThan(0);
    expect(mean('uptrend', (f) => (f.plus_di as number) - (f.minus_di as number))).toBeGreaterThan(0);
    expect(mean('downtrend', (f) => (f.plus_di as number) - (f.minus_di as number))).toBeLessThan(0);
    expect(mean('whipsaw', (f) => f.choppiness as number)).toBeGreaterThan(mean('uptrend', (f) => f.choppiness as number));
  });

  it('see the common market factor in the correlations', () => {
    expect(tracker.correlation('BTCUSDT', 'ETHUSDT')).toBeGreaterThan(0.5);
    expect(tracker.correlatedWith('BTCUSDT', 0.5).length).toBeGreaterThan(0);
  });
});
