import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Binance USDⓈ-M futures exchange for tests: the endpoints ccxt's binanceusdm calls, on
 * 127.0.0.1. It checks API keys and HMAC signatures like Binance, keeps one-way positions, regular and
 * algo (conditional) orders, fills market orders at its current price, triggers conditional orders when
 * `setPrice` crosses them (creating the market order that fills them, as Binance does), and can inject
 * faults (timeouts, 429 with Retry-After, 5xx, rejections) into the next matching requests.
 */
export interface MockSymbol {
  readonly symbol: string;
  readonly price: number;
  readonly tickSize: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly minNotional: string;
}

export interface Fault {
  /** Which requests: method and path, e.g. `POST /fapi/v1/order`; absent: any. */
  readonly match?: RegExp;
  /** `lost-response`: the request is carried out but never answered (the case idempotent ids exist for). */
  readonly kind: 'timeout' | 'lost-response' | 'rate-limit' | 'unavailable' | 'reject';
  /** How many matching requests fail (default 1). */
  readonly times?: number;
  /** For `reject`: Binance error code and message. */
  readonly code?: number;
  readonly msg?: string;
}

interface Position {
  qty: number;
  entry: number;
  leverage: number;
  marginType: 'cross' | 'isolated';
}

interface RegularOrder {
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

interface AlgoOrder {
  algoId: number;
  clientAlgoId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  orderType: 'STOP_MARKET' | 'TAKE_PROFIT_MARKET';
  quantity: number;
  triggerPrice: number;
  reduceOnly: boolean;
  closePosition: boolean;
  algoStatus: 'NEW' | 'CANCELED' | 'FINISHED' | 'EXPIRED';
  actualOrderId?: number;
  createTime: number;
  updateTime: number;
}

export const TAKER_FEE = 0.0004;

export class MockBinance {
  readonly apiKey: string;
  readonly secret: string;
  readonly requests: string[] = [];
  balance: number;
  private server: Server | undefined;
  private readonly symbols = new Map<string, MockSymbol & { price: number }>();
  private readonly positions = new Map<string, Position>();
  private readonly orders = new Map<number, RegularOrder>();
  private readonly algoOrders = new Map<number, AlgoOrder>();
  private readonly klines = new Map<string, (string | number)[][]>();
  private faults: (Fault & { left: number })[] = [];
  /** Bid-ask spread per symbol, in price units (default: one tick). */
  private readonly spreads = new Map<string, number>();
  /** Funding payments (income history), newest last. */
  private readonly fundingIncome: { symbol: string; income: number; time: number }[] = [];
  private nextId = 1000;
  now = () => Date.now();

  constructor(options: { apiKey?: string; secret?: string; balance?: number; symbols: readonly MockSymbol[] }) {
    this.apiKey = options.apiKey ?? 'test-api-key';
    this.secret = options.secret ?? 'test-api-secret';
    this.balance = options.balance ?? 10_000;
    for (const s of options.symbols) this.symbols.set(s.symbol, { ...s });
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('mock exchange not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  setKlines(symbol: string, candles: readonly { openTime: number; closeTime: number; open: number; high: number; low: number; close: number; volume: number | null }[]): void {
    this.klines.set(symbol, candles.map((c) => [c.openTime, String(c.open), String(c.high), String(c.low), String(c.close), String(c.volume ?? 0), c.closeTime - 1, '0', 0, '0', '0', '0']));
  }

  /** The book's best bid and ask sit half of `spread` (price units) either side of the price. */
  setSpread(symbol: string, spread: number): void {
    this.spreads.set(symbol, spread);
  }

  /** A funding payment in the account's income history (negative: paid). */
  addFunding(symbol: string, income: number, time: number): void {
    this.fundingIncome.push({ symbol, income, time });
  }

  /** Moves the price and triggers the conditional orders it crosses (in trigger order). */
  setPrice(symbol: string, price: number): void {
    const s = this.symbols.get(symbol)!;
    const previous = s.price;
    s.price = price;
    const crossed = [...this.algoOrders.values()]
      .filter((o) => o.symbol === symbol && o.algoStatus === 'NEW' && this.crosses(o, previous, price))
      .sort((a, b) => (price < previous ? b.triggerPrice - a.triggerPrice : a.triggerPrice - b.triggerPrice));
    for (const algo of crossed) {
      if (algo.algoStatus !== 'NEW') continue;
      const position = this.positions.get(symbol);
      const reducible = position && Math.sign(position.qty) === (algo.side === 'BUY' ? -1 : 1) ? Math.abs(position.qty) : 0;
      if (reducible === 0) {
        algo.algoStatus = 'EXPIRED';
        algo.updateTime = this.now();
        continue;
      }
      const order = this.fill(symbol, algo.side, Math.min(algo.quantity, reducible), `${algo.clientAlgoId}-t`, algo.orderType, true, algo.triggerPrice);
      algo.algoStatus = 'FINISHED';
      algo.actualOrderId = order.orderId;
      algo.updateTime = this.now();
    }
  }

  position(symbol: string): { qty: number; entry: number } | undefined {
    const p = this.positions.get(symbol);
    return p && p.qty !== 0 ? { qty: p.qty, entry: p.entry } : undefined;
  }

  openAlgoOrders(symbol?: string): AlgoOrder[] {
    return [...this.algoOrders.values()].filter((o) => o.algoStatus === 'NEW' && (symbol === undefined || o.symbol === symbol));
  }

  /** The exchange loses a resting order (an operator cancels it by hand, a maintenance purge …). */
  dropAlgoOrder(clientAlgoId: string): void {
    const order = [...this.algoOrders.values()].find((o) => o.clientAlgoId === clientAlgoId && o.algoStatus === 'NEW');
    if (order === undefined) throw new Error(`no resting ${clientAlgoId}`);
    order.algoStatus = 'CANCELED';
    order.updateTime = this.now();
  }

  filledOrders(): RegularOrder[] {
    return [...this.orders.values()].filter((o) => o.status === 'FILLED');
  }

  private crosses(o: AlgoOrder, from: number, to: number): boolean {
    // A sell stop and a buy take-profit fire on a falling price, the others on a rising one.
    const falling = (o.side === 'SELL') === (o.orderType === 'STOP_MARKET');
    return falling ? to <= o.triggerPrice && from > o.triggerPrice : to >= o.triggerPrice && from < o.triggerPrice;
  }

  private fill(symbol: string, side: 'BUY' | 'SELL', qty: number, clientOrderId: string, type: string, reduceOnly: boolean, _trigger?: number): RegularOrder {
    const price = this.symbols.get(symbol)!.price;
    const signed = side === 'BUY' ? qty : -qty;
    const p = this.positions.get(symbol) ?? { qty: 0, entry: 0, leverage: 20, marginType: 'cross' as const };
    let realized = 0;
    if (p.qty !== 0 && Math.sign(p.qty) !== Math.sign(signed)) {
      const closing = Math.min(Math.abs(signed), Math.abs(p.qty));
      realized = (price - p.entry) * closing * Math.sign(p.qty);
    }
    const next = round(p.qty + signed);
    if (next === 0) p.entry = 0;
    else if (p.qty === 0 || Math.sign(next) !== Math.sign(p.qty)) p.entry = price;
    else if (Math.abs(next) > Math.abs(p.qty)) p.entry = (p.entry * Math.abs(p.qty) + price * qty) / Math.abs(next);
    p.qty = next;
    this.positions.set(symbol, p);
    this.balance += realized - qty * price * TAKER_FEE;
    if (next === 0) {
      // Binance expires the reduce-only conditional orders of a position that no longer exists.
      for (const o of this.algoOrders.values()) if (o.symbol === symbol && o.algoStatus === 'NEW' && (o.reduceOnly || o.closePosition)) { o.algoStatus = 'EXPIRED'; o.updateTime = this.now(); }
    }
    const order: RegularOrder = {
      orderId: this.nextId++, clientOrderId, symbol, side, type, origQty: qty, executedQty: qty, avgPrice: price, status: 'FILLED', reduceOnly, time: this.now(), updateTime: this.now(),
    };
    this.orders.set(order.orderId, order);
    return order;
  }

  // --- HTTP ---------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => resolve(text));
    });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = `${req.method} ${url.pathname}`;
    this.requests.push(route);
    const fault = this.faults.find((f) => f.left > 0 && (f.match === undefined || f.match.test(route)));
    if (fault !== undefined && fault.kind !== 'lost-response') {
      fault.left--;
      if (fault.kind === 'timeout') return; // never answered: the client times out
      if (fault.kind === 'rate-limit') return send(res, 429, { code: -1003, msg: 'Too many requests; current limit is 2400 requests per minute.' }, { 'Retry-After': '1' });
      if (fault.kind === 'unavailable') return send(res, 503, { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' });
      return send(res, 400, { code: fault.code ?? -2019, msg: fault.msg ?? 'Margin is insufficient.' });
    }
    const params = new URLSearchParams(url.search);
    for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
    const privateRoute = !/^GET \/fapi\/v1\/(exchangeInfo|klines|time|ping|ticker)/.test(route);
    if (privateRoute) {
      const problem = this.authenticate(req, url.search.slice(1), body);
      if (problem !== undefined) return send(res, 401, problem);
    }
    try {
      const answer = this.route(route, params);
      if (fault?.kind === 'lost-response') {
        fault.left--;
        return; // done, but the client never hears of it
      }
      if (answer === undefined) return send(res, 404, { code: -1, msg: `mock exchange: no route ${route}` });
      if ('code' in answer && typeof answer.code === 'number' && answer.code < 0) return send(res, 400, answer);
      return send(res, 200, answer);
    } catch (error) {
      return send(res, 500, { code: -1000, msg: (error as Error).message });
    }
  }

  private authenticate(req: IncomingMessage, query: string, body: string): { code: number; msg: string } | undefined {
    if (req.headers['x-mbx-apikey'] !== this.apiKey) return { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' };
    const payload = `${query}${body}`;
    const signed = /(?:^|&)signature=([0-9a-f]+)/.exec(payload);
    if (!signed) return { code: -1102, msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed." };
    const unsigned = payload.replace(/&?signature=[0-9a-f]+/, '');
    const expected = createHmac('sha256', this.secret).update(unsigned).digest('hex');
    const given = Buffer.from(signed[1]!, 'hex');
    if (given.length !== 32 || !timingSafeEqual(given, Buffer.from(expected, 'hex'))) return { code: -1022, msg: 'Signature for this request is not valid.' };
    return undefined;
  }

  private route(route: string, q: URLSearchParams): Record<string, unknown> | unknown[] | undefined {
    const symbolOf = () => {
      const s = this.symbols.get(q.get('symbol') ?? '');
      if (!s) throw new Error(`unknown symbol ${q.get('symbol')}`);
      return s;
    };
    switch (route) {
      case 'GET /fapi/v1/time':
        return { serverTime: this.now() };
      case 'GET /fapi/v1/exchangeInfo':
        return this.exchangeInfo();
      case 'GET /fapi/v1/klines': {
        const all = this.klines.get(q.get('symbol') ?? '') ?? [];
        const start = Number(q.get('startTime') ?? 0);
        const limit = Number(q.get('limit') ?? 500);
        return all.filter((k) => (k[0] as number) >= start).slice(-limit);
      }
      case 'GET /fapi/v1/ticker/bookTicker': {
        const book = [...this.symbols.values()].filter((s) => (q.get('symbol') ?? s.symbol) === s.symbol).map((s) => {
          const half = (this.spreads.get(s.symbol) ?? Number(s.tickSize)) / 2;
          return { symbol: s.symbol, bidPrice: String(s.price - half), bidQty: '10', askPrice: String(s.price + half), askQty: '10', time: this.now() };
        });
        return q.get('symbol') === null ? book : book[0];
      }
      case 'GET /fapi/v1/income': {
        const since = Number(q.get('startTime') ?? 0);
        return this.fundingIncome
          .filter((f) => f.time >= since && (q.get('symbol') ?? f.symbol) === f.symbol && (q.get('incomeType') ?? 'FUNDING_FEE') === 'FUNDING_FEE')
          .map((f, i) => ({ symbol: f.symbol, incomeType: 'FUNDING_FEE', income: String(f.income), asset: 'USDT', info: 'FUNDING_FEE', time: f.time, tranId: 9000 + i, tradeId: '' }));
      }
      case 'GET /fapi/v3/account':
      case 'GET /fapi/v2/account':
        return this.account();
      case 'GET /fapi/v3/positionRisk':
      case 'GET /fapi/v2/positionRisk':
        return [...this.symbols.keys()].filter((s) => (q.get('symbol') ?? s) === s).map((s) => this.positionRisk(s));
      case 'GET /fapi/v1/leverageBracket':
        return [...this.symbols.keys()].map((symbol) => ({ symbol, brackets: [{ bracket: 1, initialLeverage: 125, notionalCap: 50_000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0 }] }));
      case 'POST /fapi/v1/leverage': {
        const s = symbolOf();
        const p = this.positions.get(s.symbol) ?? { qty: 0, entry: 0, leverage: 20, marginType: 'cross' as const };
        p.leverage = Number(q.get('leverage'));
        this.positions.set(s.symbol, p);
        return { symbol: s.symbol, leverage: p.leverage, maxNotionalValue: '1000000' };
      }
      case 'POST /fapi/v1/marginType': {
        const s = symbolOf();
        const p = this.positions.get(s.symbol) ?? { qty: 0, entry: 0, leverage: 20, marginType: 'cross' as const };
        const wanted = q.get('marginType') === 'ISOLATED' ? 'isolated' : 'cross';
        if (p.marginType === wanted) return { code: -4046, msg: 'No need to change margin type.' };
        p.marginType = wanted;
        this.positions.set(s.symbol, p);
        return { code: 200, msg: 'success' };
      }
      case 'POST /fapi/v1/order':
        return this.newOrder(symbolOf(), q);
      case 'POST /fapi/v1/algoOrder':
        return this.newAlgoOrder(symbolOf(), q);
      case 'GET /fapi/v1/order': {
        const o = this.findOrder(q);
        return o === undefined ? { code: -2013, msg: 'Order does not exist.' } : this.orderJson(o);
      }
      case 'GET /fapi/v1/algoOrder': {
        const o = this.findAlgo(q);
        return o === undefined ? { code: -2013, msg: 'Order does not exist.' } : this.algoJson(o);
      }
      case 'DELETE /fapi/v1/order': {
        const o = this.findOrder(q);
        if (o === undefined || o.status !== 'NEW') return { code: -2011, msg: 'Unknown order sent.' };
        o.status = 'CANCELED';
        return this.orderJson(o);
      }
      case 'DELETE /fapi/v1/algoOrder': {
        const o = this.findAlgo(q);
        if (o === undefined || o.algoStatus !== 'NEW') return { code: -2011, msg: 'Unknown order sent.' };
        o.algoStatus = 'CANCELED';
        o.updateTime = this.now();
        return { algoId: o.algoId, clientAlgoId: o.clientAlgoId, code: '200', msg: 'success' };
      }
      case 'GET /fapi/v1/openOrders':
        return [...this.orders.values()].filter((o) => o.status === 'NEW' && (q.get('symbol') ?? o.symbol) === o.symbol).map((o) => this.orderJson(o));
      case 'GET /fapi/v1/openAlgoOrders':
        return this.openAlgoOrders(q.get('symbol') ?? undefined).map((o) => this.algoJson(o));
      default:
        return undefined;
    }
  }

  private newOrder(s: MockSymbol & { price: number }, q: URLSearchParams): Record<string, unknown> {
    const clientOrderId = q.get('newClientOrderId') ?? `auto-${this.nextId}`;
    const existing = [...this.orders.values()].find((o) => o.clientOrderId === clientOrderId);
    if (existing) return { code: -4116, msg: 'ClientOrderId is duplicated.' };
    const qty = Number(q.get('quantity'));
    const problem = this.quantityProblem(s, qty, q.get('reduceOnly') === 'true');
    if (problem) return problem;
    if (q.get('type') !== 'MARKET') return { code: -1116, msg: 'Invalid orderType.' };
    const side = q.get('side') as 'BUY' | 'SELL';
    const reduceOnly = q.get('reduceOnly') === 'true';
    if (reduceOnly) {
      const p = this.positions.get(s.symbol);
      if (!p || p.qty === 0 || Math.sign(p.qty) === (side === 'BUY' ? 1 : -1)) return { code: -2022, msg: 'ReduceOnly Order is rejected.' };
    } else {
      const margin = (qty * s.price) / (this.positions.get(s.symbol)?.leverage ?? 20);
      if (margin > this.availableBalance()) return { code: -2019, msg: 'Margin is insufficient.' };
    }
    const qtyToFill = reduceOnly ? Math.min(qty, Math.abs(this.positions.get(s.symbol)!.qty)) : qty;
    return this.orderJson(this.fill(s.symbol, side, qtyToFill, clientOrderId, 'MARKET', reduceOnly));
  }

  private newAlgoOrder(s: MockSymbol & { price: number }, q: URLSearchParams): Record<string, unknown> {
    const clientAlgoId = q.get('clientAlgoId') ?? `auto-${this.nextId}`;
    if ([...this.algoOrders.values()].some((o) => o.clientAlgoId === clientAlgoId)) return { code: -4116, msg: 'ClientOrderId is duplicated.' };
    const type = q.get('type') as AlgoOrder['orderType'];
    if (type !== 'STOP_MARKET' && type !== 'TAKE_PROFIT_MARKET') return { code: -1116, msg: 'Invalid orderType.' };
    const qty = Number(q.get('quantity'));
    const problem = this.quantityProblem(s, qty, true);
    if (problem) return problem;
    const triggerPrice = Number(q.get('triggerPrice'));
    const side = q.get('side') as 'BUY' | 'SELL';
    const falling = (side === 'SELL') === (type === 'STOP_MARKET');
    if (falling ? triggerPrice >= s.price : triggerPrice <= s.price) return { code: -2021, msg: 'Order would immediately trigger.' };
    const algo: AlgoOrder = {
      algoId: this.nextId++, clientAlgoId, symbol: s.symbol, side, orderType: type, quantity: qty, triggerPrice,
      reduceOnly: q.get('reduceOnly') === 'true', closePosition: q.get('closePosition') === 'true', algoStatus: 'NEW', createTime: this.now(), updateTime: this.now(),
    };
    this.algoOrders.set(algo.algoId, algo);
    return this.algoJson(algo);
  }

  private quantityProblem(s: MockSymbol, qty: number, reduceOnly: boolean): { code: number; msg: string } | undefined {
    const step = Number(s.stepSize);
    if (!(qty > 0) || Math.abs(qty / step - Math.round(qty / step)) > 1e-9) return { code: -1111, msg: 'Precision is over the maximum defined for this asset.' };
    if (qty < Number(s.minQty)) return { code: -4003, msg: 'Quantity less than or equal to zero.' };
    if (!reduceOnly && qty * this.symbols.get(s.symbol)!.price < Number(s.minNotional)) return { code: -4164, msg: `Order's notional must be no smaller than ${s.minNotional} (unless you choose reduce only).` };
    return undefined;
  }

  private findOrder(q: URLSearchParams): RegularOrder | undefined {
    const id = q.get('orderId');
    const client = q.get('origClientOrderId');
    return [...this.orders.values()].find((o) => (id !== null && String(o.orderId) === id) || (client !== null && o.clientOrderId === client));
  }

  private findAlgo(q: URLSearchParams): AlgoOrder | undefined {
    const id = q.get('algoId');
    const client = q.get('clientAlgoId');
    return [...this.algoOrders.values()].find((o) => (id !== null && String(o.algoId) === id) || (client !== null && o.clientAlgoId === client));
  }

  private unrealized(symbol: string): number {
    const p = this.positions.get(symbol);
    return p && p.qty !== 0 ? (this.symbols.get(symbol)!.price - p.entry) * p.qty : 0;
  }

  private availableBalance(): number {
    let margin = 0;
    let unrealized = 0;
    for (const [symbol, p] of this.positions) {
      margin += (Math.abs(p.qty) * p.entry) / p.leverage;
      unrealized += this.unrealized(symbol);
    }
    return this.balance + unrealized - margin;
  }

  private exchangeInfo(): Record<string, unknown> {
    return {
      timezone: 'UTC', serverTime: this.now(), futuresType: 'U_MARGINED', rateLimits: [], exchangeFilters: [],
      assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
      symbols: [...this.symbols.values()].map((s) => ({
        symbol: s.symbol, pair: s.symbol, contractType: 'PERPETUAL', deliveryDate: 4133404800000, onboardDate: 1569398400000, status: 'TRADING',
        maintMarginPercent: '2.5000', requiredMarginPercent: '5.0000', baseAsset: s.symbol.replace(/USDT$/, ''), quoteAsset: 'USDT', marginAsset: 'USDT',
        pricePrecision: decimals(s.tickSize), quantityPrecision: decimals(s.stepSize), baseAssetPrecision: 8, quotePrecision: 8, underlyingType: 'COIN', underlyingSubType: [],
        triggerProtect: '0.0500', liquidationFee: '0.012500', marketTakeBound: '0.05', maxMoveOrderLimit: 10000,
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: s.tickSize, maxPrice: '10000000', tickSize: s.tickSize },
          { filterType: 'LOT_SIZE', stepSize: s.stepSize, minQty: s.minQty, maxQty: '100000000' },
          { filterType: 'MARKET_LOT_SIZE', stepSize: s.stepSize, minQty: s.minQty, maxQty: '100000000' },
          { filterType: 'MAX_NUM_ORDERS', limit: 200 },
          { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
          { filterType: 'MIN_NOTIONAL', notional: s.minNotional },
          { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
        ],
        orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
        timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
      })),
    };
  }

  private account(): Record<string, unknown> {
    let unrealized = 0;
    for (const symbol of this.positions.keys()) unrealized += this.unrealized(symbol);
    const wallet = this.balance;
    const available = this.availableBalance();
    return {
      totalInitialMargin: '0', totalMaintMargin: '0', totalWalletBalance: String(wallet), totalUnrealizedProfit: String(unrealized),
      totalMarginBalance: String(wallet + unrealized), totalPositionInitialMargin: '0', totalOpenOrderInitialMargin: '0', totalCrossWalletBalance: String(wallet),
      totalCrossUnPnl: String(unrealized), availableBalance: String(available), maxWithdrawAmount: String(available),
      assets: [{ asset: 'USDT', walletBalance: String(wallet), unrealizedProfit: String(unrealized), marginBalance: String(wallet + unrealized), maintMargin: '0', initialMargin: '0',
        positionInitialMargin: '0', openOrderInitialMargin: '0', crossWalletBalance: String(wallet), crossUnPnl: String(unrealized), availableBalance: String(available), maxWithdrawAmount: String(available), updateTime: this.now() }],
      positions: [...this.positions].filter(([, p]) => p.qty !== 0).map(([symbol, p]) => ({ symbol, positionSide: 'BOTH', positionAmt: String(p.qty), unrealizedProfit: String(this.unrealized(symbol)), isolatedMargin: '0', notional: String(p.qty * this.symbols.get(symbol)!.price), isolatedWallet: '0', initialMargin: '0', maintMargin: '0', updateTime: this.now() })),
    };
  }

  private positionRisk(symbol: string): Record<string, unknown> {
    const p = this.positions.get(symbol) ?? { qty: 0, entry: 0, leverage: 20, marginType: 'cross' as const };
    const mark = this.symbols.get(symbol)!.price;
    return {
      symbol, positionSide: 'BOTH', positionAmt: String(p.qty), entryPrice: String(p.entry), breakEvenPrice: String(p.entry), markPrice: String(mark),
      unRealizedProfit: String(this.unrealized(symbol)), liquidationPrice: '0', isolatedMargin: '0', notional: String(p.qty * mark), marginAsset: 'USDT',
      isolatedWallet: '0', initialMargin: String((Math.abs(p.qty) * mark) / p.leverage), maintMargin: '0', positionInitialMargin: '0', openOrderInitialMargin: '0',
      adl: 0, bidNotional: '0', askNotional: '0', updateTime: this.now(), leverage: String(p.leverage), marginType: p.marginType, isolated: p.marginType === 'isolated',
    };
  }

  private orderJson(o: RegularOrder): Record<string, unknown> {
    return {
      orderId: o.orderId, symbol: o.symbol, status: o.status, clientOrderId: o.clientOrderId, price: '0', avgPrice: String(o.avgPrice), origQty: String(o.origQty),
      executedQty: String(o.executedQty), cumQty: String(o.executedQty), cumQuote: String(o.executedQty * o.avgPrice), timeInForce: 'GTC', type: o.type, reduceOnly: o.reduceOnly,
      closePosition: false, side: o.side, positionSide: 'BOTH', stopPrice: '0', workingType: 'CONTRACT_PRICE', priceProtect: false, origType: o.type,
      time: o.time, updateTime: o.updateTime,
    };
  }

  private algoJson(o: AlgoOrder): Record<string, unknown> {
    return {
      algoId: o.algoId, clientAlgoId: o.clientAlgoId, algoType: 'CONDITIONAL', orderType: o.orderType, symbol: o.symbol, side: o.side, positionSide: 'BOTH',
      timeInForce: 'GTC', quantity: String(o.quantity), algoStatus: o.algoStatus, triggerPrice: String(o.triggerPrice), price: '0', workingType: 'CONTRACT_PRICE',
      closePosition: o.closePosition, priceProtect: false, reduceOnly: o.reduceOnly, createTime: o.createTime, updateTime: o.updateTime, triggerTime: 0,
      ...(o.actualOrderId === undefined ? {} : { actualOrderId: String(o.actualOrderId), actualPrice: String(this.orders.get(o.actualOrderId)!.avgPrice) }),
    };
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function decimals(step: string): number {
  return step.includes('.') ? step.replace(/0+$/, '').split('.')[1]!.length : 0;
}

function round(x: number): number {
  return Number(x.toFixed(10));
}
