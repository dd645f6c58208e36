import { randomBytes } from 'node:crypto';
import type { OrderPurpose } from '../broker/model.js';
import type { ExecutionJournal } from './journal.js';

const KIND: Readonly<Record<OrderPurpose, string>> = {
  entry: 'e', exit: 'x', 'stop-loss': 's', 'trailing-stop': 's', 'take-profit': 't', 'partial-take-profit': 'p',
};

const PREFIX_KEY = 'orders.client_prefix';
const SEQUENCE_KEY = 'orders.sequence';

/**
 * Client order ids and position ids from one persisted sequence: `<prefix>-<n in base 36><kind>` (e.g.
 * `k3f9-2a1s`, a stop) and `<symbol>-<n>`. A number is never handed out twice: the sequence is committed
 * with the order that used it, before the order is sent, so neither a retry, a replacement nor a restart
 * can reuse an id; the venue, which only refuses ids of OPEN orders, could not be relied on for that.
 * The prefix is drawn at random when a store is first used, so a new store never collides with orders
 * an older one left at the exchange; it also tells our orders apart from those placed by hand.
 */
export class ClientIds {
  private constructor(
    readonly prefix: string,
    private next: number,
  ) {}

  /** The store's prefix and sequence (a fixed prefix for reproducible backtests). */
  static restore(journal: ExecutionJournal | undefined, fixedPrefix?: string): ClientIds {
    const saved = journal?.loadState<string>(PREFIX_KEY);
    const prefix = saved ?? fixedPrefix ?? randomBytes(4).readUInt32BE(0).toString(36).slice(0, 4).padStart(4, '0');
    if (saved === undefined) journal?.saveState(PREFIX_KEY, prefix);
    return new ClientIds(prefix, journal?.loadState<number>(SEQUENCE_KEY) ?? 1);
  }

  order(purpose: OrderPurpose): string {
    return `${this.prefix}-${(this.next++).toString(36)}${KIND[purpose]}`;
  }

  position(symbol: string): string {
    return `${symbol}-${this.next++}`;
  }

  /** The sequence number in one of our client ids (later orders have larger ones). */
  sequenceOf(clientId: string): number {
    return Number.parseInt(clientId.slice(this.prefix.length + 1, -1), 36);
  }

  /** Ours: made by this store's sequence (orders placed by hand, or by another store, are not). */
  owns(clientId: string): boolean {
    return clientId.startsWith(`${this.prefix}-`) && /^[0-9a-z]+[extsp]$/.test(clientId.slice(this.prefix.length + 1));
  }

  /** Saved with every commit that used a number. */
  save(journal: ExecutionJournal): void {
    journal.saveState(SEQUENCE_KEY, this.next);
  }
}
