import { describe, expect, it } from 'vitest';
import { decimalsOf, symbolPrecisions } from '../../src/backtest/precision.js';
import type { Candle } from '../../src/market/candle.js';
import type { BacktestConfigDoc } from '../../src/policy/rule-set.js';

const candle = (symbol: string, close: number): Candle => ({ symbol, openTime: 0, closeTime: 1, open: close, high: close, low: close, close, volume: 1 });
const config = {
  market_rules: { default: { step_size: 0.000001, tick_size: 0.000001, min_quantity: 0.000001, min_notional: 5 }, symbols: { BTCUSDT: { step_size: 0.001, tick_size: 0.1 } } },
} as unknown as BacktestConfigDoc;

describe('the precision prices and quantities are shown with', () => {
  it('counts decimals in the shortest form, exponents included', () => {
    expect([0.1, 42000, 41975.04, 0.0001035, 1.5e-7, 1e-12, 100.5].map(decimalsOf)).toEqual([1, 0, 2, 7, 8, 12, 1]);
  });

  it('is the tick size where the config names the symbol, never more decimals than the data has', () => {
    const precision = symbolPrecisions([candle('BTCUSDT', 41975.25), candle('BTCUSDT', 42001.5), candle('ETHUSDT', 2298.51), candle('PEPEUSDT', 0.0001035)], config);
    expect(precision.get('BTCUSDT')).toEqual({ price: 1, quantity: 3 });
    expect(precision.get('ETHUSDT')).toEqual({ price: 2, quantity: 6 });
    expect(precision.get('PEPEUSDT')).toEqual({ price: 6, quantity: 6 });
  });
});
