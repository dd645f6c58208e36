import type { Candle } from '../../market/candle.js';
import { OrderRejected, type Broker, type OrderRequest, type VenuePosition } from '../broker.js';
import type { MarketRules, Order } from '../model.js';
import { accountProblem, marginProblem, type AccountView } from './account-checks.js';
import { barPath, crossedOn, inPassingOrder, triggerDirection } from './bar-path.js';
import { assertCandle } from './candle-check.js';
import { bookFill, staleReduceOnly } from './fill-booking.js';
import { FillPricing, type Quote } from './fill-pricing.js';
import { marketFillReason, triggeredReason } from './fill-reason.js';
import { FundingLedger } from './funding.js';
import { unrealized, type NetPosition } from './net-position.js';
import { OrderBook } from './order-book.js';
import { placedOrder, rejectedOrder } from './order-records.js';
import type { PaperBrokerHooks, PaperFill } from './paper-fill.js';
import { isFiniteNumber, requestProblem, show } from './request-checks.js';
import { paperBrokerSettings, type PaperBrokerSettings } from './settings.js';
import { PAPER_BROKER_FORMAT, parseSnapshot, type PaperBrokerJSON } from './snapshot.js';

/**
 * A simulated exchange in one-way mode (one net position per symbol).
 *
 * - Market orders fill at once at the caller's expected price (the last close it saw, taken as the mid)
 *   moved against them by half the spread and by `slippage_pct`, rounded to the nearest tick; the fee is
 *   `taker_fee_rate` of the notional. The spread is the last candle's bid/ask when the data has them,
 *   else the configured `spread_pct` (per symbol or default).
 * - Stop and take-profit orders rest until a candle reaches them (see `onCandle` for the intrabar rules).
 * - Reduce-only orders never open or increase a position: refused when placed against nothing to
 *   reduce, capped to the position when larger, cancelled ('position closed') when the position goes.
 * - Funding (when configured) is paid or received at 00:00, 08:00 and 16:00 UTC on the position held at
 *   that time, at the close of the bar that contains it: notional x rate, longs paying a positive rate.
 */
export class PaperBroker implements Broker {
  readonly name = 'paper';
  readonly settings: PaperBrokerSettings;
  /** Fill listener (assignable after construction, e.g. once the executor exists). */
  onFill: ((fill: PaperFill) => void) | undefined;
  private cash: number;
  private readonly net = new Map<string, NetPosition>();
  private readonly book = new OrderBook();
  private readonly pricing: FillPricing;
  private readonly marks = new Map<string, number>();
  private readonly lastBar = new Map<string, number>();
  private fundingLedger: FundingLedger;

  constructor(settings: Partial<PaperBrokerSettings> = {}, hooks: PaperBrokerHooks = {}) {
    this.settings = paperBrokerSettings(settings);
    this.cash = this.settings.initial_balance;
    this.onFill = hooks.onFill;
    this.pricing = new FillPricing(this.settings);
    this.fundingLedger = new FundingLedger(this.settings.funding);
  }

  /** Rebuilds a venue from `toJSON()`; a snapshot that does not check out throws, naming the bad field. */
  static restore(json: unknown, settings: Partial<PaperBrokerSettings> = {}, hooks: PaperBrokerHooks = {}): PaperBroker {
    const saved = parseSnapshot(json);
    const broker = new PaperBroker(settings, hooks);
    broker.cash = saved.balance;
    for (const p of saved.positions) broker.net.set(p.symbol, { quantity: p.quantity, entry_price: p.entry_price });
    for (const o of saved.orders) broker.book.put(o);
    for (const m of saved.marks) broker.marks.set(m.symbol, m.price);
    for (const b of saved.bars ?? []) broker.lastBar.set(b.symbol, b.close_time);
    broker.fundingLedger = new FundingLedger(broker.settings.funding, saved.funding ?? []);
    return broker;
  }

  toJSON(): PaperBrokerJSON {
    return {
      format: PAPER_BROKER_FORMAT,
      balance: this.cash,
      positions: [...this.net].map(([symbol, p]) => ({ symbol, quantity: p.quantity, entry_price: p.entry_price })),
      orders: this.book.orders(),
      marks: [...this.marks].map(([symbol, price]) => ({ symbol, price })),
      bars: [...this.lastBar].map(([symbol, close_time]) => ({ symbol, close_time })),
      funding: this.fundingLedger.toJSON(),
    };
  }

  /** Funding received (positive) or paid (negative) since the start, in total and per symbol. */
  funding(): { readonly total: number; readonly by_symbol: Readonly<Record<string, number>> } {
    return this.fundingLedger.summary();
  }

  /** Best bid and ask: the last candle's when it had them, else the mark +- half the configured spread; undefined when neither is known. */
  async quote(symbol: string): Promise<Quote | undefined> {
    return this.pricing.quote(symbol, this.marks.get(symbol));
  }

  /** How far from the close a market entry is expected to fill: half the spread plus the slippage. */
  expectedEntryCost(symbol: string): number {
    return this.pricing.expectedEntryCost(symbol);
  }

  marketRules(symbol: string): MarketRules {
    return { symbol, ...this.settings.market_rules, ...this.settings.symbol_rules?.[symbol] };
  }

  /**
   * Places an order. A client id seen before answers with that order as it stands now (a rejected one
   * throws the same rejection again); nothing is placed or filled twice. Refusals throw OrderRejected
   * and are remembered.
   */
  async submit(request: OrderRequest): Promise<Order> {
    if (typeof request.client_id !== 'string' || request.client_id === '') {
      // Without a usable id there is nothing to remember the refusal under.
      throw new OrderRejected(String(request.client_id), `client_id must be a non-empty string, got ${show(request.client_id)}`);
    }
    const known = this.book.get(request.client_id);
    if (known !== undefined) {
      if (known.status === 'rejected') throw new OrderRejected(known.client_id, known.reason ?? 'rejected');
      return known;
    }
    const rules = this.marketRules(request.symbol);
    const malformed = requestProblem(request, rules);
    if (malformed !== undefined) return this.reject(request, malformed);
    const order = placedOrder(request);
    const fillPrice = order.type === 'market' ? this.pricing.slipped(request.expected_price, order.side, rules, order.symbol) : order.trigger_price!;
    const refused = accountProblem(order, fillPrice, rules, this.accountView());
    if (refused !== undefined) return this.reject(request, refused);
    if (order.type !== 'market') {
      this.book.put(order);
      return order;
    }
    if (!this.marks.has(order.symbol)) this.marks.set(order.symbol, request.expected_price);
    const done = this.fill(order, fillPrice, request.time, marketFillReason(request.expected_price, this.settings.slippage_pct));
    this.onFill?.({ order: done.order, expected_price: request.expected_price, realized_pnl: done.realized });
    return done.order;
  }

  async cancel(clientId: string, symbol: string, time: number): Promise<Order | undefined> {
    if (!isFiniteNumber(time)) throw new RangeError(`paper broker: cancel time must be epoch milliseconds, got ${show(time)}`);
    const order = this.book.get(clientId);
    if (order === undefined || order.symbol !== symbol || order.status !== 'new') return undefined;
    const cancelled: Order = { ...order, status: 'cancelled', updated_at: time, reason: 'cancelled by the client' };
    this.book.put(cancelled);
    return cancelled;
  }

  async order(clientId: string, symbol?: string): Promise<Order | undefined> {
    const order = this.book.get(clientId);
    return symbol === undefined || order?.symbol === symbol ? order : undefined;
  }

  async openOrders(symbol?: string): Promise<readonly Order[]> {
    return this.book.restingOrders(symbol);
  }

  /** Cash: initial balance + realised PnL − fees. */
  async balance(): Promise<number> {
    return this.cash;
  }

  /** Unrealised PnL of every position at its last mark (the entry price until a mark exists). */
  unrealizedPnl(): number {
    let total = 0;
    for (const [symbol, p] of this.net) total += unrealized(p, this.marks.get(symbol) ?? p.entry_price);
    return total;
  }

  /** Balance plus unrealised PnL at the last marks. */
  equity(): number {
    return this.cash + this.unrealizedPnl();
  }

  async positions(): Promise<readonly VenuePosition[]> {
    return [...this.net].map(([symbol, p]) => ({ symbol, quantity: p.quantity, entry_price: p.entry_price }));
  }

  /** Sets the price unrealised PnL is measured at (onCandle does this with each close). */
  mark(symbol: string, price: number): void {
    if (typeof symbol !== 'string' || symbol === '') throw new RangeError(`paper broker: mark needs a symbol, got ${show(symbol)}`);
    if (!isFiniteNumber(price) || price <= 0) throw new RangeError(`paper broker: mark price of ${symbol} must be positive, got ${show(price)}`);
    this.marks.set(symbol, price);
  }

  /**
   * Lets one closed bar act on the resting orders of its symbol, then marks the symbol at the close.
   * Returns the orders filled in this bar, in the order they filled. A bar not newer than the last one
   * processed for its symbol is ignored, so a bar handed over twice cannot trade twice.
   *
   * Intrabar resolution, since a candle does not tell the order of its prices (each fill's `reason` says
   * which rule applied):
   * - a bar that opens beyond a stop's trigger (a gap) fills the stop at the open, the worse price;
   *   a take-profit the bar opened beyond fills at its trigger, not at the better open;
   * - the price is assumed to visit first the extreme that hurts the position (see bar-path.ts): when a
   *   stop and a take-profit are both inside the bar, the stop fills first and the take-profit is then
   *   cancelled with the position;
   * - take-profits on the same side fill in price order from the open (a partial one before the full one);
   * - stop fills get the adverse slippage; take-profits fill at their trigger, with no favourable slippage.
   */
  onCandle(candle: Candle): Order[] {
    assertCandle(candle);
    const symbol = candle.symbol;
    const previous = this.lastBar.get(symbol);
    if (previous !== undefined && candle.closeTime <= previous) return [];
    const fills: PaperFill[] = [];
    // Nothing resting for the symbol (most bars of a backtest): the bar's path can trigger nothing, and
    // neither the market rules nor the reachable targets are needed (building them per bar showed in profiles).
    if (this.book.hasResting(symbol)) this.fillTriggered(candle, fills);
    this.cash += this.fundingLedger.settle(symbol, this.net.get(symbol)?.quantity ?? 0, previous, candle);
    this.marks.set(symbol, candle.close);
    this.lastBar.set(symbol, candle.closeTime);
    this.pricing.record(candle);
    // Listeners hear of the fills only once the whole bar is booked: a throwing listener cannot leave it half done.
    for (const fill of fills) this.onFill?.(fill);
    return fills.map((f) => f.order);
  }

  /** The resting orders of the candle's symbol that its path triggers, filled in passing order (see onCandle). */
  private fillTriggered(candle: Candle, fills: PaperFill[]): void {
    const symbol = candle.symbol;
    const rules = this.marketRules(symbol);
    const held = this.net.get(symbol)?.quantity ?? 0;
    // Take-profits the bar reaches: if a stop fills first, its reason says the order was assumed.
    const reachableTargets = this.book.restingOrders(symbol).filter((o) => o.type === 'take-profit-market' && o.trigger_price! >= candle.low && o.trigger_price! <= candle.high);
    for (const leg of barPath(candle, held > 0 ? 'long' : held < 0 ? 'short' : 'flat')) {
      const hits = inPassingOrder(leg, this.book.restingOrders(symbol).filter((o) => crossedOn(leg, o.trigger_price!, triggerDirection(o))));
      for (const hit of hits) {
        // An earlier fill of this bar may have closed the position and cancelled this order with it.
        const order = this.book.restingOrder(symbol, hit.client_id);
        if (order === undefined) continue;
        const trigger = order.trigger_price!;
        const stop = order.type === 'stop-market';
        const gapped = leg.gap === true;
        const price = stop ? this.pricing.slipped(gapped ? candle.open : trigger, order.side, rules, symbol) : trigger;
        if (!order.reduce_only) {
          const refused = marginProblem(order, price, this.accountView());
          if (refused !== undefined) {
            this.book.put({ ...order, status: 'cancelled', updated_at: candle.closeTime, reason: `${refused} when triggered` });
            continue;
          }
        }
        const rivals = stop && order.reduce_only ? reachableTargets.filter((t) => t.side === order.side) : [];
        const why = triggeredReason(order, gapped ? candle.open : undefined, this.settings.slippage_pct, rivals);
        const done = this.fill(order, price, candle.closeTime, why);
        if (done.order.status === 'filled') fills.push({ order: done.order, expected_price: trigger, realized_pnl: done.realized });
      }
    }
  }

  /** Books a fill; a reduce-only order with nothing left to reduce is cancelled instead. */
  private fill(order: Order, price: number, time: number, why: string): { order: Order; realized: number } {
    const booked = bookFill(order, price, this.net.get(order.symbol), this.cash, this.marketRules(order.symbol).step_size, this.settings.taker_fee_rate);
    if (booked === undefined) {
      const cancelled: Order = { ...order, status: 'cancelled', updated_at: time, reason: 'position closed' };
      this.book.put(cancelled);
      return { order: cancelled, realized: 0 };
    }
    this.cash = booked.cash;
    if (booked.effect.position === undefined) this.net.delete(order.symbol);
    else this.net.set(order.symbol, booked.effect.position);
    const filled: Order = { ...order, status: 'filled', updated_at: time, fill_price: price, filled_quantity: booked.quantity, fee: booked.fee, reason: why };
    this.book.put(filled);
    const held = booked.effect.position?.quantity ?? 0;
    for (const o of staleReduceOnly(this.book.restingOrders(order.symbol), held)) this.book.put({ ...o, status: 'cancelled', updated_at: time, reason: 'position closed' });
    return { order: filled, realized: booked.effect.realized };
  }

  private accountView(): AccountView {
    return { positions: this.net, leverage: this.settings.leverage, equity: () => this.equity() };
  }

  /** Remembers the refusal and throws it. */
  private reject(request: OrderRequest, reason: string): never {
    this.book.put(rejectedOrder(request, reason));
    throw new OrderRejected(request.client_id, reason);
  }
}
