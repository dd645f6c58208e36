import type { MarketRules } from '../model.js';

export type RulesWithoutSymbol = Omit<MarketRules, 'symbol'>;

/**
 * How the paper venue simulates execution. Funding payments are not modelled (ignored): over the hours or
 * days a position is held they are small next to fees and slippage, and modelling them honestly would
 * need the exchange's funding-rate history, which a replay of candles does not have.
 */
export interface PaperBrokerSettings {
  /** Starting cash, in the quote currency (USDT). */
  readonly initial_balance: number;
  /** Fee per fill as a fraction of its notional (taker: every simulated order takes liquidity). */
  readonly taker_fee_rate: number;
  /** Adverse price move on market orders and triggered stops, as a fraction of price. */
  readonly slippage_pct: number;
  /** Margin posted per position = notional / leverage; an entry needing more than the free equity is refused. */
  readonly leverage: number;
  /** Exchange rules for every symbol, unless overridden per symbol. */
  readonly market_rules: RulesWithoutSymbol;
  readonly symbol_rules?: Readonly<Record<string, Partial<RulesWithoutSymbol>>>;
}

export const DEFAULT_PAPER_BROKER_SETTINGS: PaperBrokerSettings = Object.freeze({
  initial_balance: 10_000,
  taker_fee_rate: 0.0004,
  slippage_pct: 0.0002,
  leverage: 20,
  market_rules: Object.freeze({ step_size: 0.000001, tick_size: 0.000001, min_quantity: 0.000001, min_notional: 5 }),
});

const KNOWN = new Set(['initial_balance', 'taker_fee_rate', 'slippage_pct', 'leverage', 'market_rules', 'symbol_rules']);
const RULE_FIELDS = ['step_size', 'tick_size', 'min_quantity', 'min_notional'] as const;

/** Defaults filled in and every value checked; the message names the field, since the values come from YAML. */
export function paperBrokerSettings(input: Partial<PaperBrokerSettings> = {}): PaperBrokerSettings {
  for (const key of Object.keys(input)) if (!KNOWN.has(key)) throw new Error(`paper broker: unknown setting '${key}' (known: ${[...KNOWN].join(', ')})`);
  const s = { ...DEFAULT_PAPER_BROKER_SETTINGS, ...input, market_rules: { ...DEFAULT_PAPER_BROKER_SETTINGS.market_rules, ...input.market_rules } };
  const check = (name: string, value: unknown, ok: (v: number) => boolean, wanted: string) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw new Error(`paper broker: ${name} must be ${wanted}, got ${JSON.stringify(value)}`);
  };
  check('initial_balance', s.initial_balance, (v) => v > 0, 'a positive amount');
  check('taker_fee_rate', s.taker_fee_rate, (v) => v >= 0 && v < 0.01, 'a fraction from 0 to 0.01');
  check('slippage_pct', s.slippage_pct, (v) => v >= 0 && v < 0.05, 'a fraction from 0 to 0.05');
  check('leverage', s.leverage, (v) => v >= 1 && v <= 125, 'from 1 to 125');
  for (const field of RULE_FIELDS) check(`market_rules.${field}`, s.market_rules[field], (v) => (field === 'min_notional' ? v >= 0 : v > 0), field === 'min_notional' ? 'zero or more' : 'positive');
  for (const [symbol, rules] of Object.entries(s.symbol_rules ?? {})) {
    for (const [field, value] of Object.entries(rules)) {
      if (!(RULE_FIELDS as readonly string[]).includes(field)) throw new Error(`paper broker: symbol_rules.${symbol}.${field} is not a market rule (known: ${RULE_FIELDS.join(', ')})`);
      check(`symbol_rules.${symbol}.${field}`, value, (v) => (field === 'min_notional' ? v >= 0 : v > 0), field === 'min_notional' ? 'zero or more' : 'positive');
    }
  }
  return Object.freeze(s);
}
