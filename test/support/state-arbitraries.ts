import fc from 'fast-check';
import { REGIMES, VOLATILITIES } from '../../src/policy/index.js';
import type { MarketState } from '../../src/state/index.js';

/** Any market state valid against schemas/market-state.schema.json, with a few symbols. */
export const symbolStatsArb = fc.record({
  win_rate: fc.double({ min: 0, max: 1, noNaN: true }),
  avg_r: fc.double({ min: -3, max: 5, noNaN: true }),
  pnl: fc.double({ min: -1e5, max: 1e5, noNaN: true }),
  trades: fc.nat({ max: 500 }),
  spread_pct: fc.double({ min: 0, max: 0.01, noNaN: true }),
  slippage_pct: fc.double({ min: 0, max: 0.01, noNaN: true }),
});

export const marketStateArb: fc.Arbitrary<MarketState> = fc.record({
  regime: fc.constantFrom(...REGIMES),
  volatility: fc.constantFrom(...VOLATILITIES),
  risk: fc.record({
    daily_dd_pct: fc.double({ min: -0.2, max: 0, noNaN: true }),
    open_positions: fc.nat({ max: 15 }),
    exposure_pct: fc.double({ min: 0, max: 0.4, noNaN: true }),
    losing_streak: fc.nat({ max: 10 }),
  }),
  symbols: fc.dictionary(fc.constantFrom('BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'), symbolStatsArb),
});

const indicator = (min: number, max: number) => fc.option(fc.double({ min, max, noNaN: true }), { nil: null, freq: 8 });

/** The `features` fact of classification rules: indicators in their documented ranges, null while warming up. */
export const featuresArb = fc.record({
  symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT'),
  time: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
  close: fc.double({ min: 0.00001, max: 100_000, noNaN: true }),
  ready: fc.boolean(),
  bars: fc.nat({ max: 5000 }),
  atr: indicator(0, 5000),
  atr_pct: indicator(0, 0.5),
  atr_pct_percentile: indicator(0, 1),
  atr_pct_ratio: indicator(0, 10),
  adx: indicator(0, 100),
  plus_di: indicator(0, 100),
  minus_di: indicator(0, 100),
  ema_fast: indicator(0.00001, 100_000),
  ema_slow: indicator(0.00001, 100_000),
  ema_slope_pct: indicator(-0.1, 0.1),
  choppiness: indicator(0, 100),
  realized_vol: indicator(0, 0.5),
  return_1: indicator(-0.5, 0.5),
});
