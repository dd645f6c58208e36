import { VenueUnavailable, type Broker } from '../broker/broker.js';
import type { Candle } from '../market/candle.js';
import type { Quote } from '../state/account-events.js';
import type { SymbolStats } from '../state/market-state.js';

/**
 * The venue's best bid and ask for each symbol whose candle closed, as account events: the risk tracker
 * averages them into spread_pct, which the symbol cost rule judges. The paper venue quotes from the
 * data's bid/ask or its configured spread; an exchange from its order book. A venue that cannot answer
 * now gives no quote (an unknown spread is not a zero spread).
 */
export async function quoteEvents(broker: Broker, candles: readonly Candle[], time: number): Promise<Quote[]> {
  if (broker.quote === undefined) return [];
  const quotes: Quote[] = [];
  for (const candle of candles) {
    let quote: { readonly bid: number; readonly ask: number } | undefined;
    try {
      quote = await broker.quote(candle.symbol);
    } catch (error) {
      if (error instanceof VenueUnavailable) continue;
      throw error;
    }
    if (quote !== undefined) quotes.push({ type: 'quote', time, symbol: candle.symbol, bid: quote.bid, ask: quote.ask });
  }
  return quotes;
}

/**
 * How far from the close a market entry is expected to fill, as a fraction: the larger of what the venue
 * says (the paper venue knows its slippage and spread) and what was measured on the symbol (half its
 * average spread plus its average adverse slippage). Sizing measures the risk from there.
 */
export function expectedEntryCost(broker: Broker, stats: SymbolStats | undefined, symbol: string): number {
  const measured = (stats?.spread_pct ?? 0) / 2 + (stats?.slippage_pct ?? 0);
  return Math.max(broker.expectedEntryCost?.(symbol) ?? 0, measured);
}
