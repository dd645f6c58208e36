import { describe, expect, it } from 'vitest';
import { DEFAULT_PAPER_BROKER_SETTINGS, PAPER_BROKER_SETTING_DESCRIPTIONS, PaperBroker, paperBrokerSettings } from '../../../src/broker/paper/index.js';

describe('paper broker settings', () => {
  it('fill what the YAML leaves out from the one default object', () => {
    expect(paperBrokerSettings({})).toEqual(DEFAULT_PAPER_BROKER_SETTINGS);
    expect(paperBrokerSettings({ slippage_pct: 0, market_rules: { tick_size: 0.5 } as never })).toEqual({
      ...DEFAULT_PAPER_BROKER_SETTINGS,
      slippage_pct: 0,
      market_rules: { ...DEFAULT_PAPER_BROKER_SETTINGS.market_rules, tick_size: 0.5 },
    });
  });

  it('take per-symbol overrides over the default market rules', () => {
    const broker = new PaperBroker({ market_rules: { step_size: 0.001, tick_size: 0.1, min_quantity: 0.001, min_notional: 5 }, symbol_rules: { BTCUSDT: { min_notional: 100 } } });
    expect(broker.marketRules('BTCUSDT')).toEqual({ symbol: 'BTCUSDT', step_size: 0.001, tick_size: 0.1, min_quantity: 0.001, min_notional: 100 });
    expect(broker.marketRules('ETHUSDT')).toEqual({ symbol: 'ETHUSDT', step_size: 0.001, tick_size: 0.1, min_quantity: 0.001, min_notional: 5 });
  });

  it.each([
    [{ fees: 1 }, "unknown setting 'fees' (known: initial_balance, taker_fee_rate, slippage_pct, spread_pct, symbol_spread_pct, funding, leverage, market_rules, symbol_rules)"],
    [{ funding: { rate: 0.0001 } }, 'funding.rate is not a funding setting (known: rate_per_8h, symbol_rates, series)'],
    [{ funding: { rate_per_8h: 0.5 } }, 'funding.rate_per_8h must be a rate from -0.05 to 0.05, got 0.5'],
    [{ spread_pct: -0.001 }, 'spread_pct must be a fraction from 0 to 0.05, got -0.001'],
    [{ symbol_spread_pct: { BTCUSDT: 0.2 } }, 'symbol_spread_pct.BTCUSDT must be a fraction from 0 to 0.05, got 0.2'],
    [{ initial_balance: 0 }, 'initial_balance must be a positive amount of USDT, got 0'],
    [{ initial_balance: null }, 'initial_balance must be a positive amount of USDT, got null'],
    [{ initial_balance: '10000' }, 'initial_balance must be a positive amount of USDT, got "10000"'],
    [{ taker_fee_rate: 0.04 }, 'taker_fee_rate must be a fraction from 0 to 0.01, got 0.04'],
    [{ slippage_pct: -1 }, 'slippage_pct must be a fraction from 0 to 0.05, got -1'],
    [{ slippage_pct: Number.NaN }, 'slippage_pct must be a fraction from 0 to 0.05, got NaN'],
    [{ leverage: 0.5 }, 'leverage must be from 1 to 125, got 0.5'],
    [{ market_rules: 5 }, 'market_rules must be an object with step_size, tick_size, min_quantity, min_notional, got 5'],
    [{ market_rules: { tick: 1 } }, 'market_rules.tick is not a market rule (known: step_size, tick_size, min_quantity, min_notional)'],
    [{ market_rules: { step_size: 0 } }, 'market_rules.step_size must be a positive quantity increment, got 0'],
    [{ market_rules: { min_notional: -5 } }, 'market_rules.min_notional must be an amount of zero or more, got -5'],
    [{ symbol_rules: [] }, 'symbol_rules must be an object keyed by symbol, got []'],
    [{ symbol_rules: { BTCUSDT: { tick: 1 } } }, 'symbol_rules.BTCUSDT.tick is not a market rule'],
    [{ symbol_rules: { BTCUSDT: { tick_size: -0.1 } } }, 'symbol_rules.BTCUSDT.tick_size must be a positive price increment, got -0.1'],
  ])('refuse %j, naming the field', (input, message) => {
    expect(() => paperBrokerSettings(input as never)).toThrow(`paper broker: ${message}`);
    expect(() => new PaperBroker(input as never)).toThrow(message);
  });

  it('describe funding as paid at 00:00, 08:00 and 16:00 UTC', () => {
    expect(PAPER_BROKER_SETTING_DESCRIPTIONS.funding).toMatch(/00:00, 08:00 and 16:00 UTC/);
  });
});
