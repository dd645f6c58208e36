import ccxt, { type Exchange } from 'ccxt';

export interface ClientOptions {
  readonly credentials?: { readonly apiKey: string; readonly secret: string };
  /** Binance's demo-trading environment. */
  readonly demo?: boolean;
  /** Replaces the API host in every URL (a local test exchange, a proxy). */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  /**
   * How long after signing the exchange still accepts a request (Binance's recvWindow). A request that
   * got no answer can arrive at most this long after it was sent; after that, "no such order" is final.
   */
  readonly recvWindowMs?: number;
}

export const DEFAULT_RECV_WINDOW_MS = 5_000;

/** The one place a ccxt Binance USDⓈ-M client is made, for trading and for market data alike. */
export function binanceUsdmClient(options: ClientOptions): Exchange {
  const exchange = new ccxt.binanceusdm({
    ...(options.credentials === undefined ? {} : { apiKey: options.credentials.apiKey, secret: options.credentials.secret }),
    timeout: options.timeoutMs ?? 10_000,
    enableRateLimit: true,
    options: {
      // Currencies come from the spot wallet API, which a futures-only key may not reach; markets are enough.
      fetchCurrencies: false,
      // Requests are signed with the exchange's clock (measured when markets load), so a skewed local
      // clock cannot push them outside the recvWindow, and the daemon's notion of "now" is the exchange's.
      adjustForTimeDifference: true,
      recvWindow: options.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS,
    },
  });
  if (options.demo) exchange.enableDemoTrading(true);
  if (options.baseUrl !== undefined) {
    const api = exchange.urls['api'] as Record<string, string>;
    for (const key of Object.keys(api)) api[key] = api[key]!.replace(/^https?:\/\/[^/]+/, options.baseUrl);
  }
  return exchange;
}

/** The exchange's clock as this client last measured it (local clock corrected by the measured offset). */
export function exchangeNow(exchange: Exchange): number {
  return exchange.milliseconds() - Number((exchange.options as { timeDifference?: number }).timeDifference ?? 0);
}

/**
 * Loads the markets, asking afresh on every call after a failure: ccxt keeps the promise of a failed
 * load and would answer every later call with the same rejection without sending a request.
 */
export async function loadMarketsAfresh(exchange: Exchange, attempt: number): Promise<void> {
  if (attempt > 1) (exchange as unknown as { marketsLoading?: unknown }).marketsLoading = undefined;
  await exchange.loadMarkets(attempt > 1);
}
