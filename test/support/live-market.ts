import type { Candle } from '../../src/market/candle.js';
import { candlesOf } from './trading.js';
import { MockBinance } from './mock-binance/mock-binance.js';

export const BTC_FILTERS = { symbol: 'BTCUSDT', tickSize: '0.1', stepSize: '0.001', minQty: '0.001', minNotional: '100' };

/**
 * A local exchange with a history of closed 1h bars, and a way to let the next bars happen: each new bar
 * is published as a kline and walked through by the exchange's price (open → adverse extreme → favourable
 * extreme → close, or as given), so resting stops and take-profits fire as they would live. The
 * exchange's clock is virtual: it stands just after the last published close and runs on from there at
 * wall-clock speed, so the daemon (which takes its time from the exchange) sees each bar close as it is
 * published.
 */
export class LiveMarket {
  readonly candles: Candle[];
  private publishedAt = Date.now();

  private constructor(
    readonly exchange: MockBinance,
    history: Candle[],
  ) {
    this.candles = history;
    exchange.now = () => this.last.closeTime + (Date.now() - this.publishedAt);
  }

  /** `port`: 0 for any free one (tests); a fixed one for the README's demo. */
  static async start(bars = 300, port = 0): Promise<LiveMarket> {
    // A steady uptrend in normal volatility: the policy's gate is open and the exit mode TREND_FOLLOW.
    const history = await candlesOf({ symbols: ['BTCUSDT'], phases: [{ regime: 'uptrend', vol: 'normal', bars }], start: '2024-01-01T00:00:00Z' });
    const exchange = await new MockBinance({ symbols: [{ ...BTC_FILTERS, price: history.at(-1)!.close }] }).start(port);
    exchange.setKlines('BTCUSDT', history);
    return new LiveMarket(exchange, history);
  }

  get last(): Candle {
    return this.candles.at(-1)!;
  }

  /** Publishes the next bar with the given prices (fractions of the last close) and walks the price through it. */
  nextBar(move: { high: number; low: number; close: number; path?: 'low-first' | 'high-first' }): Candle {
    const previous = this.last;
    const p = previous.close;
    const bar: Candle = {
      symbol: 'BTCUSDT', openTime: previous.closeTime, closeTime: previous.closeTime + 3_600_000,
      open: p, high: round(p * (1 + move.high)), low: round(p * (1 - move.low)), close: round(p * (1 + move.close)), volume: 1,
    };
    const path = move.path === 'high-first' ? [bar.high, bar.low, bar.close] : [bar.low, bar.high, bar.close];
    for (const price of path) this.exchange.setPrice('BTCUSDT', price);
    this.candles.push(bar);
    this.publishedAt = Date.now();
    this.exchange.setKlines('BTCUSDT', this.candles);
    return bar;
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
