import ccxt, { type Exchange, type Order as CcxtOrder } from 'ccxt';
import { InputError } from '../../config/problem.js';
import type { Logger } from '../../logger.js';
import { OrderRejected, VenueConfigurationError, type Broker, type OrderRequest, type RejectionCode, type VenueOrder, type VenuePosition } from '../broker.js';
import type { MarketRules } from '../model.js';
import { binanceUsdmClient, DEFAULT_RECV_WINDOW_MS, exchangeNow, loadMarketsAfresh } from '../../exchange/binance-usdm.js';
import { clean, DEFAULT_RETRY, ExchangeCalls, type RetrySettings } from '../../exchange/exchange-calls.js';
import { venueOrderOf } from './order-mapping.js';
import { fetchFundingPayments, type FundingPayment } from '../../exchange/funding.js';
import { fetchSpread } from '../../exchange/quotes.js';

export { ExchangeUnavailable } from '../../exchange/exchange-calls.js';

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
  readonly recvWindowMs?: number;
  readonly retry?: RetrySettings;
  /** Consecutive failed calls after which new entries stop until the exchange answers again. */
  readonly circuitFailures?: number;
  readonly logger: Logger;
}

/**
 * The Broker on a real exchange through ccxt. Entries and exits are market orders; stops and
 * take-profits are reduce-only conditional orders (Binance's algo-order endpoint, as ccxt routes them);
 * a trailing stop moves by cancel/replace. Calls are retried on network faults, timeouts, rate limits and
 * outages; an order whose outcome is unknown is looked up by its client id and sent again only once the
 * exchange provably never got it (see ExchangeCalls.write). Funds and order errors are not retried.
 */
export class CcxtBroker implements Broker {
  readonly name: string;
  private readonly rules = new Map<string, MarketRules>();
  private readonly calls: ExchangeCalls;

  private constructor(private readonly settings: ExchangeSettings, private readonly exchange: Exchange) {
    this.name = `${settings.exchange}${settings.demo ? ' (demo)' : ''}`;
    this.calls = new ExchangeCalls(this.name, settings.retry ?? DEFAULT_RETRY, settings.logger, async () => {
      await exchange.loadTimeDifference();
    });
  }

  /**
   * Loads the markets, checks the account is in one-way mode, sets leverage and margin mode. Throws
   * ExchangeUnavailable when the exchange cannot be reached (the caller may try again), InputError for an
   * unknown symbol, VenueAuthenticationError / VenueConfigurationError for what the operator must fix.
   */
  static async connect(settings: ExchangeSettings, symbols: readonly string[]): Promise<CcxtBroker> {
    const exchange = binanceUsdmClient(settings);
    const broker = new CcxtBroker(settings, exchange);
    await broker.calls.read('loading markets', (attempt) => loadMarketsAfresh(exchange, attempt));
    for (const symbol of symbols) broker.rules.set(symbol, broker.rulesOf(symbol));
    if (settings.credentials !== undefined) {
      const mode = await broker.calls.read('reading the position mode', () => exchange.fetchPositionMode());
      if (mode.hedged === true) {
        throw new VenueConfigurationError(`${broker.name}: the account is in hedge mode (dual-side positions); quantum-trader trades one-way mode only: switch Position Mode to One-way in the exchange's preferences and start again`);
      }
      for (const symbol of symbols) {
        await broker.calls.read(`setting ${symbol} leverage`, () => exchange.setLeverage(settings.leverage, broker.unified(symbol)));
        await broker.calls.read(`setting ${symbol} margin mode`, () => exchange.setMarginMode(settings.marginMode, broker.unified(symbol))).catch((error: unknown) => {
          // Binance refuses to "change" a margin mode to the one already set (-4046); that is success.
          if (!/No need to change margin type/i.test((error as Error).message)) throw error;
        });
      }
    }
    return broker;
  }

  /** The exchange's clock. */
  now(): number {
    return exchangeNow(this.exchange);
  }

  /** Why new entries should wait (repeated failures), or undefined when the exchange answers. */
  halted(): string | undefined {
    const limit = this.settings.circuitFailures ?? 3;
    return this.calls.failures >= limit ? `${this.calls.failures} consecutive exchange failures: no new entries until it answers again` : undefined;
  }

  marketRules(symbol: string): MarketRules {
    let rules = this.rules.get(symbol);
    if (rules === undefined) {
      rules = this.rulesOf(symbol);
      this.rules.set(symbol, rules);
    }
    return rules;
  }

  async submit(request: OrderRequest): Promise<VenueOrder> {
    const symbol = this.unified(request.symbol);
    const conditional = request.type !== 'market';
    const params: Record<string, unknown> = conditional
      ? { triggerPrice: request.trigger_price, reduceOnly: true, clientOrderId: request.client_id }
      : { newClientOrderId: request.client_id, ...(request.reduce_only ? { reduceOnly: true } : {}) };
    const type = request.type === 'market' ? 'market' : request.type === 'stop-market' ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET';
    const lookup = () => this.find(request.client_id, request.symbol, conditional);
    try {
      const placed = await this.calls.write(`placing ${request.client_id}`, () => this.exchange.createOrder(symbol, type, request.side, request.quantity, undefined, params), {
        lookup, serverNow: () => this.now(), recvWindowMs: this.settings.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS,
      });
      return this.venueOrder(placed, request);
    } catch (error) {
      if (/duplicated/i.test((error as Error).message)) {
        // An open order already has this id: it is this order, sent before an answer was lost.
        const found = await lookup();
        if (found !== undefined) return this.venueOrder(found, request);
      }
      // The exchange answered and said no (funds, precision, notional, …): that order is refused, not retried.
      if (error instanceof ccxt.ExchangeError && !(error instanceof ccxt.AuthenticationError)) {
        throw new OrderRejected(request.client_id, clean(error), rejectionCode(error));
      }
      throw error;
    }
  }

  /** The order as it stands after the cancel: cancelled, or filled when it filled first; undefined when unknown. */
  async cancel(clientId: string, symbol: string, _time: number, conditional = true): Promise<VenueOrder | undefined> {
    try {
      await this.calls.read(`cancelling ${clientId}`, () => this.exchange.cancelOrder('', this.unified(symbol), { clientOrderId: clientId, ...(conditional ? { trigger: true } : {}) }));
    } catch (error) {
      if (!(error instanceof ccxt.OrderNotFound || /Unknown order/i.test((error as Error).message))) throw error;
    }
    return this.order(clientId, symbol, conditional);
  }

  /** Open orders of one symbol, or of every traded symbol (asked one by one: Binance weighs an all-symbol query 40 times). */
  async openOrders(symbol?: string, conditionalOnly = false): Promise<readonly VenueOrder[]> {
    const orders: VenueOrder[] = [];
    for (const id of symbol === undefined ? [...this.rules.keys()] : [symbol]) {
      const unified = this.unified(id);
      const regular = conditionalOnly ? [] : await this.calls.read(`reading open orders of ${id}`, () => this.exchange.fetchOpenOrders(unified));
      const conditional = await this.calls.read(`reading open conditional orders of ${id}`, () => this.exchange.fetchOpenOrders(unified, undefined, undefined, { trigger: true }));
      for (const o of [...regular, ...conditional]) {
        const order = this.venueOrder(o);
        if (order !== undefined) orders.push(order);
      }
    }
    return orders;
  }

  async order(clientId: string, symbol: string, conditional = false): Promise<VenueOrder | undefined> {
    const found = await this.find(clientId, symbol, conditional);
    return found === undefined ? undefined : this.venueOrder(found);
  }

  /** Best bid and ask now (the spread the cost rules judge). */
  async quote(symbol: string): Promise<{ readonly bid: number; readonly ask: number } | undefined> {
    return this.calls.read(`reading the ${symbol} order book`, () => fetchSpread(this.exchange, symbol));
  }

  /** Funding paid or received since `since`, from the account's income history. */
  async fundingSince(since: number): Promise<FundingPayment[]> {
    return this.calls.read('reading funding payments', () => fetchFundingPayments(this.exchange, since));
  }

  async balance(): Promise<number> {
    const balance = await this.calls.read('reading the balance', () => this.exchange.fetchBalance());
    const info = balance['info'] as { totalWalletBalance?: string };
    return Number(info.totalWalletBalance ?? (balance['USDT'] as { total?: number } | undefined)?.total ?? 0);
  }

  async positions(): Promise<readonly VenuePosition[]> {
    const positions = await this.calls.read('reading positions', () => this.exchange.fetchPositions());
    return positions
      .filter((p) => Number(p.contracts ?? 0) !== 0)
      .map((p) => ({ symbol: this.idOf(p.symbol), quantity: (p.side === 'short' ? -1 : 1) * Math.abs(Number(p.contracts)), entry_price: Number(p.entryPrice) }));
  }

  // --- mapping --------------------------------------------------------------------------------------

  /** The order by client id; a conditional order that fired comes back as the market order it became. */
  private async find(clientId: string, symbol: string, conditional: boolean): Promise<CcxtOrder | undefined> {
    try {
      const order = await this.calls.read(`reading ${clientId}`, () => this.exchange.fetchOrder('', this.unified(symbol), { clientOrderId: clientId, ...(conditional ? { trigger: true } : {}) }));
      const info = order.info as { algoStatus?: string; actualOrderId?: string };
      if (conditional && info.algoStatus === 'FINISHED' && info.actualOrderId !== undefined) {
        const actual = await this.calls.read(`reading the fill of ${clientId}`, () => this.exchange.fetchOrder(String(info.actualOrderId), this.unified(symbol)));
        return { ...actual, clientOrderId: clientId, triggerPrice: order.triggerPrice, info: { ...actual.info, algo: order.info } };
      }
      return order;
    } catch (error) {
      if (error instanceof ccxt.OrderNotFound || /does not exist/i.test((error as Error).message)) return undefined;
      throw error;
    }
  }

  private venueOrder(o: CcxtOrder, request?: OrderRequest): VenueOrder {
    return venueOrderOf(o, { symbolId: this.idOf(o.symbol) || (request?.symbol ?? ''), takerFeeRate: this.settings.takerFeeRate, ...(request === undefined ? {} : { request }) });
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
}

function rejectionCode(error: unknown): RejectionCode {
  const message = (error as Error).message;
  if (error instanceof ccxt.OrderImmediatelyFillable || /"code":\s*-2021\b/.test(message)) return 'WOULD_TRIGGER';
  if (/"code":\s*-2022\b/.test(message)) return 'REDUCE_ONLY';
  if (error instanceof ccxt.InsufficientFunds || /"code":\s*-2019\b/.test(message)) return 'INSUFFICIENT_MARGIN';
  // Binance's -1xxx request errors and -4xxx filter errors (precision, minimum quantity or notional, tick size).
  if (error instanceof ccxt.InvalidOrder || error instanceof ccxt.BadRequest || /"code":\s*-[14]\d{3}\b/.test(message)) return 'INVALID';
  return 'OTHER';
}
