import type { PaperBrokerSettings } from '../broker/paper/index.js';
import type { BacktestConfigDoc, RiskProfileDoc } from '../policy/rule-set.js';

/** The paper venue described by rules/backtest.yaml, with the profile's leverage for margin. */
export function paperAccount(config: BacktestConfigDoc, profile: RiskProfileDoc): Partial<PaperBrokerSettings> {
  return {
    initial_balance: config.initial_balance,
    taker_fee_rate: config.taker_fee_rate,
    slippage_pct: config.slippage_pct,
    leverage: profile.sizing.leverage,
    market_rules: config.market_rules.default,
    ...(config.market_rules.symbols === undefined ? {} : { symbol_rules: config.market_rules.symbols }),
  };
}
