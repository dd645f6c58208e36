import ccxt, { type Exchange } from 'ccxt';

export interface ClientOptions {
  readonly credentials?: { readonly apiKey: string; readonly secret: string };
  /** Binance's demo-trading environment. */
  readonly demo?: boolean;
  /** Replaces the API host in every URL (a local test exchange, a proxy). */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
}

/** The one place a ccxt Binance USDⓈ-M client is made, for trading and for market data alike. */
export function binanceUsdmClient(options: ClientOptions): Exchange {
  const exchange = new ccxt.binanceusdm({
    ...(options.credentials === undefined ? {} : { apiKey: options.credentials.apiKey, secret: options.credentials.secret }),
    timeout: options.timeoutMs ?? 10_000,
    enableRateLimit: true,
    // Currencies come from the spot wallet API, which a futures-only key may not reach; markets are enough.
    options: { fetchCurrencies: false, adjustForTimeDifference: false },
  });
  if (options.demo) exchange.enableDemoTrading(true);
  if (options.baseUrl !== undefined) {
    const api = exchange.urls['api'] as Record<string, string>;
    for (const key of Object.keys(api)) api[key] = api[key]!.replace(/^https?:\/\/[^/]+/, options.baseUrl);
  }
  return exchange;
}
