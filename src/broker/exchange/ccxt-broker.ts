import ccxt, { type Exchange, type Order as CcxtOrder } from 'ccxt';
import { InputError } from '../../config/problem.js';
import type { Logger } from '../../logger.js';
import { OrderRejected, VenueAuthenticationError, VenueUnavailable, type Broker, type OrderRequest, type VenuePosition } from '../broker.js';
import type { MarketRules, Order, OrderStatus } from '../model.js';
import { binanceUsdmClient } from '../../exchange/binance-usdm.js';
import { parseClientId } from './client-ids.js';

export interface ExchangeSettings {
  /** ccxt exchange id; only Binance USDⓈ-M futures is supported. */
  readonly exchange: 'binanceusdm';
  /** From the environment; absent for market data only (paper trading on live data). */
  readonly credentials?: { readonly apiKey: string; readonly secret: string };
  /** Binance's demo-trading environment instead of the real exchange. */
  readonly demo?: boolean;
  /** Replaces the exchange's host in every API URL (tests point ccxt at a local server). */
  readonly baseUrl?: string;
  readonly leverage: number;
  readonly marginMode: 'cross' | 'isolated';
  /** Fee assumed per fill (the order endpoints do not report it), as a fraction of notional. */
  readonly takerFeeRate: number;
  readonly timeoutMs?: number;
  readonly retry?: { readonly attempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  /** Consecutive failed calls after which new entries stop until the exchange answers again. */
  readonly circuitFailures?: number;
  readonly logger: Logger;
}

/** The exchange could not be reached after every retry; nothing was lost, the caller tries again later. */
export class ExchangeUnavailable extends VenueUnavailable {
  constructor(what: string, cause: unknown) {
    super(`${what}: exchange unavailable after retries (${(cause as Error).message})`);
    this.name = 'ExchangeUnavailable';
  }
}

// ccxt's OperationFailed covers network errors, timeouts, rate limits, outages and the exchange's own
// "internal error, try again" answers: everything that may succeed when repeated.
const TRANSIENT = [ccxt.OperationFailed];

/**
 * The Broker on a real exchange through ccxt. Entries and exits are market orders; stops and
 * take-profits are reduce-only conditional orders (Binance's algo-order endpoint, as ccxt routes them);
 * a trailing stop moves by cancel/replace. Every call is retried with exponential backoff and jitter on
 * network faults, timeouts, rate limits and exchange outages; a create is retried with the same client
 * id and checked by id first, so it can never be placed twice. Funds and order errors are not retried.
 */
export class CcxtBroker implements Broker {
  readonly name: string;
  private readonly exchange: Exchange;
  private readonly rules = new Map<string, MarketRules>();
  /** Conditional orders we placed and still consider resting, by client id. */
  private readonly resting = new Map<string, Order>();
  private failures = 0;

  private constructor(private readonly settings: ExchangeSettings, exchange: Exchange) {
    this.exchange = exchange;
    this.name = `${settings.exchange}${settings.demo ? ' (demo)' : ''}`;
  }

  static async connect(settings: ExchangeSettings, symbols: readonly string[]): Promise<CcxtBroker> {
    const exchange = binanceUsdmClient(settings);
    const broker = new CcxtBroker(settings, exchange);
    await broker.call('loading markets', () => exchange.loadMarkets());
    for (const symbol of symbols) broker.rules.set(symbol, broker.rulesOf(symbol));
    if (settings.credentials !== undefined) {
      for (const symbol of symbols) {
        await broker.call(`setting ${symbol} leverage`, () => exchange.setLeverage(settings.leverage, broker.unified(symbol)));
        await broker.call(`setting ${symbol} margin mode`, () => exchange.setMarginMode(settings.marginMode, broker.unified(symbol))).catch((error: unknown) => {
          // Binance refuses to "change" a margin mode to the one already set (-4046); that is success.
          if (!/No need to change margin type/i.test((error as Error).message)) throw error;
        });
      }
      for (const order of await broker.openOrders()) if (order.type !== 'market') broker.resting.set(order.client_id, order);
    }
    return broker;
  }

  /** Why new entries should wait (repeated failures), or undefined when the exchange answers. */
  halted(): string | undefined {
    const limit = this.settings.circuitFailures ?? 3;
    return this.failures >= limit ? `${this.failures} consecutive exchange failures: no new entries until it answers again` : undefined;
  }

  marketRules(symbol: string): MarketRules {
    let rules = this.rules.get(symbol);
    if (rules === undefined) {
      rules = this.rulesOf(symbol);
      this.rules.set(symbol, rules);
    }
    return rules;
  }

  async submit(request: OrderRequest): Promise<Order> {
    const symbol = this.unified(request.symbol);
    const conditional = request.type !== 'market';
    const params: Record<string, unknown> = conditional
      ? { triggerPrice: request.trigger_price, reduceOnly: true, clientOrderId: request.client_id }
      : { newClientOrderId: request.client_id, ...(request.reduce_only ? { reduceOnly: true } : {}) };
    const type = request.type === 'market' ? 'market' : request.type === 'stop-market' ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET';
    const existing = () => this.find(request.client_id, request.symbol, conditional);
    let placed: CcxtOrder;
    try {
      placed = await this.call(`placing ${request.client_id}`, () => this.exchange.createOrder(symbol, type, request.side, request.quantity, undefined, params), existing);
    } catch (error) {
      if (/duplicated/i.test((error as Error).message)) {
        const found = await existing();
        if (found !== undefined) return this.order$(found, request);
      }
      // The exchange answered and said no (funds, precision, notional, …): that order is refused, not retried.
      if (error instanceof ccxt.ExchangeError && !(error instanceof ccxt.AuthenticationError)) {
        throw new OrderRejected(request.client_id, (error as Error).message.replace(/^binanceusdm\s*/, ''));
      }
      throw error;
    }
    const order = this.order$(placed, request);
    if (conditional && order.status === 'new') this.resting.set(order.client_id, order);
    return order;
  }

  async cancel(clientId: string, symbol: string, time: number): Promise<Order | undefined> {
    const known = this.resting.get(clientId);
    try {
      const conditional = known === undefined || known.type !== 'market';
      await this.call(`cancelling ${clientId}`, () => this.exchange.cancelOrder('', this.unified(symbol), { clientOrderId: clientId, ...(conditional ? { trigger: true } : {}) }));
    } catch (error) {
      if (error instanceof ccxt.OrderNotFound || /Unknown order/i.test((error as Error).message)) {
        this.resting.delete(clientId);
        return undefined;
      }
      throw error;
    }
    this.resting.delete(clientId);
    return known === undefined ? undefined : { ...known, status: 'cancelled', updated_at: time, reason: 'cancelled by the client' };
  }

  /** Open orders of one symbol, or of every traded symbol (asked one by one: Binance weighs an all-symbol query 40 times). */
  async openOrders(symbol?: string): Promise<readonly Order[]> {
    const orders: Order[] = [];
    for (const id of symbol === undefined ? [...this.rules.keys()] : [symbol]) {
      const unified = this.unified(id);
      const regular = await this.call(`reading open orders of ${id}`, () => this.exchange.fetchOpenOrders(unified));
      const conditional = await this.call(`reading open conditional orders of ${id}`, () => this.exchange.fetchOpenOrders(unified, undefined, undefined, { trigger: true }));
      for (const o of [...regular, ...conditional]) {
        const order = this.fromExchange(o);
        if (order !== undefined) orders.push(order);
      }
    }
    return orders;
  }

  async order(clientId: string, symbol: string): Promise<Order | undefined> {
    const parsed = parseClientId(clientId);
    const conditional = parsed !== undefined && parsed.purpose !== 'entry' && parsed.purpose !== 'exit';
    const found = await this.find(clientId, symbol, conditional);
    return found === undefined ? undefined : this.fromExchange(found);
  }

  async balance(): Promise<number> {
    const balance = await this.call('reading the balance', () => this.exchange.fetchBalance());
    const info = balance['info'] as { totalWalletBalance?: string };
    return Number(info.totalWalletBalance ?? (balance['USDT'] as { total?: number } | undefined)?.total ?? 0);
  }

  async positions(): Promise<readonly VenuePosition[]> {
    const positions = await this.call('reading positions', () => this.exchange.fetchPositions());
    return positions
      .filter((p) => Number(p.contracts ?? 0) !== 0)
      .map((p) => ({ symbol: this.idOf(p.symbol), quantity: (p.side === 'short' ? -1 : 1) * Math.abs(Number(p.contracts)), entry_price: Number(p.entryPrice) }));
  }

  /**
   * The resting orders that the exchange filled (or dropped) since the last call, in fill order: what the
   * executor's next cycle applies. A conditional order that fired is reported with the fill of the market
   * order it became.
   */
  async collectFills(): Promise<Order[]> {
    if (this.resting.size === 0) return [];
    const open = new Set((await this.openOrders()).map((o) => o.client_id));
    const done: Order[] = [];
    for (const [clientId, order] of [...this.resting]) {
      if (open.has(clientId)) continue;
      const found = await this.find(clientId, order.symbol, true);
      this.resting.delete(clientId);
      if (found === undefined) continue;
      const now = this.fromExchange(found);
      if (now !== undefined) done.push(now);
    }
    return done.sort((a, b) => a.updated_at - b.updated_at);
  }

  // --- mapping --------------------------------------------------------------------------------------

  private async find(clientId: string, symbol: string, conditional: boolean): Promise<CcxtOrder | undefined> {
    try {
      const order = await this.call(`reading ${clientId}`, () => this.exchange.fetchOrder('', this.unified(symbol), { clientOrderId: clientId, ...(conditional ? { trigger: true } : {}) }));
      const info = order.info as { algoStatus?: string; actualOrderId?: string };
      if (conditional && info.algoStatus === 'FINISHED' && info.actualOrderId !== undefined) {
        // The conditional order fired: its fill is the market order it became.
        const actual = await this.call(`reading the fill of ${clientId}`, () => this.exchange.fetchOrder(String(info.actualOrderId), this.unified(symbol)));
        return { ...actual, clientOrderId: clientId, info: { ...actual.info, algo: order.info } };
      }
      return order;
    } catch (error) {
      if (error instanceof ccxt.OrderNotFound || /does not exist/i.test((error as Error).message)) return undefined;
      throw error;
    }
  }

  private order$(placed: CcxtOrder, request: OrderRequest): Order {
    return this.fromExchange(placed, request) ?? {
      client_id: request.client_id, symbol: request.symbol, side: request.side, type: request.type, purpose: request.purpose, quantity: request.quantity,
      reduce_only: request.reduce_only, position_id: request.position_id, status: 'new', created_at: request.time, updated_at: request.time,
    };
  }

  private fromExchange(o: CcxtOrder, request?: OrderRequest): Order | undefined {
    const clientId = o.clientOrderId ?? request?.client_id;
    const parsed = clientId === undefined ? undefined : parseClientId(clientId);
    if (clientId === undefined || parsed === undefined) return undefined; // not ours (placed by hand)
    const info = o.info as { algoStatus?: string; algo?: { orderType?: string; triggerPrice?: string } };
    const status: OrderStatus =
      info.algoStatus === 'NEW' ? 'new'
      : info.algoStatus === 'CANCELED' || info.algoStatus === 'EXPIRED' ? 'cancelled'
      : o.status === 'open' ? 'new' : o.status === 'closed' ? 'filled' : o.status === 'rejected' ? 'rejected' : 'cancelled';
    const filled = Number(o.filled ?? 0);
    const average = Number(o.average ?? 0);
    const conditionalType = (info.algo?.orderType ?? (o.type ?? '')).toUpperCase();
    const type: Order['type'] = conditionalType.startsWith('STOP') ? 'stop-market' : conditionalType.startsWith('TAKE_PROFIT') ? 'take-profit-market' : 'market';
    const trigger = o.triggerPrice ?? (info.algo?.triggerPrice === undefined ? undefined : Number(info.algo.triggerPrice));
    const time = o.lastUpdateTimestamp ?? o.timestamp ?? request?.time ?? Date.now();
    return {
      client_id: clientId,
      symbol: this.idOf(o.symbol),
      side: (o.side ?? request?.side) as Order['side'],
      type: request?.type ?? type,
      purpose: request?.purpose ?? parsed.purpose,
      quantity: Number(o.amount ?? request?.quantity ?? 0),
      ...(trigger === undefined ? {} : { trigger_price: trigger }),
      reduce_only: Boolean(o.reduceOnly ?? request?.reduce_only ?? false),
      position_id: request?.position_id ?? parsed.positionId,
      status,
      created_at: o.timestamp ?? request?.time ?? time,
      updated_at: time,
      ...(status === 'filled' ? { fill_price: average, filled_quantity: filled, fee: average * filled * this.settings.takerFeeRate } : {}),
    };
  }

  private rulesOf(symbol: string): MarketRules {
    const market = this.exchange.market(this.unified(symbol));
    const step = Number(market.precision.amount);
    const tick = Number(market.precision.price);
    return {
      symbol,
      step_size: step,
      tick_size: tick,
      min_quantity: Number(market.limits.amount?.min ?? step),
      min_notional: Number(market.limits.cost?.min ?? 0),
    };
  }

  private unified(id: string): string {
    const markets = this.exchange.markets_by_id?.[id];
    if (markets === undefined || markets.length === 0) throw new InputError(`${this.name} has no USDⓈ-M market ${id} (check --symbols)`);
    return markets[0]!.symbol;
  }

  private idOf(symbol: string | undefined): string {
    return symbol === undefined ? '' : (this.exchange.market(symbol).id ?? '');
  }

  // --- retries ---------------------------------------------------------------------------------------

  /**
   * Runs an exchange call, retrying transient failures with exponential backoff and full jitter (and at
   * least the Retry-After a rate limit asks for). `alreadyDone` is asked before each retry of a write:
   * a create that timed out may have reached the exchange.
   */
  private async call<T>(what: string, body: () => Promise<T>, alreadyDone?: () => Promise<unknown>): Promise<T> {
    const retry = this.settings.retry ?? { attempts: 5, baseDelayMs: 250, maxDelayMs: 8_000 };
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await body();
        if (this.failures > 0) this.settings.logger.info({ after_failures: this.failures }, 'exchange answering again');
        this.failures = 0;
        return result;
      } catch (error) {
        if (!TRANSIENT.some((kind) => error instanceof kind)) {
          if (error instanceof ccxt.AuthenticationError) throw new VenueAuthenticationError(`${this.name}: ${what}: the exchange refused the API key (${(error as Error).message.replace(/^binanceusdm\s*/, '')}); check QT_EXCHANGE_API_KEY / QT_EXCHANGE_API_SECRET and the key's permissions`);
          throw error;
        }
        this.failures++;
        const delay = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        const wait = error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection ? Math.max(delay, 1000) : delay;
        this.settings.logger.warn({ attempt, of: retry.attempts, wait_ms: Math.round(wait), error: (error as Error).constructor.name }, `${what}: ${(error as Error).message.slice(0, 200)}`);
        if (attempt >= retry.attempts) throw new ExchangeUnavailable(what, error);
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (alreadyDone !== undefined) {
          const done = await alreadyDone().catch(() => undefined);
          if (done !== undefined) return done as T;
        }
      }
    }
  }
}
