/**
 * The trading model of the local Binance USDⓈ-M exchange, without HTTP: one-way positions, regular
 * (MARKET) orders and conditional (algo) orders, as Binance documents them, including the parts that
 * are unkind to a client:
 *
 * - A client order id is refused (-4116) only while an order with that id is OPEN. A MARKET order fills at
 *   once and is never open, so sending the same client id again fills again. The same holds for algo
 *   orders: an id is free again once its order is no longer NEW.
 * - A conditional order has a life of its own: NEW → TRIGGERED → FINISHED (with the id of the MARKET
 *   order it became), or CANCELED / EXPIRED. A reduce-only conditional order stays NEW when its position
 *   goes flat; when it triggers later it reduces whatever position is there on its side (the orphan stop
 *   that closes a newer position), and expires only when there is nothing on that side to reduce.
 * - Placing a conditional order that would trigger at once is refused (-2021); a reduce-only MARKET order
 *   that cannot reduce is refused (-2022).
 *
 * Every change is appended to `history`, from which tests judge the client from the exchange's side.
 */
export interface MockSymbol {
  readonly symbol: string;
  readonly price: number;
  readonly tickSize: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly minNotional: string;
}

export interface Position {
  qty: number;
  entry: number;
  leverage: number;
  marginType: 'cross' | 'isolated';
}

export interface RegularOrder {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  type: string;
  origQty: number;
  executedQty: number;
  avgPrice: number;
  status: 'NEW' | 'FILLED' | 'CANCELED' | 'EXPIRED';
  reduceOnly: boolean;
  time: number;
  updateTime: number;
}

export type AlgoStatus = 'NEW' | 'TRIGGERED' | 'FINISHED' | 'CANCELED' | 'EXPIRED';

export interface AlgoOrder {
  algoId: number;
  clientAlgoId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  orderType: 'STOP_MARKET' | 'TAKE_PROFIT_MARKET';
  quantity: number;
  triggerPrice: number;
  reduceOnly: boolean;
  closePosition: boolean;
  algoStatus: AlgoStatus;
  actualOrderId?: number;
  createTime: number;
  updateTime: number;
}

/** Binance's error answer: code and message. */
export interface Refusal {
  readonly code: number;
  readonly msg: string;
}

export type VenueEvent =
  | { readonly at: number; readonly kind: 'position'; readonly symbol: string; readonly qty: number }
  | { readonly at: number; readonly kind: 'order'; readonly symbol: string; readonly clientOrderId: string; readonly orderId: number; readonly side: 'BUY' | 'SELL'; readonly qty: number; readonly reduceOnly: boolean; readonly status: string }
  | { readonly at: number; readonly kind: 'algo'; readonly symbol: string; readonly clientAlgoId: string; readonly algoId: number; readonly side: 'BUY' | 'SELL'; readonly orderType: string; readonly qty: number; readonly triggerPrice: number; readonly status: AlgoStatus };

export const TAKER_FEE = 0.0004;

export class BinanceVenue {
  balance: number;
  now: () => number = () => Date.now();
  readonly symbols = new Map<string, MockSymbol & { price: number }>();
  readonly positions = new Map<string, Position>();
  readonly orders = new Map<number, RegularOrder>();
  readonly algoOrders = new Map<number, AlgoOrder>();
  readonly history: VenueEvent[] = [];
  private nextId = 1000;

  constructor(symbols: readonly MockSymbol[], balance: number) {
    this.balance = balance;
    for (const s of symbols) this.symbols.set(s.symbol, { ...s });
  }

  symbol(id: string): MockSymbol & { price: number } {
    const s = this.symbols.get(id);
    if (s === undefined) throw new Error(`unknown symbol ${id}`);
    return s;
  }

  positionOf(symbol: string): Position {
    let p = this.positions.get(symbol);
    if (p === undefined) {
      p = { qty: 0, entry: 0, leverage: 20, marginType: 'cross' };
      this.positions.set(symbol, p);
    }
    return p;
  }

  // --- regular orders ---------------------------------------------------------------------------

  newMarketOrder(symbol: string, side: 'BUY' | 'SELL', qty: number, clientOrderId: string, reduceOnly: boolean): RegularOrder | Refusal {
    // Unique among OPEN orders only: a filled MARKET order's id can be sent again, and fills again.
    if ([...this.orders.values()].some((o) => o.clientOrderId === clientOrderId && o.status === 'NEW')) return { code: -4116, msg: 'ClientOrderId is duplicated.' };
    const s = this.symbol(symbol);
    const problem = this.quantityProblem(s, qty, reduceOnly);
    if (problem) return problem;
    const p = this.positionOf(symbol);
    if (reduceOnly) {
      if (p.qty === 0 || Math.sign(p.qty) === (side === 'BUY' ? 1 : -1)) return { code: -2022, msg: 'ReduceOnly Order is rejected.' };
    } else if ((qty * s.price) / p.leverage > this.availableBalance()) {
      return { code: -2019, msg: 'Margin is insufficient.' };
    }
    return this.fill(symbol, side, reduceOnly ? Math.min(qty, Math.abs(p.qty)) : qty, clientOrderId, 'MARKET', reduceOnly);
  }

  /** The latest order with this client id (ids repeat once their orders are closed). */
  findOrder(orderId: string | null, clientOrderId: string | null): RegularOrder | undefined {
    const all = [...this.orders.values()].reverse();
    return all.find((o) => (orderId !== null && String(o.orderId) === orderId) || (clientOrderId !== null && o.clientOrderId === clientOrderId));
  }

  // --- conditional (algo) orders ----------------------------------------------------------------

  newAlgoOrder(args: { symbol: string; side: 'BUY' | 'SELL'; type: string; qty: number; triggerPrice: number; clientAlgoId: string; reduceOnly: boolean; closePosition: boolean }): AlgoOrder | Refusal {
    if ([...this.algoOrders.values()].some((o) => o.clientAlgoId === args.clientAlgoId && o.algoStatus === 'NEW')) return { code: -4116, msg: 'ClientOrderId is duplicated.' };
    if (args.type !== 'STOP_MARKET' && args.type !== 'TAKE_PROFIT_MARKET') return { code: -1116, msg: 'Invalid orderType.' };
    const s = this.symbol(args.symbol);
    const problem = this.quantityProblem(s, args.qty, true);
    if (problem) return problem;
    if (!(args.triggerPrice > 0) || !isMultiple(args.triggerPrice, Number(s.tickSize))) return { code: -4014, msg: 'Price not increased by tick size.' };
    const falling = fallsToTrigger(args.side, args.type);
    if (falling ? args.triggerPrice >= s.price : args.triggerPrice <= s.price) return { code: -2021, msg: 'Order would immediately trigger.' };
    const algo: AlgoOrder = {
      algoId: this.nextId++, clientAlgoId: args.clientAlgoId, symbol: args.symbol, side: args.side, orderType: args.type, quantity: args.qty,
      triggerPrice: args.triggerPrice, reduceOnly: args.reduceOnly, closePosition: args.closePosition, algoStatus: 'NEW', createTime: this.now(), updateTime: this.now(),
    };
    this.algoOrders.set(algo.algoId, algo);
    this.recordAlgo(algo);
    return algo;
  }

  findAlgo(algoId: string | null, clientAlgoId: string | null): AlgoOrder | undefined {
    const all = [...this.algoOrders.values()].reverse();
    return all.find((o) => (algoId !== null && String(o.algoId) === algoId) || (clientAlgoId !== null && o.clientAlgoId === clientAlgoId));
  }

  cancelAlgo(algo: AlgoOrder): void {
    algo.algoStatus = 'CANCELED';
    algo.updateTime = this.now();
    this.recordAlgo(algo);
  }

  openAlgoOrders(symbol?: string): AlgoOrder[] {
    return [...this.algoOrders.values()].filter((o) => o.algoStatus === 'NEW' && (symbol === undefined || o.symbol === symbol));
  }

  // --- the market -------------------------------------------------------------------------------

  /** Moves the price and triggers the conditional orders it crosses, nearest trigger first. */
  setPrice(symbol: string, price: number): void {
    const s = this.symbol(symbol);
    const previous = s.price;
    s.price = price;
    const crossed = this.openAlgoOrders(symbol)
      .filter((o) => crosses(o, previous, price))
      .sort((a, b) => (price < previous ? b.triggerPrice - a.triggerPrice : a.triggerPrice - b.triggerPrice));
    for (const algo of crossed) if (algo.algoStatus === 'NEW') this.trigger(algo);
  }

  private trigger(algo: AlgoOrder): void {
    algo.algoStatus = 'TRIGGERED';
    algo.updateTime = this.now();
    const p = this.positionOf(algo.symbol);
    const reducible = Math.sign(p.qty) === (algo.side === 'BUY' ? -1 : 1) ? Math.abs(p.qty) : 0;
    if (algo.reduceOnly && reducible === 0) {
      // Nothing on its side to reduce: the order it became expires unfilled.
      const expired = this.record({ orderId: this.nextId++, clientOrderId: `algo-${algo.algoId}`, symbol: algo.symbol, side: algo.side, type: algo.orderType, origQty: algo.quantity, executedQty: 0, avgPrice: 0, status: 'EXPIRED', reduceOnly: true, time: this.now(), updateTime: this.now() });
      algo.actualOrderId = expired.orderId;
      algo.algoStatus = 'FINISHED';
      this.recordAlgo(algo);
      return;
    }
    const qty = algo.reduceOnly ? Math.min(algo.quantity, reducible) : algo.quantity;
    const order = this.fill(algo.symbol, algo.side, qty, `algo-${algo.algoId}`, algo.orderType, algo.reduceOnly);
    algo.actualOrderId = order.orderId;
    algo.algoStatus = 'FINISHED';
    algo.updateTime = this.now();
    this.recordAlgo(algo);
  }

  private fill(symbol: string, side: 'BUY' | 'SELL', qty: number, clientOrderId: string, type: string, reduceOnly: boolean): RegularOrder {
    const price = this.symbol(symbol).price;
    const signed = side === 'BUY' ? qty : -qty;
    const p = this.positionOf(symbol);
    let realized = 0;
    if (p.qty !== 0 && Math.sign(p.qty) !== Math.sign(signed)) {
      realized = (price - p.entry) * Math.min(Math.abs(signed), Math.abs(p.qty)) * Math.sign(p.qty);
    }
    const next = roundQty(p.qty + signed);
    if (next === 0) p.entry = 0;
    else if (p.qty === 0 || Math.sign(next) !== Math.sign(p.qty)) p.entry = price;
    else if (Math.abs(next) > Math.abs(p.qty)) p.entry = (p.entry * Math.abs(p.qty) + price * qty) / Math.abs(next);
    p.qty = next;
    this.balance += realized - qty * price * TAKER_FEE;
    this.history.push({ at: this.now(), kind: 'position', symbol, qty: next });
    return this.record({ orderId: this.nextId++, clientOrderId, symbol, side, type, origQty: qty, executedQty: qty, avgPrice: price, status: 'FILLED', reduceOnly, time: this.now(), updateTime: this.now() });
  }

  private record(order: RegularOrder): RegularOrder {
    this.orders.set(order.orderId, order);
    this.history.push({ at: this.now(), kind: 'order', symbol: order.symbol, clientOrderId: order.clientOrderId, orderId: order.orderId, side: order.side, qty: order.executedQty, reduceOnly: order.reduceOnly, status: order.status });
    return order;
  }

  private recordAlgo(algo: AlgoOrder): void {
    this.history.push({ at: this.now(), kind: 'algo', symbol: algo.symbol, clientAlgoId: algo.clientAlgoId, algoId: algo.algoId, side: algo.side, orderType: algo.orderType, qty: algo.quantity, triggerPrice: algo.triggerPrice, status: algo.algoStatus });
  }

  // --- account ----------------------------------------------------------------------------------

  unrealized(symbol: string): number {
    const p = this.positions.get(symbol);
    return p && p.qty !== 0 ? (this.symbol(symbol).price - p.entry) * p.qty : 0;
  }

  availableBalance(): number {
    let margin = 0;
    let unrealized = 0;
    for (const [symbol, p] of this.positions) {
      margin += (Math.abs(p.qty) * p.entry) / p.leverage;
      unrealized += this.unrealized(symbol);
    }
    return this.balance + unrealized - margin;
  }

  private quantityProblem(s: MockSymbol & { price: number }, qty: number, reduceOnly: boolean): Refusal | undefined {
    if (!(qty > 0) || !isMultiple(qty, Number(s.stepSize))) return { code: -1111, msg: 'Precision is over the maximum defined for this asset.' };
    if (qty < Number(s.minQty)) return { code: -4003, msg: 'Quantity less than or equal to zero.' };
    if (!reduceOnly && qty * s.price < Number(s.minNotional)) return { code: -4164, msg: `Order's notional must be no smaller than ${s.minNotional} (unless you choose reduce only).` };
    return undefined;
  }
}

export function isRefusal(x: unknown): x is Refusal {
  return typeof x === 'object' && x !== null && typeof (x as Refusal).code === 'number' && (x as Refusal).code < 0;
}

/** A sell stop and a buy take-profit fire on a falling price, the others on a rising one. */
function fallsToTrigger(side: 'BUY' | 'SELL', type: string): boolean {
  return (side === 'SELL') === (type === 'STOP_MARKET');
}

function crosses(o: AlgoOrder, from: number, to: number): boolean {
  return fallsToTrigger(o.side, o.orderType) ? to <= o.triggerPrice && from > o.triggerPrice : to >= o.triggerPrice && from < o.triggerPrice;
}

/** Within a millionth of a step: the client's decimal string of a multiple always passes. */
function isMultiple(value: number, step: number): boolean {
  const units = value / step;
  return Math.abs(units - Math.round(units)) <= 1e-6;
}

function roundQty(x: number): number {
  return Number(x.toFixed(10));
}
