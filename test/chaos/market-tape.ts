import { createRng, type Rng } from '../../src/market/candles/rng.js';
import type { MockBinance } from '../support/mock-binance/mock-binance.js';

export interface TapeSymbol {
  readonly symbol: string;
  readonly price: number;
  readonly tick: number;
}

interface Bar {
  openTime: number;
  closeTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const MINUTE = 60_000;

/**
 * A market for the chaos campaign: the exchange's clock runs at wall-clock speed from a fixed virtual
 * start; every 100 ms each symbol's price takes a random-walk step (with an occasional jump that carries
 * it through nearby stops), which triggers the exchange's resting orders; 1-minute klines are built from
 * the ticks and published, with warm-up history before the start.
 */
export class MarketTape {
  readonly start: number;
  private readonly wallStart = Date.now();
  private readonly rng: Rng;
  private readonly bars = new Map<string, Bar[]>();
  private readonly forming = new Map<string, Bar>();
  private readonly prices = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly exchange: MockBinance,
    private readonly symbols: readonly TapeSymbol[],
    seed: number,
    options: { readonly start?: number; readonly historyBars?: number; readonly sigma?: number; readonly jumpEveryTicks?: number; readonly jump?: number } = {},
  ) {
    this.rng = createRng(`tape-${seed}`);
    this.start = options.start ?? Date.parse('2025-03-03T10:00:00Z');
    this.sigma = options.sigma ?? 0.0004;
    this.jumpEvery = options.jumpEveryTicks ?? 150;
    this.jumpSize = options.jump ?? 0.025;
    exchange.now = () => this.now();
    for (const s of symbols) {
      // History: a walk ending at the starting price, one bar a minute before the start.
      const history: Bar[] = [];
      let price = s.price;
      for (let i = (options.historyBars ?? 300); i > 0; i--) {
        const openTime = this.start - i * MINUTE;
        const path = [price];
        for (let k = 0; k < 20; k++) path.push(this.round(s, path.at(-1)! * Math.exp(this.sigma * Math.sqrt(30) * this.rng.normal())));
        history.push({ openTime, closeTime: openTime + MINUTE, open: path[0]!, high: Math.max(...path), low: Math.min(...path), close: path.at(-1)!, volume: 1 });
        price = path.at(-1)!;
      }
      this.bars.set(s.symbol, history);
      this.prices.set(s.symbol, price);
      exchange.setPrice(s.symbol, price);
      this.forming.set(s.symbol, { openTime: this.start, closeTime: this.start + MINUTE, open: price, high: price, low: price, close: price, volume: 1 });
      this.publish(s.symbol);
    }
  }

  private readonly sigma: number;
  private readonly jumpEvery: number;
  private readonly jumpSize: number;
  private ticks = 0;

  now(): number {
    return this.start + (Date.now() - this.wallStart);
  }

  run(): void {
    this.timer = setInterval(() => this.tick(), 100);
  }

  halt(): void {
    clearInterval(this.timer);
  }

  price(symbol: string): number {
    return this.prices.get(symbol)!;
  }

  private tick(): void {
    this.ticks++;
    const now = this.now();
    for (const s of this.symbols) {
      let bar = this.forming.get(s.symbol)!;
      while (now >= bar.closeTime) {
        this.bars.get(s.symbol)!.push(bar);
        bar = { openTime: bar.closeTime, closeTime: bar.closeTime + MINUTE, open: bar.close, high: bar.close, low: bar.close, close: bar.close, volume: 1 };
        this.forming.set(s.symbol, bar);
      }
      const jump = this.ticks % this.jumpEvery === 0 ? (this.rng.next() < 0.5 ? -1 : 1) * this.jumpSize : 0;
      const price = this.round(s, this.prices.get(s.symbol)! * Math.exp(this.sigma * this.rng.normal() + jump));
      this.prices.set(s.symbol, price);
      this.exchange.setPrice(s.symbol, price);
      bar.high = Math.max(bar.high, price);
      bar.low = Math.min(bar.low, price);
      bar.close = price;
      this.publish(s.symbol);
    }
  }

  private publish(symbol: string): void {
    this.exchange.setKlines(symbol, [...this.bars.get(symbol)!.slice(-400), this.forming.get(symbol)!]);
  }

  private round(s: TapeSymbol, price: number): number {
    const decimals = Math.max(0, Math.round(-Math.log10(s.tick)));
    return Math.max(s.tick, Number((Math.round(price / s.tick) * s.tick).toFixed(decimals)));
  }
}
