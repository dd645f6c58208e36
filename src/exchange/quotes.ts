import type { Exchange } from 'ccxt';

/** Best bid and ask of one symbol. */
export interface BookQuote {
  readonly bid: number;
  readonly ask: number;
}

/**
 * The exchange's best bid and ask for an exchange symbol id (BTCUSDT), from its book ticker (ccxt
 * fetchBidsAsks): what `run` feeds the risk tracker as a quote each cycle, so the spread cost rule judges
 * the real spread. Undefined when the exchange has no two-sided book for it right now.
 */
export async function fetchSpread(exchange: Exchange, symbolId: string): Promise<BookQuote | undefined> {
  await exchange.loadMarkets();
  const unified = exchange.markets_by_id?.[symbolId]?.[0]?.symbol;
  if (unified === undefined) throw new Error(`${exchange.id} has no market ${symbolId}`);
  const tickers = await exchange.fetchBidsAsks([unified]);
  const ticker = tickers[unified];
  const bid = ticker?.bid;
  const ask = ticker?.ask;
  return typeof bid === 'number' && typeof ask === 'number' && bid > 0 && ask >= bid ? { bid, ask } : undefined;
}
