import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Position } from '../broker/model.js';
import { InputError } from '../config/problem.js';
import type { Logger } from '../logger.js';
import type { TradingStore } from '../store/index.js';
import { control, type Reply } from './control-api.js';
import { HttpAccess } from './http-access.js';
import type { OperatorControls } from './operator-controls.js';
import type { HttpSettings } from './settings.js';
import { STATUS_PAGE, STATUS_PAGE_CSP } from './status-page.js';
import { statusSnapshot, type LiveView } from './status-snapshot.js';

/** What the server shows and, for a running daemon, controls. */
export interface MonitorSource {
  readonly store: TradingStore;
  /** A running daemon's own knowledge; absent for `serve` (a store, read-only). */
  readonly live?: LiveView;
  readonly controls?: OperatorControls;
  readonly metrics?: { readonly contentType: string; metrics(): Promise<string> };
  /** Calls the listener when what is shown may have changed; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

const MAX_BODY = 16 * 1024;
/** Server-sent events are pushed at most this often, however busy the daemon is. */
const PUSH_EVERY_MS = 250;

/**
 * The status page, its JSON API, server-sent events, Prometheus metrics and the control endpoints, on
 * node:http. Reading never writes; the control endpoints are the only writes, and need the token.
 */
export class MonitorServer {
  private readonly access: HttpAccess;
  private readonly streams = new Set<ServerResponse>();
  private readonly unsubscribe: () => void;
  private pushTimer: NodeJS.Timeout | undefined;
  private lastPush = 0;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly server: Server,
    private readonly settings: HttpSettings,
    private readonly source: MonitorSource,
    private readonly logger: Logger,
  ) {
    this.access = new HttpAccess(settings);
    this.unsubscribe = source.onChange(() => this.schedulePush());
    // A comment line now and then keeps proxies and browsers from dropping a quiet stream.
    this.heartbeat = setInterval(() => this.streams.forEach((s) => s.write(': keep-alive\n\n')), 15_000).unref();
  }

  /** Listens; a port in use is the operator's to resolve (exit 2), not a defect. */
  static async start(settings: HttpSettings, source: MonitorSource, logger: Logger): Promise<MonitorServer> {
    const server = createServer();
    const monitor = new MonitorServer(server, settings, source, logger);
    server.on('request', (req, res) => void monitor.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        monitor.stopTimers();
        reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new InputError(`--http ${settings.port} on ${settings.host}: ${error.code === 'EADDRINUSE' ? 'the port is in use (another quantum-trader?)' : error.message}; choose another with --http PORT (0: any free port), or --no-http`)
          : error);
      });
      server.listen(settings.port, settings.host, () => resolve());
    });
    logger.info({ url: monitor.url, control: settings.token === undefined ? 'disabled (no token)' : 'enabled' }, `status page at ${monitor.url}`);
    return monitor;
  }

  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
  }

  async close(): Promise<void> {
    this.stopTimers();
    this.unsubscribe();
    for (const stream of this.streams) stream.end();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private stopTimers(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.pushTimer);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      if (req.method === 'POST' && path.startsWith('/api/control/')) return await this.control(req, res, path.slice('/api/control/'.length));
      if (req.method !== 'GET' && req.method !== 'HEAD') return this.json(res, { status: 405, body: { error: `${req.method} is not allowed here` } });
      if (path === '/' && url.searchParams.has('token')) {
        const cookie = this.access.loginCookie(url.searchParams.get('token'));
        if (cookie === undefined) return this.json(res, { status: 401, body: { error: 'wrong token' } });
        res.writeHead(303, { 'set-cookie': cookie, location: '/' }).end();
        return;
      }
      const refused = this.access.read(req);
      if (refused !== undefined) return this.json(res, { status: refused.status, body: { error: refused.message } });
      const { store } = this.source;
      switch (path) {
        case '/':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STATUS_PAGE_CSP, 'x-frame-options': 'DENY' }).end(STATUS_PAGE);
          return;
        case '/api/status':
          return this.json(res, { status: 200, body: this.snapshot() });
        case '/api/decisions':
          return this.json(res, { status: 200, body: store.recent.decisions(limit(url, 200, 5000), url.searchParams.get('symbol') ?? undefined) });
        case '/api/controls':
          return this.json(res, { status: 200, body: store.controls.recent(limit(url, 50, 1000)) });
        case '/api/health':
          return this.json(res, { status: 200, body: { ok: true, state: this.source.live?.state() ?? 'stored', last_cycle: store.recent.lastCycle()?.time ?? null } });
        case '/api/events':
          return this.stream(res);
        case '/metrics':
          if (this.source.metrics === undefined) break;
          res.writeHead(200, { 'content-type': this.source.metrics.contentType }).end(await this.source.metrics.metrics());
          return;
      }
      this.json(res, { status: 404, body: { error: `nothing at ${path}; see /api/status, /api/events, /api/decisions, /api/controls, /metrics` } });
    } catch (error) {
      this.logger.error({ err: error, url: req.url }, `status page: ${(error as Error).message}`);
      if (!res.headersSent) this.json(res, { status: 500, body: { error: (error as Error).message } });
      else res.end();
    }
  }

  private async control(req: IncomingMessage, res: ServerResponse, action: string): Promise<void> {
    const controls = this.source.controls;
    if (controls === undefined) return this.json(res, { status: 403, body: { error: 'read-only: this server shows a store; send control actions to the running daemon\'s own address' } });
    const refused = this.access.control(req);
    if (refused !== undefined) {
      res.setHeader('www-authenticate', 'Bearer');
      return this.json(res, { status: refused.status, body: { error: refused.message } });
    }
    const text = await readBody(req);
    if (text === undefined) return this.json(res, { status: 413, body: { error: `the body is limited to ${MAX_BODY} bytes` } });
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      return this.json(res, { status: 400, body: { error: 'the body is not JSON' } });
    }
    const by = `http ${req.socket.remoteAddress ?? '?'}`;
    this.json(res, await control(action, body, by, controls, (): readonly Position[] => this.source.store.openPositions()));
  }

  private stream(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    res.write(`event: status\ndata: ${JSON.stringify(this.snapshot())}\n\n`);
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }

  /** Coalesces bursts of changes (a cycle's decisions) into one push. */
  private schedulePush(): void {
    if (this.streams.size === 0 || this.pushTimer !== undefined) return;
    const wait = Math.max(0, this.lastPush + PUSH_EVERY_MS - Date.now());
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      this.lastPush = Date.now();
      try {
        const message = `event: status\ndata: ${JSON.stringify(this.snapshot())}\n\n`;
        for (const stream of this.streams) stream.write(message);
      } catch (error) {
        this.logger.error({ err: error }, `status page: ${(error as Error).message}`);
      }
    }, wait);
  }

  private snapshot() {
    return statusSnapshot(this.source.store, this.source.live);
  }

  private json(res: ServerResponse, reply: Reply): void {
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' }).end(`${JSON.stringify(reply.body, null, 1)}\n`);
  }
}

function limit(url: URL, fallback: number, max: number): number {
  const n = Number(url.searchParams.get('limit') ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
