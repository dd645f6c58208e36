import { TradingStore } from '../../src/store/index.js';
import type { MockBinance } from './mock-binance/mock-binance.js';

/**
 * The invariants of live trading, judged from the exchange's side (what the venue holds and did), not
 * from what the daemon believes.
 */
export class ExchangeJudge {
  constructor(private readonly exchange: MockBinance) {}

  /** Client ids carried by more than one order the exchange accepted (regular and conditional). */
  reusedClientIds(): string[] {
    const counts = new Map<string, number>();
    const ids = [
      ...this.exchange.allOrders().filter((o) => !o.clientOrderId.startsWith('algo-')).map((o) => o.clientOrderId),
      ...this.exchange.allAlgoOrders().map((o) => o.clientAlgoId),
    ];
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    return [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  }

  /** Entry orders the exchange filled (market orders that were not reduce-only), oldest first. */
  entries(symbol?: string): { clientOrderId: string; time: number; qty: number; side: string }[] {
    return this.exchange.filledOrders()
      .filter((o) => !o.reduceOnly && o.type === 'MARKET' && (symbol === undefined || o.symbol === symbol))
      .map((o) => ({ clientOrderId: o.clientOrderId, time: o.time, qty: o.executedQty, side: o.side }));
  }

  /** Symbols whose position is not covered by resting reduce-only stops on the closing side for its whole size. */
  naked(): string[] {
    const out: string[] = [];
    for (const symbol of this.symbols()) {
      const position = this.exchange.position(symbol);
      if (position === undefined) continue;
      const closing = position.qty > 0 ? 'SELL' : 'BUY';
      const covered = this.exchange.openAlgoOrders(symbol).filter((o) => o.orderType === 'STOP_MARKET' && o.side === closing && o.reduceOnly).reduce((sum, o) => sum + o.quantity, 0);
      if (covered + 1e-9 < Math.abs(position.qty)) out.push(symbol);
    }
    return out;
  }

  /** Resting orders that protect nothing: no position on their symbol, or one they cannot reduce. */
  orphans(): string[] {
    return this.exchange.openAlgoOrders().filter((o) => {
      const position = this.exchange.position(o.symbol);
      return position === undefined || (o.side === 'SELL') !== (position.qty > 0);
    }).map((o) => o.clientAlgoId);
  }

  /** Differences between a store and the exchange: signed position sizes per symbol and the set of resting orders. */
  storeDifferences(storePath: string): string[] {
    const store = TradingStore.open(storePath);
    try {
      const problems: string[] = [];
      for (const symbol of this.symbols()) {
        const ours = store.openPositions().filter((p) => p.symbol === symbol).reduce((sum, p) => sum + (p.side === 'long' ? p.quantity : -p.quantity), 0);
        const theirs = this.exchange.position(symbol)?.qty ?? 0;
        if (Math.abs(ours - theirs) > 1e-9) problems.push(`${symbol}: store ${ours}, exchange ${theirs}`);
      }
      const resting = new Set(this.exchange.openAlgoOrders().map((o) => o.clientAlgoId));
      const believed = new Set(store.openOrders().map((o) => o.client_id));
      for (const id of resting) if (!believed.has(id)) problems.push(`${id} rests at the exchange, the store does not know it as resting`);
      for (const id of believed) if (!resting.has(id)) problems.push(`${id} is resting in the store, not at the exchange`);
      const unresolved = store.unresolvedOrders();
      if (unresolved.length > 0) problems.push(`unresolved in the store: ${unresolved.map((o) => o.client_id).join(', ')}`);
      return problems;
    } finally {
      store.close();
    }
  }

  private symbols(): string[] {
    return [...this.exchange.venue.symbols.keys()];
  }
}
