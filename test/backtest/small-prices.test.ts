import { beforeAll, describe, expect, it } from 'vitest';
import { withInferredRules } from '../../src/backtest/account.js';
import type { Order } from '../../src/broker/model.js';
import { paperAccount } from '../../src/backtest/account.js';
import type { Candle } from '../../src/market/candle.js';
import { inferPrecision } from '../../src/market/candles/index.js';
import { bundledRuleSet } from '../support/rule-sets.js';
import { candlesOf, rig, scriptedSignals } from '../support/trading.js';

const PAIRS = [
  { symbol: 'SATSUSDT', basePrice: 0.000103, beta: 1, idioVol: 0.6, baseVolume: 5e9 },
  { symbol: 'PEPEUSDT', basePrice: 0.00042, beta: 1.2, idioVol: 0.6, baseVolume: 2e9 },
  { symbol: 'SHIBUSDT', basePrice: 0.0021, beta: 0.9, idioVol: 0.6, baseVolume: 8e8 },
];
const SLIPPAGE = 0.0002;
const SPREAD = 0.0004;

/** Candles as an exchange writes them: prices with 8 decimals (tick 1e-8), whole-unit volumes. */
function asWritten(candles: readonly Candle[]): Candle[] {
  const price = (x: number) => Number(x.toFixed(8));
  return candles.map((c) => ({ ...c, open: price(c.open), high: price(c.high), low: price(c.low), close: price(c.close), volume: Math.round(c.volume ?? 0) }));
}

// Issue 11: one global tick of 0.000001 rounds every fill of a 0.000103 pair by up to half a percent, and
// an absolute tolerance on quantity / step refuses the partial take-profits and trails of big quantities.
describe('a backtest on pairs priced 0.0001-0.003 (market rules inferred from the data)', () => {
  let candles: Candle[];
  let orders: Order[];
  let decisions: { action: string; reason: string }[];
  let rules: ReturnType<typeof inferPrecision>;
  beforeAll(async () => {
    candles = asWritten(await candlesOf({ symbols: PAIRS, bars: 900 }));
    rules = inferPrecision(candles);
    const config = withInferredRules({ ...bundledRuleSet().backtest, slippage_pct: SLIPPAGE, spread_pct: { default: SPREAD } }, rules);
    const trading = rig(candles, { broker: paperAccount(config, bundledRuleSet().profiles.get('SAFE')!) });
    const { cycles } = await trading.run(scriptedSignals);
    decisions = cycles.flatMap((c) => c.decisions);
    orders = (trading.broker.toJSON().orders as Order[]).filter((o) => o.status === 'filled');
  }, 60_000);

  it('the global default tick alone would be a 1% step on the 0.000103 pair', () => {
    expect(bundledRuleSet().backtest.market_rules.default.tick_size / 0.000103).toBeGreaterThan(0.009);
  });

  it('infers each pair’s tick from the precision its prices are written with, and its step from the volumes', () => {
    for (const pair of PAIRS) expect(rules.get(pair.symbol)).toEqual({ tick_size: 1e-8, step_size: 1 });
  });

  it('trades, with partial take-profits and trailing stops among the fills', () => {
    expect(orders.filter((o) => o.purpose === 'entry').length).toBeGreaterThan(10);
    expect(orders.some((o) => o.purpose === 'partial-take-profit')).toBe(true);
    expect(decisions.some((d) => d.action === 'opened')).toBe(true);
  });

  it('refuses no protective order: nothing rejected, no failed placement', () => {
    expect(decisions.filter((d) => d.action === 'rejected' || d.action === 'failed')).toEqual([]);
  });

  it('fills differ from the candle prices only by the configured slippage and spread (within half a tick of the slipped price, a tick being under 0.02% of price)', () => {
    const closes = new Map(candles.map((c) => [`${c.symbol}@${c.closeTime}`, c.close]));
    let checked = 0;
    for (const o of orders) {
      const tick = rules.get(o.symbol)!.tick_size;
      const sign = o.side === 'buy' ? 1 : -1;
      let reference: number | undefined;
      if (o.type === 'market') reference = closes.get(`${o.symbol}@${o.created_at}`);
      else if (o.type === 'take-profit-market') reference = o.trigger_price!;
      else if (!String(o.reason).includes('opened beyond')) reference = o.trigger_price!;
      if (reference === undefined) continue;
      const slipped = o.type === 'take-profit-market' ? reference : reference * (1 + sign * (SLIPPAGE + SPREAD / 2));
      expect(Math.abs(o.fill_price! - slipped)).toBeLessThanOrEqual(tick / 2 + 1e-15);
      expect(tick / o.fill_price!).toBeLessThan(2e-4);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });
});
