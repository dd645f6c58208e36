import type { Candle } from '../../market/candle.js';
import { OrderRejected, type Broker, type OrderRequest, type VenuePosition } from '../broker.js';
import type { MarketRules, Order, OrderSide } from '../model.js';
import { barPath, crossedOn, inPassingOrder, triggerDirection } from './bar-path.js';
import { FundingLedger } from './funding.js';
import { roundTo } from './increments.js';
import { applyFill, unrealized, type NetPosition } from './net-position.js';
import { isFiniteNumber, requestProblem, show } from './request-checks.js';
import { paperBrokerSettings, type PaperBrokerSettings } from './settings.js';
import { PAPER_BROKER_FORMAT, parseSnapshot, type PaperBrokerJSON } from './snapshot.js';

/** What the executor needs to report an AccountEvent 'fill' (slippage) and to account the trade. */
export interface PaperFill {
  readonly order: Order;
  /** The price the order was expected to fill at: the caller's expected price, or the trigger price. */
  readonly expected_price: number;
  /** Gross PnL this fill realised (0 for a fill that only opens or adds); the fee is `order.fee`. */
  readonly realized_pnl: number;
}

export interface PaperBrokerHooks {
  /** Called after every fill, once the venue's state already includes it. */
  readonly onFill?: (fill: PaperFill) => void;
}

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
  /** Every order ever seen, by client id: the memory that makes submit idempotent. */
  private readonly orders = new Map<string, Order>();
  /** Resting (status new) orders per symbol, in placement order: the ones a candle can act on. */
  private readonly resting = new Map<string, Map<string, Order>>();
  private readonly marks = new Map<string, number>();
  private readonly lastBar = new Map<string, number>();
  /** Bid/ask of the last candle that had them, per symbol. */
  private readonly quotes = new Map<string, { readonly bid: number; readonly ask: number }>();
  private fundingLedger: FundingLedger;

  constructor(settings: Partial<PaperBrokerSettings> = {}, hooks: PaperBrokerHooks = {}) {
    this.settings = paperBrokerSettings(settings);
    this.cash = this.settings.initial_balance;
    this.onFill = hooks.onFill;
    this.fundingLedger = new FundingLedger(this.settings.funding);
  }

  /** Rebuilds a venue from `toJSON()`; a snapshot that does not check out throws, naming the bad field. */
  static restore(json: unknown, settings: Partial<PaperBrokerSettings> = {}, hooks: PaperBrokerHooks = {}): PaperBroker {
    const saved = parseSnapshot(json);
    const broker = new PaperBroker(settings, hooks);
    broker.cash = saved.balance;
    for (const p of saved.positions) broker.net.set(p.symbol, { quantity: p.quantity, entry_price: p.entry_price });
    for (const o of saved.orders) broker.put(o);
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
      orders: [...this.orders.values()],
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
  async quote(symbol: string): Promise<{ readonly bid: number; readonly ask: number } | undefined> {
    const recorded = this.quotes.get(symbol);
    if (recorded !== undefined) return recorded;
    const mark = this.marks.get(symbol);
    const half = this.configuredSpread(symbol) / 2;
    if (mark === undefined || !(half > 0)) return undefined;
    return { bid: mark * (1 - half), ask: mark * (1 + half) };
  }

  /** How far from the close a market entry is expected to fill: half the spread plus the slippage. */
  expectedEntryCost(symbol: string): number {
    return this.halfSpread(symbol) + this.settings.slippage_pct;
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
    const known = this.orders.get(request.client_id);
    if (known !== undefined) {
      if (known.status === 'rejected') throw new OrderRejected(known.client_id, known.reason ?? 'rejected');
      return known;
    }
    const rules = this.marketRules(request.symbol);
    const malformed = requestProblem(request, rules);
    if (malformed !== undefined) return this.reject(request, malformed);
    const order: Order = {
      client_id: request.client_id,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      purpose: request.purpose,
      // Echoed exactly as asked (the caller's arithmetic matches fills to its own numbers); on the grid within float dust.
      quantity: request.quantity,
      ...(request.type === 'market' ? {} : { trigger_price: request.trigger_price! }),
      reduce_only: request.reduce_only,
      position_id: request.position_id,
      status: 'new',
      created_at: request.time,
      updated_at: request.time,
    };
    const fillPrice = order.type === 'market' ? this.slipped(request.expected_price, order.side, rules, order.symbol) : order.trigger_price!;
    const refused = this.accountProblem(order, fillPrice, rules);
    if (refused !== undefined) return this.reject(request, refused);
    if (order.type !== 'market') {
      this.put(order);
      return order;
    }
    if (!this.marks.has(order.symbol)) this.marks.set(order.symbol, request.expected_price);
    const done = this.fill(order, fillPrice, request.time, `market order filled at the expected price ${request.expected_price} moved ${percent(this.settings.slippage_pct)} against it`);
    this.onFill?.({ order: done.order, expected_price: request.expected_price, realized_pnl: done.realized });
    return done.order;
  }

  async cancel(clientId: string, symbol: string, time: number): Promise<Order | undefined> {
    if (!isFiniteNumber(time)) throw new RangeError(`paper broker: cancel time must be epoch milliseconds, got ${show(time)}`);
    const order = this.orders.get(clientId);
    if (order === undefined || order.symbol !== symbol || order.status !== 'new') return undefined;
    const cancelled: Order = { ...order, status: 'cancelled', updated_at: time, reason: 'cancelled by the client' };
    this.put(cancelled);
    return cancelled;
  }

  async order(clientId: string, symbol?: string): Promise<Order | undefined> {
    const order = this.orders.get(clientId);
    return symbol === undefined || order?.symbol === symbol ? order : undefined;
  }

  async openOrders(symbol?: string): Promise<readonly Order[]> {
    const bySymbol = symbol === undefined ? [...this.resting.values()] : [this.resting.get(symbol) ?? new Map<string, Order>()];
    return bySymbol.flatMap((orders) => [...orders.values()]);
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
    const rules = this.marketRules(symbol);
    const held = this.net.get(symbol)?.quantity ?? 0;
    const restingNow = () => [...(this.resting.get(symbol)?.values() ?? [])];
    // Take-profits the bar reaches: if a stop fills first, its reason says the order was assumed.
    const reachableTargets = restingNow().filter((o) => o.type === 'take-profit-market' && o.trigger_price! >= candle.low && o.trigger_price! <= candle.high);
    const fills: PaperFill[] = [];
    // Nothing resting for the symbol (most bars of a backtest): the bar's path can trigger nothing.
    const legs = (this.resting.get(symbol)?.size ?? 0) === 0 ? [] : barPath(candle, held > 0 ? 'long' : held < 0 ? 'short' : 'flat');
    for (const leg of legs) {
      const hits = inPassingOrder(leg, restingNow().filter((o) => crossedOn(leg, o.trigger_price!, triggerDirection(o))));
      for (const hit of hits) {
        // An earlier fill of this bar may have closed the position and cancelled this order with it.
        const order = this.resting.get(symbol)?.get(hit.client_id);
        if (order === undefined) continue;
        const trigger = order.trigger_price!;
        const stop = order.type === 'stop-market';
        const gapped = leg.gap === true;
        const price = stop ? this.slipped(gapped ? candle.open : trigger, order.side, rules, symbol) : trigger;
        if (!order.reduce_only) {
          const refused = this.marginProblem(order, price);
          if (refused !== undefined) {
            this.put({ ...order, status: 'cancelled', updated_at: candle.closeTime, reason: `${refused} when triggered` });
            continue;
          }
        }
        const rivals = stop && order.reduce_only ? reachableTargets.filter((t) => t.side === order.side) : [];
        const why = triggeredReason(order, gapped ? candle.open : undefined, this.settings.slippage_pct, rivals);
        const done = this.fill(order, price, candle.closeTime, why);
        if (done.order.status === 'filled') fills.push({ order: done.order, expected_price: trigger, realized_pnl: done.realized });
      }
    }
    this.cash += this.fundingLedger.settle(symbol, this.net.get(symbol)?.quantity ?? 0, previous, candle);
    this.marks.set(symbol, candle.close);
    this.lastBar.set(symbol, candle.closeTime);
    if (candle.bid !== undefined && candle.ask !== undefined) this.quotes.set(symbol, { bid: candle.bid, ask: candle.ask });
    // Listeners hear of the fills only once the whole bar is booked: a throwing listener cannot leave it half done.
    for (const fill of fills) this.onFill?.(fill);
    return fills.map((f) => f.order);
  }

  /** Books a fill; a reduce-only order with nothing left to reduce is cancelled instead. */
  private fill(order: Order, price: number, time: number, why: string): { order: Order; realized: number } {
    const rules = this.marketRules(order.symbol);
    const before = this.net.get(order.symbol);
    const sign = order.side === 'buy' ? 1 : -1;
    let quantity = order.quantity;
    if (order.reduce_only) {
      const reducible = before !== undefined && Math.sign(before.quantity) === -sign ? Math.abs(before.quantity) : 0;
      if (reducible === 0) {
        const cancelled: Order = { ...order, status: 'cancelled', updated_at: time, reason: 'position closed' };
        this.put(cancelled);
        return { order: cancelled, realized: 0 };
      }
      // Capped only when really larger: a quantity equal to the position but for float dust closes it as asked.
      if (roundTo(quantity - reducible, rules.step_size) > 0) quantity = reducible;
    }
    const fee = quantity * price * this.settings.taker_fee_rate;
    const effect = applyFill(before, sign * quantity, price, rules.step_size);
    const cash = this.cash + effect.realized - fee;
    if (![fee, cash, effect.realized, effect.position?.quantity ?? 0, effect.position?.entry_price ?? 0].every(Number.isFinite)) {
      throw new Error(`paper broker: fill of ${order.client_id} at ${price} would put a non-finite number on the books`);
    }
    this.cash = cash;
    if (effect.position === undefined) this.net.delete(order.symbol);
    else this.net.set(order.symbol, effect.position);
    const filled: Order = { ...order, status: 'filled', updated_at: time, fill_price: price, filled_quantity: quantity, fee, reason: why };
    this.put(filled);
    this.cancelStaleReduceOnly(order.symbol, time);
    return { order: filled, realized: effect.realized };
  }

  /** Reduce-only orders of a position that closed (or flipped) have nothing left to protect. */
  private cancelStaleReduceOnly(symbol: string, time: number): void {
    const held = this.net.get(symbol)?.quantity ?? 0;
    for (const o of [...(this.resting.get(symbol)?.values() ?? [])]) {
      const reduces = Math.sign(held) === (o.side === 'buy' ? -1 : 1);
      if (o.reduce_only && !reduces) this.put({ ...o, status: 'cancelled', updated_at: time, reason: 'position closed' });
    }
  }

  /** Why the account refuses a well-formed order (undefined when it takes it). */
  private accountProblem(order: Order, price: number, rules: MarketRules): string | undefined {
    const held = this.net.get(order.symbol)?.quantity ?? 0;
    const sign = order.side === 'buy' ? 1 : -1;
    if (order.reduce_only) {
      if (held === 0) return `reduce-only ${order.side} would open a position: there is no ${order.symbol} position to reduce`;
      if (Math.sign(held) === sign) return `reduce-only ${order.side} would increase the ${held > 0 ? 'long' : 'short'} ${order.symbol} position instead of reducing it`;
      return undefined;
    }
    const notional = order.quantity * price;
    if (notional < rules.min_notional) return `notional ${notional.toFixed(2)} is under the minimum notional ${rules.min_notional}`;
    return this.marginProblem(order, price);
  }

  /**
   * Margin is notional / leverage at the entry price, against equity (cash plus unrealised PnL). Only the
   * part of an order that opens or adds needs margin; closing never does. Resting orders reserve none;
   * a resting entry is checked again when it triggers.
   */
  private marginProblem(order: Order, price: number): string | undefined {
    const leverage = this.settings.leverage;
    const before = this.net.get(order.symbol);
    const signed = (order.side === 'buy' ? 1 : -1) * order.quantity;
    const held = before?.quantity ?? 0;
    const opening = held === 0 || Math.sign(held) === Math.sign(signed) ? order.quantity : Math.max(0, order.quantity - Math.abs(held));
    if (opening === 0) return undefined;
    let used = 0;
    for (const [symbol, p] of this.net) if (symbol !== order.symbol) used += (Math.abs(p.quantity) * p.entry_price) / leverage;
    // What stays of this symbol's position before the new part: all of it when adding, nothing when flipping.
    if (before !== undefined && Math.sign(held) === Math.sign(signed)) used += (Math.abs(held) * before.entry_price) / leverage;
    const needed = (opening * price) / leverage;
    const free = this.equity() - used;
    return needed > free ? `insufficient margin: ${needed.toFixed(2)} USDT needed at ${leverage}x leverage, ${Math.max(0, free).toFixed(2)} free` : undefined;
  }

  /**
   * The price moved against the order by the slippage, then rounded to the nearest tick like every other
   * price in the system (the executor rounds its stops and targets the same way), so that rounding adds
   * no bias of its own on top of the configured slippage.
   */
  private slipped(price: number, side: OrderSide, rules: MarketRules, symbol: string): number {
    const moved = roundTo(price * (1 + (side === 'buy' ? 1 : -1) * (this.settings.slippage_pct + this.halfSpread(symbol))), rules.tick_size);
    // A price under half a tick would round to nothing; one tick is the least the book can trade at.
    return Math.max(moved, rules.tick_size);
  }

  private configuredSpread(symbol: string): number {
    return this.settings.symbol_spread_pct?.[symbol] ?? this.settings.spread_pct;
  }

  /** Half the spread as a fraction of the mid: from the last recorded bid/ask, else the configured spread. */
  private halfSpread(symbol: string): number {
    const q = this.quotes.get(symbol);
    return q !== undefined ? (q.ask - q.bid) / (q.ask + q.bid) : this.configuredSpread(symbol) / 2;
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

  /** Remembers the refusal as it came (malformed numbers as 0, so the snapshot stays valid JSON) and throws it. */
  private reject(request: OrderRequest, reason: string): never {
    const text = (value: unknown) => (typeof value === 'string' ? value : show(value));
    const number = (value: unknown) => (isFiniteNumber(value) ? value : 0);
    this.put({
      client_id: request.client_id,
      symbol: text(request.symbol),
      side: text(request.side) as OrderSide,
      type: text(request.type) as Order['type'],
      purpose: text(request.purpose) as Order['purpose'],
      quantity: number(request.quantity),
      ...(isFiniteNumber(request.trigger_price) ? { trigger_price: request.trigger_price } : {}),
      reduce_only: request.reduce_only === true,
      position_id: text(request.position_id),
      status: 'rejected',
      created_at: number(request.time),
      updated_at: number(request.time),
      reason,
    });
    throw new OrderRejected(request.client_id, reason);
  }
}

// Runs for every candle of a backtest: no closure and no date formatting unless the candle is refused.
function assertCandle(c: Candle): void {
  if (typeof c?.symbol !== 'string' || c.symbol === '') throw new RangeError(`paper broker: candle without a symbol (${whereIs(c)})`);
  if (!isFiniteNumber(c.closeTime)) throw new RangeError(`paper broker: candle ${whereIs(c)} has no valid close time`);
  if (!(isPositive(c.open) && isPositive(c.high) && isPositive(c.low) && isPositive(c.close))) {
    throw new RangeError(`paper broker: candle ${whereIs(c)} needs positive open, high, low and close, got ${[c.open, c.high, c.low, c.close].map(show).join(', ')}`);
  }
  if (c.low > Math.min(c.open, c.close) || c.high < Math.max(c.open, c.close)) {
    throw new RangeError(`paper broker: candle ${whereIs(c)} has open or close outside its low-high range`);
  }
}

function isPositive(x: unknown): boolean {
  return isFiniteNumber(x) && x > 0;
}

function whereIs(c: Candle | undefined): string {
  return `${show(c?.symbol)} closing ${isFiniteNumber(c?.closeTime) ? new Date(c.closeTime).toISOString() : show(c?.closeTime)}`;
}

/** The `reason` of a triggered fill: which intrabar rule set its price, so a reader of the order knows. */
function triggeredReason(order: Order, gapOpen: number | undefined, slippage: number, rivals: readonly Order[]): string {
  const stop = order.type === 'stop-market';
  const how = gapOpen !== undefined
    ? `${order.type} at ${order.trigger_price}: the bar opened beyond it at ${gapOpen}; ` +
      (stop ? `filled at the open with ${percent(slippage)} adverse slippage (a gap fills at the worse price)` : 'filled at the trigger, not at the better open')
    : `${order.type} at ${order.trigger_price} triggered inside the bar; ` +
      (stop ? `filled at the trigger with ${percent(slippage)} adverse slippage` : 'filled at the trigger (no favourable slippage)');
  if (rivals.length === 0) return how;
  const targets = rivals.map((t) => t.trigger_price).join(', ');
  return `${how}; the take-profit at ${targets} was also inside the bar and the stop is assumed to have come first (the candle cannot tell which did)`;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))}%`;
}
