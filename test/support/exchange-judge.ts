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

  /**
   * Protective orders that acted on another position than the one held when they were placed: reduce-only
   * conditional orders that filled after their symbol went flat, opened or flipped since their placement
   * (the orphan stop that closes a newer position). From the exchange's history alone.
   */
  orphanFills(): string[] {
    const epoch = new Map<string, number>();
    const held = new Map<string, number>();
    const placedIn = new Map<number, number>();
    const algoOfOrder = new Map<string, { algoId: number; clientAlgoId: string; symbol: string }>();
    const out: string[] = [];
    for (const event of this.exchange.history) {
      if (event.kind === 'position') {
        // A new epoch whenever the symbol goes flat, opens from flat, or flips side.
        if (Math.sign(held.get(event.symbol) ?? 0) !== Math.sign(event.qty)) epoch.set(event.symbol, (epoch.get(event.symbol) ?? 0) + 1);
        held.set(event.symbol, event.qty);
      } else if (event.kind === 'algo') {
        if (event.status === 'NEW' && !placedIn.has(event.algoId)) placedIn.set(event.algoId, epoch.get(event.symbol) ?? 0);
        algoOfOrder.set(`algo-${event.algoId}`, { algoId: event.algoId, clientAlgoId: event.clientAlgoId, symbol: event.symbol });
      } else if (event.kind === 'order' && event.status === 'FILLED' && event.qty > 0) {
        const algo = algoOfOrder.get(event.clientOrderId);
        // The fill's own position event came first: if it flattened the symbol, it filled in the epoch before.
        const now = epoch.get(event.symbol) ?? 0;
        const filledIn = (held.get(event.symbol) ?? 0) === 0 ? now - 1 : now;
        if (algo !== undefined && filledIn !== (placedIn.get(algo.algoId) ?? filledIn)) out.push(`${algo.clientAlgoId} (${algo.symbol})`);
      }
    }
    return out;
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
