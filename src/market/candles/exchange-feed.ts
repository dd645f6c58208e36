import type { Exchange } from 'ccxt';
import { InputError } from '../../config/problem.js';
import { binanceUsdmClient, exchangeNow, loadMarketsAfresh } from '../../exchange/binance-usdm.js';
import { DEFAULT_RETRY, ExchangeCalls } from '../../exchange/exchange-calls.js';
import type { Logger } from '../../logger.js';
import { silentLogger } from '../../logger.js';
import type { Candle, TimeframeMs } from '../candle.js';
import { formatTimeframe } from './timeframe.js';

/**
 * Closed candles from an exchange's public OHLCV endpoint through ccxt, polled: the market data of
 * `quantum-trader run`. The bar still forming is never returned (its close time is in the future).
 * Calls are retried like the broker's; what still fails is thrown for the caller to try again later.
 */
export class ExchangeCandleFeed {
  private readonly exchange: Exchange;
  private readonly calls: ExchangeCalls;
  private loaded = false;
  private loads = 0;

  constructor(
    options: { readonly demo?: boolean; readonly baseUrl?: string; readonly timeoutMs?: number; readonly logger?: Logger },
    /** Told about every bar the exchange sent that cannot be used (non-positive or non-finite prices, high < low). */
    private readonly onRejected: (candle: Candle, reason: string) => void = () => {},
    private readonly clock?: () => number,
  ) {
    this.exchange = binanceUsdmClient(options);
    this.calls = new ExchangeCalls('market data', DEFAULT_RETRY, options.logger ?? silentLogger(), async () => {
      await this.exchange.loadTimeDifference();
    });
  }

  /** The exchange's clock (the local clock corrected by the offset last measured). */
  now(): number {
    return this.clock?.() ?? exchangeNow(this.exchange);
  }

  /** Measures the offset of the exchange's clock again (the local clock drifts; a wrong "now" misjudges closes and signal ages). */
  async sync(): Promise<void> {
    if (this.clock === undefined && this.loaded) await this.exchange.loadTimeDifference();
  }

  /** Closed bars of `symbol` (exchange id, e.g. BTCUSDT) opening at or after `since`, oldest first. */
  async closed(symbol: string, timeframe: TimeframeMs, since: number | undefined, limit: number): Promise<Candle[]> {
    if (!this.loaded) {
      // Every try asks afresh: ccxt would repeat a failed load's rejection without sending a request.
      await this.calls.read('loading markets', (attempt) => loadMarketsAfresh(this.exchange, attempt + (this.loads++ > 0 ? 1 : 0)));
      this.loaded = true;
    }
    const unified = this.exchange.markets_by_id?.[symbol]?.[0]?.symbol;
    if (unified === undefined) throw new InputError(`${this.exchange.id} has no USDⓈ-M market ${symbol} (check --symbols)`);
    const rows = await this.calls.read(`reading ${symbol} candles`, () => this.exchange.fetchOHLCV(unified, formatTimeframe(timeframe), since, limit));
    const now = this.now();
    return rows
      .map(([openTime, open, high, low, close, volume]) => ({
        symbol, openTime: Number(openTime), closeTime: Number(openTime) + timeframe,
        open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: volume === undefined ? null : Number(volume),
      }))
      .filter((c) => {
        if (c.closeTime > now) return false; // still forming
        const usable = [c.open, c.high, c.low, c.close].every((x) => Number.isFinite(x) && x > 0) && c.high >= c.low && c.high >= Math.max(c.open, c.close) && c.low <= Math.min(c.open, c.close);
        if (!usable) this.onRejected(c, 'prices not finite and positive, or outside the bar\'s high-low range');
        return usable;
      });
  }
}
