import type { Candle } from '../market/candle.js';
import type { BacktestConfigDoc } from '../policy/rule-set.js';

/** Decimals a number is written with in its shortest form: 0.1 → 1, 42000 → 0, 1.5e-7 → 8. */
export function decimalsOf(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const [mantissa, exponent] = String(Math.abs(value)).split('e');
  const fraction = mantissa!.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

// More decimals than this in a price is arithmetic noise (a fill moved by slippage), not the market's precision.
const MAX_DECIMALS = 12;

export interface SymbolPrecision {
  /** Decimals of the symbol's prices: its tick size where the config gives one, and never more than its candles have. */
  readonly price: number;
  /** Decimals of its quantities: its step size. */
  readonly quantity: number;
}

/**
 * How many decimals each symbol's prices and quantities are shown with. Fills carry slippage and averaging,
 * so a fill price like 41975.04201680672 is shown as the market would quote it: 41975.04.
 */
export function symbolPrecisions(candles: Iterable<Candle>, config: BacktestConfigDoc): Map<string, SymbolPrecision> {
  const tally = new DataDecimals();
  for (const c of candles) tally.add(c);
  return tally.precisions(config);
}

/** The decimals each symbol's candles are written with, folded one candle at a time (symbolPrecisions of a stream). */
export class DataDecimals {
  private readonly decimals = new Map<string, number>();

  add(c: Candle): void {
    const known = this.decimals.get(c.symbol) ?? 0;
    if (known >= MAX_DECIMALS) return;
    this.decimals.set(c.symbol, Math.min(MAX_DECIMALS, Math.max(known, decimalsOf(c.open), decimalsOf(c.high), decimalsOf(c.low), decimalsOf(c.close))));
  }

  precisions(config: BacktestConfigDoc): Map<string, SymbolPrecision> {
    const rules = config.market_rules;
    return new Map([...this.decimals].map(([symbol, decimals]) => {
      const own = rules?.symbols?.[symbol];
      const tick = own?.tick_size ?? rules?.default?.tick_size;
      const step = own?.step_size ?? rules?.default?.step_size;
      return [symbol, {
        price: tick === undefined ? decimals : Math.min(decimals, decimalsOf(tick)),
        quantity: step === undefined ? MAX_DECIMALS : Math.min(MAX_DECIMALS, decimalsOf(step)),
      }];
    }));
  }
}
