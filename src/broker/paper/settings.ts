import type { MarketRules } from '../model.js';

export type RulesWithoutSymbol = Omit<MarketRules, 'symbol'>;

/** Funding of perpetual futures: paid by longs and received by shorts when the rate is positive. */
export interface FundingSettings {
  /** Rate per 8-hour funding period for every symbol without its own (default 0: no funding). */
  readonly rate_per_8h?: number;
  /** Per-symbol rates per 8 hours. */
  readonly symbol_rates?: Readonly<Record<string, number>>;
  /** Per-symbol funding-rate history (a series of the exchange's rates); wins over the configured rates while it covers the time. */
  readonly series?: Readonly<Record<string, readonly FundingRate[]>>;
}

/** One published funding rate: applies at `time` (epoch ms). */
export interface FundingRate {
  readonly time: number;
  readonly rate: number;
}

/**
 * How the paper venue simulates execution (in YAML: rules/backtest.yaml, wired by src/backtest/account.ts).
 */
export interface PaperBrokerSettings {
  /** Starting cash, in the quote currency (USDT). */
  readonly initial_balance: number;
  /** Fee per fill as a fraction of its notional (taker: every simulated order takes liquidity). */
  readonly taker_fee_rate: number;
  /** Adverse price move on market orders and triggered stops, as a fraction of price. */
  readonly slippage_pct: number;
  /** Full bid-ask spread as a fraction of the mid price (the close): market orders and stops pay half of it. Default 0. */
  readonly spread_pct: number;
  /** Per-symbol spreads, overriding spread_pct. */
  readonly symbol_spread_pct?: Readonly<Record<string, number>>;
  /** Funding payments at 00:00, 08:00 and 16:00 UTC on open positions; absent: none. */
  readonly funding?: FundingSettings;
  /** Margin posted per position = notional / leverage; an entry needing more than the free margin is refused. */
  readonly leverage: number;
  /** Exchange rules for every symbol, unless overridden per symbol. */
  readonly market_rules: RulesWithoutSymbol;
  /** Per-symbol overrides of `market_rules`, keyed by symbol; fields left out come from `market_rules`. */
  readonly symbol_rules?: Readonly<Record<string, Partial<RulesWithoutSymbol>>>;
}

/** The only place with trading numbers: used for whatever the YAML leaves out. */
export const DEFAULT_PAPER_BROKER_SETTINGS: PaperBrokerSettings = Object.freeze({
  initial_balance: 10_000,
  taker_fee_rate: 0.0004,
  slippage_pct: 0.0002,
  spread_pct: 0,
  leverage: 20,
  // Fine increments, so that any price level and size works when the YAML names no real exchange rules.
  market_rules: Object.freeze({ step_size: 0.000001, tick_size: 0.000001, min_quantity: 0.000001, min_notional: 5 }),
});

/** One line per setting, for schema descriptions and `--help` texts. */
export const PAPER_BROKER_SETTING_DESCRIPTIONS: Readonly<Record<keyof PaperBrokerSettings | 'funding', string>> = Object.freeze({
  initial_balance: `Starting cash in USDT (default ${DEFAULT_PAPER_BROKER_SETTINGS.initial_balance}).`,
  taker_fee_rate: `Fee per fill as a fraction of its notional, 0 to 0.01 (default ${DEFAULT_PAPER_BROKER_SETTINGS.taker_fee_rate}).`,
  slippage_pct: `Adverse price move on market orders and triggered stops, a fraction 0 to 0.05; take-profits fill at their trigger (default ${DEFAULT_PAPER_BROKER_SETTINGS.slippage_pct}).`,
  leverage: `Leverage for margin checks, 1 to 125: an entry whose notional / leverage exceeds the free margin is rejected (default ${DEFAULT_PAPER_BROKER_SETTINGS.leverage}).`,
  market_rules: 'Exchange rules of every symbol: step_size, tick_size, min_quantity, min_notional.',
  symbol_rules: 'Per-symbol overrides of market_rules, keyed by symbol.',
  spread_pct: `Full bid-ask spread as a fraction of the mid price, 0 to 0.05: a market order fills half of it (plus slippage) away from the close, and so does a triggered stop (default ${DEFAULT_PAPER_BROKER_SETTINGS.spread_pct}).`,
  symbol_spread_pct: 'Per-symbol spreads, keyed by symbol, overriding spread_pct.',
  funding: 'Funding of perpetual futures at 00:00, 08:00 and 16:00 UTC: rate_per_8h for every symbol, symbol_rates per symbol, or series (a funding-rate history per symbol). A position pays notional x rate (longs pay a positive rate, shorts receive it).',
});

const KNOWN = ['initial_balance', 'taker_fee_rate', 'slippage_pct', 'spread_pct', 'symbol_spread_pct', 'funding', 'leverage', 'market_rules', 'symbol_rules'] as const;
const RULE_FIELDS = ['step_size', 'tick_size', 'min_quantity', 'min_notional'] as const;

/**
 * Defaults filled in and every value checked. The values come from YAML, so each message names the
 * field and says what was expected; anything unknown is refused (a typo must not silently mean "default").
 */
export function paperBrokerSettings(input: Partial<PaperBrokerSettings> = {}): PaperBrokerSettings {
  if (!isRecord(input)) throw new Error(`paper broker: settings must be an object, got ${describe(input)}`);
  for (const key of Object.keys(input)) {
    if (!(KNOWN as readonly string[]).includes(key)) throw new Error(`paper broker: unknown setting '${key}' (known: ${KNOWN.join(', ')})`);
  }
  const defaults = DEFAULT_PAPER_BROKER_SETTINGS;
  const number = (name: string, value: unknown, ok: (v: number) => boolean, wanted: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw new Error(`paper broker: ${name} must be ${wanted}, got ${describe(value)}`);
    return value;
  };
  const rules = (path: string, value: unknown, base: RulesWithoutSymbol): RulesWithoutSymbol => {
    if (!isRecord(value)) throw new Error(`paper broker: ${path} must be an object with ${RULE_FIELDS.join(', ')}, got ${describe(value)}`);
    for (const field of Object.keys(value)) {
      if (!(RULE_FIELDS as readonly string[]).includes(field)) throw new Error(`paper broker: ${path}.${field} is not a market rule (known: ${RULE_FIELDS.join(', ')})`);
    }
    const merged = { ...base, ...value } as Record<(typeof RULE_FIELDS)[number], unknown>;
    return {
      step_size: number(`${path}.step_size`, merged.step_size, (v) => v > 0, 'a positive quantity increment'),
      tick_size: number(`${path}.tick_size`, merged.tick_size, (v) => v > 0, 'a positive price increment'),
      min_quantity: number(`${path}.min_quantity`, merged.min_quantity, (v) => v > 0, 'a positive quantity'),
      min_notional: number(`${path}.min_notional`, merged.min_notional, (v) => v >= 0, 'an amount of zero or more'),
    };
  };

  const market_rules = rules('market_rules', given<unknown>(input.market_rules, {}), defaults.market_rules);
  let symbol_rules: Record<string, Partial<RulesWithoutSymbol>> | undefined;
  if (input.symbol_rules !== undefined) {
    if (!isRecord(input.symbol_rules)) throw new Error(`paper broker: symbol_rules must be an object keyed by symbol, got ${describe(input.symbol_rules)}`);
    symbol_rules = {};
    for (const [symbol, overrides] of Object.entries(input.symbol_rules)) {
      if (symbol.trim() === '') throw new Error('paper broker: symbol_rules has an empty symbol name');
      // Checked merged with the defaults, so an override cannot produce an invalid combination.
      rules(`symbol_rules.${symbol}`, overrides, market_rules);
      symbol_rules[symbol] = Object.freeze({ ...overrides });
    }
  }
  const spreads = (path: string, value: unknown): Record<string, number> => {
    if (!isRecord(value)) throw new Error(`paper broker: ${path} must be an object keyed by symbol, got ${describe(value)}`);
    return Object.fromEntries(Object.entries(value).map(([symbol, v]) => [symbol, number(`${path}.${symbol}`, v, (x) => x >= -0.05 && x <= 0.05 && (path !== 'symbol_spread_pct' || x >= 0), path === 'symbol_spread_pct' ? 'a fraction from 0 to 0.05' : 'a fraction from -0.05 to 0.05')]));
  };
  const symbol_spread_pct = input.symbol_spread_pct === undefined ? undefined : spreads('symbol_spread_pct', input.symbol_spread_pct);
  let funding: FundingSettings | undefined;
  if (input.funding !== undefined) {
    const f = input.funding as unknown;
    if (!isRecord(f)) throw new Error(`paper broker: funding must be an object, got ${describe(f)}`);
    for (const key of Object.keys(f)) if (!['rate_per_8h', 'symbol_rates', 'series'].includes(key)) throw new Error(`paper broker: funding.${key} is not a funding setting (known: rate_per_8h, symbol_rates, series)`);
    const series: Record<string, FundingRate[]> = {};
    if (f.series !== undefined) {
      if (!isRecord(f.series)) throw new Error(`paper broker: funding.series must be an object keyed by symbol, got ${describe(f.series)}`);
      for (const [symbol, list] of Object.entries(f.series)) {
        if (!Array.isArray(list)) throw new Error(`paper broker: funding.series.${symbol} must be a list of { time, rate }`);
        series[symbol] = list.map((r: unknown, i) => {
          const item = isRecord(r) ? r : {};
          return { time: number(`funding.series.${symbol}[${i}].time`, item.time, () => true, 'epoch milliseconds'), rate: number(`funding.series.${symbol}[${i}].rate`, item.rate, (x) => Math.abs(x) <= 0.05, 'a rate from -0.05 to 0.05') };
        }).sort((a, b) => a.time - b.time);
      }
    }
    funding = Object.freeze({
      ...(f.rate_per_8h === undefined ? {} : { rate_per_8h: number('funding.rate_per_8h', f.rate_per_8h, (x) => Math.abs(x) <= 0.05, 'a rate from -0.05 to 0.05') }),
      ...(f.symbol_rates === undefined ? {} : { symbol_rates: Object.freeze(spreads('funding.symbol_rates', f.symbol_rates)) }),
      ...(f.series === undefined ? {} : { series: Object.freeze(series) }),
    });
  }
  return Object.freeze({
    initial_balance: number('initial_balance', given(input.initial_balance, defaults.initial_balance), (v) => v > 0, 'a positive amount of USDT'),
    taker_fee_rate: number('taker_fee_rate', given(input.taker_fee_rate, defaults.taker_fee_rate), (v) => v >= 0 && v <= 0.01, 'a fraction from 0 to 0.01'),
    slippage_pct: number('slippage_pct', given(input.slippage_pct, defaults.slippage_pct), (v) => v >= 0 && v <= 0.05, 'a fraction from 0 to 0.05'),
    spread_pct: number('spread_pct', given(input.spread_pct, defaults.spread_pct), (v) => v >= 0 && v <= 0.05, 'a fraction from 0 to 0.05'),
    ...(symbol_spread_pct === undefined ? {} : { symbol_spread_pct: Object.freeze(symbol_spread_pct) }),
    ...(funding === undefined ? {} : { funding }),
    leverage: number('leverage', given(input.leverage, defaults.leverage), (v) => v >= 1 && v <= 125, 'from 1 to 125'),
    market_rules: Object.freeze(market_rules),
    ...(symbol_rules === undefined ? {} : { symbol_rules: Object.freeze(symbol_rules) }),
  });
}

/** Undefined means "not given"; null (an empty YAML value) is a value, and a wrong one. */
function given<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}
