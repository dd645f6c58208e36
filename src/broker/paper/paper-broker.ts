import type { Candle } from '../../market/candle.js';
import { OrderRejected, type Broker, type OrderRequest, type VenuePosition } from '../broker.js';
import type { MarketRules, Order } from '../model.js';
import { barPath, crossedOn, type PathLeg } from './bar-path.js';
import { paperBrokerSettings, type PaperBrokerSettings } from './settings.js';

interface NetPosition {
  /** Signed: negative is short. */
  quantity: number;
  entry_price: number;
}

export const PAPER_BROKER_FORMAT = 'quantum-trader/paper-broker@1';

export interface PaperBrokerJSON {
  readonly format: typeof PAPER_BROKER_FORMAT;
  readonly balance: number;
  readonly positions: readonly { readonly symbol: string; readonly quantity: number; readonly entry_price: number }[];
  readonly orders: readonly Order[];
  readonly marks: readonly { readonly symbol: string; readonly price: number }[];
}

const EPSILON = 1e-9;

/**
 * A simulated exchange in one-way mode (one net position per symbol). Market orders fill at once at the
 * caller's expected price moved against them by the slippage; stop and take-profit orders rest until a
 * candle reaches them. Inside a bar the price is assumed to visit the extreme that hurts the position
 * first (see bar-path.ts), so when a stop and a take-profit are both within a bar the stop fills: the
 * conservative reading of a candle that cannot tell which came first. Funding is not modelled.
 */
export class PaperBroker implements Broker {
  readonly name = 'paper';
  readonly settings: PaperBrokerSettings;
  private cash: number;
  private readonly net = new Map<string, NetPosition>();
  private readonly orders = new Map<string, Order>();
  /** Resting (status new) orders per symbol: the ones a candle can act on, without scanning the history. */
  private readonly resting = new Map<string, Map<string, Order>>();
  private readonly marks = new Map<string, number>();

  constructor(settings: Partial<PaperBrokerSettings> = {}) {
    this.settings = paperBrokerSettings(settings);
    this.cash = this.settings.initial_balance;
  }

  static restore(json: unknown, settings: Partial<PaperBrokerSettings> = {}): PaperBroker {
    const saved = json as PaperBrokerJSON;
    if (saved === null || typeof saved !== 'object' || saved.format !== PAPER_BROKER_FORMAT) {
      throw new Error(`paper broker snapshot: expected format ${PAPER_BROKER_FORMAT}, got ${JSON.stringify((saved as { format?: unknown } | null)?.format)}`);
    }
    if (!Number.isFinite(saved.balance) || !Array.isArray(saved.positions) || !Array.isArray(saved.orders) || !Array.isArray(saved.marks)) {
      throw new Error('paper broker snapshot: balance, positions, orders and marks are required');
    }
    const broker = new PaperBroker(settings);
    broker.cash = saved.balance;
    for (const p of saved.positions) broker.net.set(p.symbol, { quantity: p.quantity, entry_price: p.entry_price });
    for (const o of saved.orders) broker.put(o);
    for (const m of saved.marks) broker.marks.set(m.symbol, m.price);
    return broker;
  }

  toJSON(): PaperBrokerJSON {
    return {
      format: PAPER_BROKER_FORMAT,
      balance: this.cash,
      positions: [...this.net].map(([symbol, p]) => ({ symbol, quantity: p.quantity, entry_price: p.entry_price })),
      // Filled and cancelled orders are kept too: a retried client id must find its order after a restart.
      orders: [...this.orders.values()],
      marks: [...this.marks].map(([symbol, price]) => ({ symbol, price })),
    };
  }

  marketRules(symbol: string): MarketRules {
    return { symbol, ...this.settings.market_rules, ...this.settings.symbol_rules?.[symbol] };
  }

  async submit(request: OrderRequest): Promise<Order> {
    const known = this.orders.get(request.client_id);
    if (known !== undefined) {
      if (known.status === 'rejected') throw new OrderRejected(known.client_id, known.reason ?? 'rejected');
      return known;
    }
    const problem = this.requestProblem(request);
    if (problem !== undefined) return this.reject(request, problem);
    const order: Order = {
      client_id: request.client_id, symbol: request.symbol, side: request.side, type: request.type, purpose: request.purpose,
      quantity: request.quantity, ...(request.trigger_price === undefined ? {} : { trigger_price: request.trigger_price }),
      reduce_only: request.reduce_only, position_id: request.position_id, status: 'new', created_at: request.time, updated_at: request.time,
    };
    if (request.type !== 'market') {
      this.put(order);
      return order;
    }
    if (!this.marks.has(request.symbol)) this.marks.set(request.symbol, request.expected_price);
    return this.fill(order, this.slipped(request.expected_price, request.side, request.symbol), request.time, 'market order');
  }

  async cancel(clientId: string, _symbol: string, time: number): Promise<Order | undefined> {
    const order = this.orders.get(clientId);
    if (order === undefined || order.status !== 'new') return undefined;
    const cancelled: Order = { ...order, status: 'cancelled', updated_at: time, reason: 'cancelled by the client' };
    this.put(cancelled);
    return cancelled;
  }

  async order(clientId: string, _symbol?: string): Promise<Order | undefined> {
    return this.orders.get(clientId);
  }

  async openOrders(symbol?: string): Promise<readonly Order[]> {
    const bySymbol = symbol === undefined ? [...this.resting.values()] : [this.resting.get(symbol) ?? new Map<string, Order>()];
    return bySymbol.flatMap((orders) => [...orders.values()]);
  }

  async balance(): Promise<number> {
    return this.cash;
  }

  /** Cash plus unrealised PnL at the last marks. */
  equity(): number {
    let unrealized = 0;
    for (const [symbol, p] of this.net) unrealized += (this.marks.get(symbol) ?? p.entry_price) * p.quantity - p.entry_price * p.quantity;
    return this.cash + unrealized;
  }

  async positions(): Promise<readonly VenuePosition[]> {
    return [...this.net].map(([symbol, p]) => ({ symbol, quantity: p.quantity, entry_price: p.entry_price }));
  }

  mark(symbol: string, price: number): void {
    if (!(price > 0)) throw new RangeError(`paper broker: mark price of ${symbol} must be positive, got ${price}`);
    this.marks.set(symbol, price);
  }

  /**
   * Lets one closed bar act on the resting orders of its symbol, along the bar's conservative path.
   * Returns the orders filled in this bar, in the order they filled.
   */
  onCandle(candle: Candle): Order[] {
    if (![candle.open, candle.high, candle.low, candle.close].every((x) => Number.isFinite(x) && x > 0) || candle.high < candle.low) {
      throw new RangeError(`paper broker: malformed candle ${candle.symbol} at ${new Date(candle.closeTime).toISOString()}`);
    }
    const filled: Order[] = [];
    const position = this.net.get(candle.symbol);
    if (position !== undefined) {
      for (const leg of barPath(candle, position.quantity > 0 ? 'long' : 'short')) {
        for (const order of this.triggeredOn(candle.symbol, leg)) {
          const gapped = leg.gap === true;
          const price = order.type === 'stop-market'
            ? this.slipped(gapped ? leg.from : order.trigger_price!, order.side, order.symbol)
            : order.trigger_price!;
          const done = this.fill(order, price, candle.closeTime, gapped ? `${order.type} triggered at ${order.trigger_price}: the bar opened beyond it, filled at the open` : `${order.type} triggered at ${order.trigger_price}`);
          if (done.status === 'filled') filled.push(done);
        }
      }
    }
    this.marks.set(candle.symbol, candle.close);
    return filled;
  }

  // Orders whose trigger the leg crosses, in the order the price meets them.
  private triggeredOn(symbol: string, leg: PathLeg): Order[] {
    const resting = [...(this.resting.get(symbol)?.values() ?? [])].filter((o) => o.trigger_price !== undefined);
    const hits = resting.filter((o) => crossedOn(leg, o.trigger_price!, triggerDirection(o)));
    return hits.sort((a, b) => (leg.to >= leg.from ? a.trigger_price! - b.trigger_price! : b.trigger_price! - a.trigger_price!));
  }

  private fill(order: Order, rawPrice: number, time: number, why: string): Order {
    const rules = this.marketRules(order.symbol);
    const price = roundTo(rawPrice, rules.tick_size);
    const position = this.net.get(order.symbol) ?? { quantity: 0, entry_price: 0 };
    const signed = order.side === 'buy' ? 1 : -1;
    let quantity = order.quantity;
    if (order.reduce_only) {
      const reducible = position.quantity * signed < 0 ? Math.abs(position.quantity) : 0;
      if (reducible <= EPSILON) {
        const cancelled: Order = { ...order, status: 'cancelled', updated_at: time, reason: 'position closed' };
        this.put(cancelled);
        return cancelled;
      }
      quantity = Math.min(quantity, reducible);
    }
    const fee = quantity * price * this.settings.taker_fee_rate;
    const next = position.quantity + signed * quantity;
    let realized = 0;
    if (position.quantity !== 0 && Math.sign(position.quantity) !== signed) {
      const closing = Math.min(quantity, Math.abs(position.quantity));
      realized = (price - position.entry_price) * closing * Math.sign(position.quantity);
    }
    this.cash += realized - fee;
    if (Math.abs(next) <= EPSILON) {
      this.net.delete(order.symbol);
      this.cancelReduceOnly(order.symbol, time, order.client_id);
    } else if (position.quantity === 0 || Math.sign(next) !== Math.sign(position.quantity)) {
      this.net.set(order.symbol, { quantity: next, entry_price: price });
    } else if (Math.abs(next) > Math.abs(position.quantity)) {
      const entry = (position.entry_price * Math.abs(position.quantity) + price * quantity) / Math.abs(next);
      this.net.set(order.symbol, { quantity: next, entry_price: entry });
    } else {
      this.net.set(order.symbol, { quantity: next, entry_price: position.entry_price });
    }
    const filled: Order = { ...order, status: 'filled', updated_at: time, fill_price: price, filled_quantity: quantity, fee, reason: why };
    this.put(filled);
    return filled;
  }

  private cancelReduceOnly(symbol: string, time: number, except: string): void {
    for (const o of [...(this.resting.get(symbol)?.values() ?? [])]) {
      if (o.reduce_only && o.client_id !== except) this.put({ ...o, status: 'cancelled', updated_at: time, reason: 'position closed' });
    }
  }

  private slipped(price: number, side: 'buy' | 'sell', symbol: string): number {
    const moved = price * (1 + (side === 'buy' ? 1 : -1) * this.settings.slippage_pct);
    return roundTo(moved, this.marketRules(symbol).tick_size);
  }

  private requestProblem(r: OrderRequest): string | undefined {
    const rules = this.marketRules(r.symbol);
    if (!(r.quantity > 0) || !Number.isFinite(r.quantity)) return `quantity must be positive, got ${r.quantity}`;
    if (Math.abs(r.quantity / rules.step_size - Math.round(r.quantity / rules.step_size)) > 1e-6) return `quantity ${r.quantity} is not a multiple of the step size ${rules.step_size}`;
    if (r.quantity < rules.min_quantity - EPSILON) return `quantity ${r.quantity} is under the minimum ${rules.min_quantity}`;
    if (!(r.expected_price > 0)) return `expected price must be positive, got ${r.expected_price}`;
    if (r.type !== 'market' && !(r.trigger_price !== undefined && r.trigger_price > 0)) return `${r.type} needs a positive trigger price`;
    const position = this.net.get(r.symbol);
    const signed = r.side === 'buy' ? 1 : -1;
    if (r.reduce_only && r.type === 'market' && !(position !== undefined && position.quantity * signed < 0)) return 'reduce-only order would not reduce a position';
    if (!r.reduce_only) {
      const notional = r.quantity * r.expected_price;
      if (notional < rules.min_notional) return `notional ${notional.toFixed(2)} is under the minimum ${rules.min_notional}`;
      const usedMargin = [...this.net].reduce((sum, [, p]) => sum + Math.abs(p.quantity) * p.entry_price, 0) / this.settings.leverage;
      if (usedMargin + notional / this.settings.leverage > this.equity()) return 'insufficient margin';
    }
    return undefined;
  }

  private put(order: Order): void {
    this.orders.set(order.client_id, order);
    let resting = this.resting.get(order.symbol);
    if (order.status === 'new') {
      if (resting === undefined) this.resting.set(order.symbol, (resting = new Map()));
      resting.set(order.client_id, order);
    } else {
      resting?.delete(order.client_id);
    }
  }

  private reject(request: OrderRequest, reason: string): never {
    this.put({
      client_id: request.client_id, symbol: request.symbol, side: request.side, type: request.type, purpose: request.purpose, quantity: request.quantity,
      reduce_only: request.reduce_only, position_id: request.position_id, status: 'rejected', created_at: request.time, updated_at: request.time, reason,
    });
    throw new OrderRejected(request.client_id, reason);
  }
}

/** A sell stop and a buy take-profit trigger on a falling price; a buy stop and a sell take-profit on a rising one. */
function triggerDirection(order: Order): 'falling' | 'rising' {
  const stop = order.type === 'stop-market';
  return (order.side === 'sell') === stop ? 'falling' : 'rising';
}

function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number((Math.round(value / step) * step).toFixed(Math.min(decimals, 12)));
}
