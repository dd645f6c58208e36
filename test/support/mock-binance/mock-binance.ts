import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, type Fault, type FaultRates } from './faults.js';
import { BinanceVenue, isRefusal, type AlgoOrder, type MockSymbol, type RegularOrder, type VenueEvent } from './venue.js';
import { accountJson, algoJson, exchangeInfoJson, orderJson, positionRiskJson } from './views.js';

export type { Fault, FaultRates } from './faults.js';
export type { AlgoOrder, MockSymbol, RegularOrder, VenueEvent } from './venue.js';
export { TAKER_FEE } from './venue.js';

/**
 * A local Binance USDⓈ-M futures exchange for tests, on 127.0.0.1: the REST endpoints ccxt's binanceusdm
 * calls, with Binance's API-key and HMAC checks, its recvWindow rule (a signed request is refused with
 * -1021 when its timestamp is more than recvWindow behind, or 1 s ahead of, the server's clock), the
 * trading model of `BinanceVenue` and the faults of `FaultPlan`. Its clock (`now`) can run on a virtual
 * time, which clients learn from GET /fapi/v1/time like any Binance client.
 */
export class MockBinance {
  readonly apiKey: string;
  readonly secret: string;
  readonly requests: string[] = [];
  readonly venue: BinanceVenue;
  readonly faults = new FaultPlan();
  /** Hedge mode on the account (Binance's dualSidePosition); the client must notice it. */
  dualSidePosition = false;
  /** Called before a request is processed (a test moves the market at the worst moment). */
  beforeRequest: ((route: string, params: URLSearchParams) => void) | undefined;
  private server: Server | undefined;
  private readonly klines = new Map<string, (string | number)[][]>();
  private readonly lateTimers = new Set<NodeJS.Timeout>();
  /** Bid-ask spread per symbol, in price units (default: one tick). */
  private readonly spreads = new Map<string, number>();
  /** Funding payments (income history), newest last. */
  private readonly fundingIncome: { symbol: string; income: number; time: number }[] = [];

  constructor(options: { apiKey?: string; secret?: string; balance?: number; symbols: readonly MockSymbol[] }) {
    this.apiKey = options.apiKey ?? 'test-api-key';
    this.secret = options.secret ?? 'test-api-secret';
    this.venue = new BinanceVenue(options.symbols, options.balance ?? 10_000);
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('mock exchange not started');
    return `http://127.0.0.1:${address.port}`;
  }

  get now(): () => number {
    return this.venue.now;
  }

  set now(clock: () => number) {
    this.venue.now = clock;
  }

  get balance(): number {
    return this.venue.balance;
  }

  get history(): readonly VenueEvent[] {
    return this.venue.history;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.lateTimers) clearTimeout(timer);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  inject(fault: Fault): void {
    this.faults.inject(fault);
  }

  chaos(rates: FaultRates | undefined, random?: () => number): void {
    this.faults.chaos(rates, random);
  }

  setKlines(symbol: string, candles: readonly { openTime: number; closeTime: number; open: number; high: number; low: number; close: number; volume: number | null }[]): void {
    this.klines.set(symbol, candles.map((c) => [c.openTime, String(c.open), String(c.high), String(c.low), String(c.close), String(c.volume ?? 0), c.closeTime - 1, '0', 0, '0', '0', '0']));
  }

  setPrice(symbol: string, price: number): void {
    this.venue.setPrice(symbol, price);
  }

  /** The book's best bid and ask sit half of `spread` (price units) either side of the price. */
  setSpread(symbol: string, spread: number): void {
    this.spreads.set(symbol, spread);
  }

  /** A funding payment in the account's income history (negative: paid). */
  addFunding(symbol: string, income: number, time: number): void {
    this.fundingIncome.push({ symbol, income, time });
  }

  price(symbol: string): number {
    return this.venue.symbol(symbol).price;
  }

  position(symbol: string): { qty: number; entry: number } | undefined {
    const p = this.venue.positions.get(symbol);
    return p && p.qty !== 0 ? { qty: p.qty, entry: p.entry } : undefined;
  }

  openAlgoOrders(symbol?: string): AlgoOrder[] {
    return this.venue.openAlgoOrders(symbol);
  }

  allAlgoOrders(): AlgoOrder[] {
    return [...this.venue.algoOrders.values()];
  }

  allOrders(): RegularOrder[] {
    return [...this.venue.orders.values()];
  }

  filledOrders(): RegularOrder[] {
    return this.allOrders().filter((o) => o.status === 'FILLED');
  }

  /** The exchange loses a resting order (an operator cancels it by hand, a maintenance purge …). */
  dropAlgoOrder(clientAlgoId: string): void {
    const order = this.venue.openAlgoOrders().find((o) => o.clientAlgoId === clientAlgoId);
    if (order === undefined) throw new Error(`no resting ${clientAlgoId}`);
    this.venue.cancelAlgo(order);
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
    const fault = this.faults.next(route);
    if (fault?.kind === 'timeout') return; // never answered, never processed
    if (fault?.kind === 'rate-limit') return send(res, 429, { code: -1003, msg: 'Too many requests; current limit is 2400 requests per minute.' }, { 'Retry-After': '1' });
    if (fault?.kind === 'unavailable') return send(res, 503, { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' });
    if (fault?.kind === 'reject') return send(res, 400, { code: fault.code ?? -2019, msg: fault.msg ?? 'Margin is insufficient.' });
    const params = new URLSearchParams(url.search);
    for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
    const signed = !/^GET \/fapi\/v1\/(exchangeInfo|klines|time|ping|ticker)/.test(route);
    if (signed) {
      const problem = this.authenticate(req, url.search.slice(1), body);
      if (problem !== undefined) return send(res, 401, problem);
    }
    const process = (): { status: number; body: unknown } => {
      this.beforeRequest?.(route, params);
      if (signed) {
        const stale = this.outsideRecvWindow(params);
        if (stale !== undefined) return { status: 400, body: stale };
      }
      try {
        const answer = this.route(route, params);
        if (answer === undefined) return { status: 404, body: { code: -1, msg: `mock exchange: no route ${route}` } };
        return isRefusal(answer) ? { status: 400, body: answer } : { status: 200, body: answer };
      } catch (error) {
        return { status: 500, body: { code: -1000, msg: (error as Error).message } };
      }
    };
    if (fault?.kind === 'late') {
      const timer = setTimeout(() => {
        this.lateTimers.delete(timer);
        process();
      }, fault.delayMs ?? 500);
      this.lateTimers.add(timer);
      return; // the client hears nothing; the exchange may still act on it
    }
    const answer = process();
    if (fault?.kind === 'lost-response') return;
    // Binance's answer when the request reached the matching engine but its outcome did not come back.
    if (fault?.kind === 'unavailable-after') return send(res, 503, { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' });
    return send(res, answer.status, answer.body);
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

  /** Binance: `timestamp < serverTime - recvWindow` or `timestamp > serverTime + 1000` is refused. */
  private outsideRecvWindow(q: URLSearchParams): { code: number; msg: string } | undefined {
    const timestamp = Number(q.get('timestamp'));
    if (!Number.isFinite(timestamp)) return { code: -1102, msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed." };
    const window = Number(q.get('recvWindow') ?? 5000);
    const server = this.venue.now();
    if (timestamp > server + 1000) return { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." };
    if (server - timestamp > window) return { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' };
    return undefined;
  }

  private route(route: string, q: URLSearchParams): Record<string, unknown> | unknown[] | undefined {
    const venue = this.venue;
    const symbol = () => venue.symbol(q.get('symbol') ?? '').symbol;
    switch (route) {
      case 'GET /fapi/v1/time':
        return { serverTime: venue.now() };
      case 'GET /fapi/v1/exchangeInfo':
        return exchangeInfoJson(venue);
      case 'GET /fapi/v1/klines': {
        const all = this.klines.get(q.get('symbol') ?? '') ?? [];
        const start = q.get('startTime');
        const limit = Number(q.get('limit') ?? 500);
        // Only bars that have opened by the server's clock exist; with startTime the oldest come first, else the newest.
        const opened = all.filter((k) => (k[0] as number) >= Number(start ?? 0) && (k[0] as number) <= venue.now());
        return start === null ? opened.slice(-limit) : opened.slice(0, limit);
      }
      case 'GET /fapi/v1/ticker/bookTicker': {
        const book = [...venue.symbols.values()].filter((s) => (q.get('symbol') ?? s.symbol) === s.symbol).map((s) => {
          const half = (this.spreads.get(s.symbol) ?? Number(s.tickSize)) / 2;
          return { symbol: s.symbol, bidPrice: String(s.price - half), bidQty: '10', askPrice: String(s.price + half), askQty: '10', time: venue.now() };
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
        return accountJson(venue);
      case 'GET /fapi/v3/positionRisk':
      case 'GET /fapi/v2/positionRisk':
        return [...venue.symbols.keys()].filter((s) => (q.get('symbol') ?? s) === s).map((s) => positionRiskJson(venue, s));
      case 'GET /fapi/v1/positionSide/dual':
        return { dualSidePosition: this.dualSidePosition };
      case 'GET /fapi/v1/leverageBracket':
        return [...venue.symbols.keys()].map((s) => ({ symbol: s, brackets: [{ bracket: 1, initialLeverage: 125, notionalCap: 50_000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0 }] }));
      case 'POST /fapi/v1/leverage': {
        const p = venue.positionOf(symbol());
        p.leverage = Number(q.get('leverage'));
        return { symbol: symbol(), leverage: p.leverage, maxNotionalValue: '1000000' };
      }
      case 'POST /fapi/v1/marginType': {
        const p = venue.positionOf(symbol());
        const wanted = q.get('marginType') === 'ISOLATED' ? 'isolated' : 'cross';
        if (p.marginType === wanted) return { code: -4046, msg: 'No need to change margin type.' };
        p.marginType = wanted;
        return { code: 200, msg: 'success' };
      }
      case 'POST /fapi/v1/order': {
        if (q.get('type') !== 'MARKET') return { code: -1116, msg: 'Invalid orderType.' };
        const placed = venue.newMarketOrder(symbol(), q.get('side') as 'BUY' | 'SELL', Number(q.get('quantity')), q.get('newClientOrderId') ?? `auto-${Date.now()}`, q.get('reduceOnly') === 'true');
        return isRefusal(placed) ? { ...placed } : orderJson(placed);
      }
      case 'POST /fapi/v1/algoOrder': {
        const placed = venue.newAlgoOrder({
          symbol: symbol(), side: q.get('side') as 'BUY' | 'SELL', type: q.get('type') ?? '', qty: Number(q.get('quantity')), triggerPrice: Number(q.get('triggerPrice')),
          clientAlgoId: q.get('clientAlgoId') ?? `auto-${Date.now()}`, reduceOnly: q.get('reduceOnly') === 'true', closePosition: q.get('closePosition') === 'true',
        });
        return isRefusal(placed) ? { ...placed } : algoJson(venue, placed);
      }
      case 'GET /fapi/v1/order': {
        const o = venue.findOrder(q.get('orderId'), q.get('origClientOrderId'));
        return o === undefined ? { code: -2013, msg: 'Order does not exist.' } : orderJson(o);
      }
      case 'GET /fapi/v1/algoOrder': {
        const o = venue.findAlgo(q.get('algoId'), q.get('clientAlgoId'));
        return o === undefined ? { code: -2013, msg: 'Order does not exist.' } : algoJson(venue, o);
      }
      case 'DELETE /fapi/v1/order': {
        const o = venue.findOrder(q.get('orderId'), q.get('origClientOrderId'));
        if (o === undefined || o.status !== 'NEW') return { code: -2011, msg: 'Unknown order sent.' };
        o.status = 'CANCELED';
        return orderJson(o);
      }
      case 'DELETE /fapi/v1/algoOrder': {
        const o = venue.findAlgo(q.get('algoId'), q.get('clientAlgoId'));
        if (o === undefined || o.algoStatus !== 'NEW') return { code: -2011, msg: 'Unknown order sent.' };
        venue.cancelAlgo(o);
        return { algoId: o.algoId, clientAlgoId: o.clientAlgoId, code: '200', msg: 'success' };
      }
      case 'GET /fapi/v1/openOrders':
        return [...venue.orders.values()].filter((o) => o.status === 'NEW' && (q.get('symbol') ?? o.symbol) === o.symbol).map(orderJson);
      case 'GET /fapi/v1/openAlgoOrders':
        return venue.openAlgoOrders(q.get('symbol') ?? undefined).map((o) => algoJson(venue, o));
      default:
        return undefined;
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
