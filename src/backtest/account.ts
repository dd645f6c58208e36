import type { FundingRate, PaperBrokerSettings } from '../broker/paper/index.js';
import type { DataPrecision } from '../market/candles/index.js';
import type { BacktestConfigDoc, MarketRulesDoc, RiskProfileDoc } from '../policy/rule-set.js';

/**
 * The paper venue described by rules/backtest.yaml, with the profile's leverage for margin and, when
 * given, funding-rate histories per symbol (from `backtest --funding`).
 */
export function paperAccount(config: BacktestConfigDoc, profile: RiskProfileDoc, funding?: Readonly<Record<string, readonly FundingRate[]>>): Partial<PaperBrokerSettings> {
  return {
    initial_balance: config.initial_balance,
    taker_fee_rate: config.taker_fee_rate,
    slippage_pct: config.slippage_pct,
    ...(config.spread_pct?.default === undefined ? {} : { spread_pct: config.spread_pct.default }),
    ...(config.spread_pct?.symbols === undefined ? {} : { symbol_spread_pct: config.spread_pct.symbols }),
    ...(config.funding === undefined && funding === undefined
      ? {}
      : { funding: { ...(config.funding?.rate_per_8h === undefined ? {} : { rate_per_8h: config.funding.rate_per_8h }), ...(config.funding?.symbols === undefined ? {} : { symbol_rates: config.funding.symbols }), ...(funding === undefined ? {} : { series: funding }) } }),
    leverage: profile.sizing.leverage,
    market_rules: config.market_rules.default,
    ...(config.market_rules.symbols === undefined ? {} : { symbol_rules: config.market_rules.symbols }),
  };
}

/**
 * The config with market rules inferred from CSV data filled in per symbol: a field the YAML sets for
 * the symbol wins, then what the data's precision implies (tick; step and min_quantity from volumes),
 * then the default. Synthetic data has no recorded precision and is not passed here.
 */
export function withInferredRules(config: BacktestConfigDoc, inferred: ReadonlyMap<string, DataPrecision>): BacktestConfigDoc {
  if (inferred.size === 0) return config;
  const symbols: Record<string, MarketRulesDoc> = { ...config.market_rules.symbols };
  for (const [symbol, precision] of inferred) {
    const fromData: MarketRulesDoc = precision.step_size === undefined ? { tick_size: precision.tick_size } : { tick_size: precision.tick_size, step_size: precision.step_size, min_quantity: precision.step_size };
    symbols[symbol] = { ...fromData, ...config.market_rules.symbols?.[symbol] };
  }
  return { ...config, market_rules: { ...config.market_rules, symbols } };
}
