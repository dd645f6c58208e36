import type { Candle } from '../../market/candle.js';
import type { FundingSettings } from './settings.js';

const PERIOD = 8 * 3_600_000;

/**
 * Funding of perpetual futures on the paper venue: at every funding time (00:00, 08:00 and 16:00 UTC)
 * after the previous bar's close and up to this bar's close, the position held pays notional x rate at
 * this bar's close (a positive rate: longs pay, shorts receive). The first bar of a symbol has no
 * previous close and settles nothing. Keeps the running total per symbol for results and snapshots.
 */
export class FundingLedger {
  private readonly totals = new Map<string, number>();

  constructor(
    private readonly settings: FundingSettings | undefined,
    saved: readonly { readonly symbol: string; readonly amount: number }[] = [],
  ) {
    for (const f of saved) this.totals.set(f.symbol, f.amount);
  }

  /** The cash change (negative: paid) for `held` (signed quantity) over the bar. */
  settle(symbol: string, held: number, previousClose: number | undefined, candle: Candle): number {
    if (this.settings === undefined || previousClose === undefined || held === 0) return 0;
    let change = 0;
    for (let t = Math.floor(previousClose / PERIOD) * PERIOD + PERIOD; t <= candle.closeTime; t += PERIOD) {
      const rate = fundingRateAt(this.settings, symbol, t);
      if (rate !== 0) change += -held * candle.close * rate;
    }
    if (change !== 0) this.totals.set(symbol, (this.totals.get(symbol) ?? 0) + change);
    return change;
  }

  summary(): { readonly total: number; readonly by_symbol: Readonly<Record<string, number>> } {
    const by_symbol = Object.fromEntries([...this.totals].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { total: Object.values(by_symbol).reduce((sum, x) => sum + x, 0), by_symbol };
  }

  toJSON(): { symbol: string; amount: number }[] {
    return [...this.totals].map(([symbol, amount]) => ({ symbol, amount }));
  }
}

/** The rate in force at a funding time: the symbol's series (the latest published at or before it), else its configured rate, else the default. */
export function fundingRateAt(funding: FundingSettings, symbol: string, time: number): number {
  const series = funding.series?.[symbol];
  if (series !== undefined && series.length > 0 && series[0]!.time <= time) {
    let rate = series[0]!.rate;
    for (const r of series) {
      if (r.time > time) break;
      rate = r.rate;
    }
    return rate;
  }
  return funding.symbol_rates?.[symbol] ?? funding.rate_per_8h ?? 0;
}
