import { VenueUnavailable, type Broker } from '../broker/broker.js';
import type { Position } from '../broker/model.js';
import type { Candle } from '../market/candle.js';
import { unrealizedPnl } from './position-accounting.js';

/** The executor's open positions, the last price of every symbol, and the account's equity from them. */
export class PositionBook {
  private readonly positions = new Map<string, Position>();
  private readonly prices = new Map<string, number>();
  private lastBalance: number | undefined;

  constructor(open: readonly Position[] = []) {
    for (const position of open) this.positions.set(position.id, position);
  }

  all(): Position[] {
    return [...this.positions.values()];
  }

  get(id: string): Position | undefined {
    return this.positions.get(id);
  }

  /** One-way mode: at most one position per symbol. */
  of(symbol: string): Position | undefined {
    for (const p of this.positions.values()) if (p.symbol === symbol) return p;
    return undefined;
  }

  set(position: Position): void {
    this.positions.set(position.id, position);
  }

  remove(id: string): void {
    this.positions.delete(id);
  }

  notePrices(candles: readonly Candle[]): void {
    for (const candle of candles) this.prices.set(candle.symbol, candle.close);
  }

  notePrice(symbol: string, price: number): void {
    this.prices.set(symbol, price);
  }

  price(symbol: string): number | undefined {
    return this.prices.get(symbol);
  }

  /** The last price, or the entry price before there is one. */
  mark(position: Position): number {
    return this.prices.get(position.symbol) ?? position.entry_price;
  }

  /** Balance from the venue plus the positions' unrealised PnL at the last prices. */
  async equity(broker: Broker): Promise<{ equity: number; balance: number }> {
    let balance: number;
    try {
      balance = await broker.balance();
      this.lastBalance = balance;
    } catch (error) {
      // Marking equity must not stop a cycle that is managing positions; the last balance read stands in.
      if (!(error instanceof VenueUnavailable) || this.lastBalance === undefined) throw error;
      balance = this.lastBalance;
    }
    let unrealized = 0;
    for (const p of this.positions.values()) unrealized += unrealizedPnl(p, this.mark(p));
    return { equity: balance + unrealized, balance };
  }
}
