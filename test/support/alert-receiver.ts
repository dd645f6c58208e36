import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local webhook receiver for alert tests, on 127.0.0.1: keeps every JSON body with its arrival time,
 * and answers as the test scripts it (a status code per request, or never).
 */
export class AlertReceiver {
  readonly received: { readonly at: number; readonly path: string; readonly body: Record<string, unknown> }[] = [];
  /** Status to answer with, per request in arrival order (default 200); 0: never answer. */
  answers: number[] = [];
  private requests = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<AlertReceiver> {
    const server = createServer();
    const receiver = new AlertReceiver(server);
    server.on('request', (req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const status = receiver.answers[receiver.requests++] ?? 200;
        receiver.received.push({ at: Date.now(), path: req.url ?? '/', body: JSON.parse(text) as Record<string, unknown> });
        if (status !== 0) res.writeHead(status, status === 429 ? { 'retry-after': '0' } : {}).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/alerts`;
  }

  /** Bodies of the alerts received (the deliveries the receiver answered 2xx are among them, failed ones too). */
  bodies(): Record<string, unknown>[] {
    return this.received.map((r) => r.body);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
