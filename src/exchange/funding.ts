import type { Exchange } from 'ccxt';

/** One funding payment of the account: positive received, negative paid (USDT). */
export interface FundingPayment {
  /** Exchange symbol id, e.g. BTCUSDT. */
  readonly symbol: string;
  readonly time: number;
  readonly amount: number;
}

/**
 * The account's funding payments since `since` (epoch ms), from its income history (ccxt
 * fetchFundingHistory: Binance's FUNDING_FEE income), oldest first: what `run` reports beside fees. One
 * symbol id, or every symbol when absent.
 */
export async function fetchFundingPayments(exchange: Exchange, since: number, symbolId?: string): Promise<FundingPayment[]> {
  await exchange.loadMarkets();
  let unified: string | undefined;
  if (symbolId !== undefined) {
    unified = exchange.markets_by_id?.[symbolId]?.[0]?.symbol;
    if (unified === undefined) throw new Error(`${exchange.id} has no market ${symbolId}`);
  }
  const history = await exchange.fetchFundingHistory(unified, since);
  return history
    .map((h) => ({ symbol: exchange.markets?.[h.symbol ?? '']?.id ?? String((h.info as { symbol?: string } | undefined)?.symbol ?? h.symbol), time: Number(h.timestamp), amount: Number(h.amount) }))
    .filter((p) => Number.isFinite(p.time) && Number.isFinite(p.amount))
    .sort((a, b) => a.time - b.time);
}
