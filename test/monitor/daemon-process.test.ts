import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AlertReceiver } from '../support/alert-receiver.js';
import { Daemon, quickRules } from '../support/daemon.js';
import { LiveMarket } from '../support/live-market.js';
import { TOKEN } from '../support/paper-daemon.js';

describe('quantum-trader run --live with its status page, as a process', () => {
  let dir: string | undefined;
  let rules: string | undefined;
  let market: LiveMarket | undefined;
  let receiver: AlertReceiver | undefined;
  let daemon: Daemon | undefined;
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited;
    await receiver?.stop();
    await market?.exchange.stop();
    for (const d of [dir, rules]) if (d !== undefined) rmSync(d, { recursive: true, force: true });
  });

  it('serves the page, pauses on request, and on SIGTERM ends with status 0 and a last alert, a page still listening', async () => {
    market = await LiveMarket.start(60);
    receiver = await AlertReceiver.start();
    dir = mkdtempSync(join(tmpdir(), 'qt-proc-'));
    rules = quickRules();
    appendFileSync(join(rules, 'execution.yaml'), `alerts:\n  webhooks:\n    - url: ${receiver.url}\n      events: [gate, daemon]\n`);
    const signals = join(dir, 'signals.jsonl');
    writeFileSync(signals, '');
    daemon = new Daemon({ exchange: market.exchange, store: join(dir, 'live.sqlite'), signals, rules, env: { QT_HTTP_TOKEN: TOKEN } });
    const base = await daemon.statusUrl();
    await daemon.waitFor('start-up complete');
    const pause = await fetch(new URL('api/control/pause', base), { method: 'POST', body: '{"reason":"maintenance window"}', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(pause.status).toBe(200);
    // A browser keeps the event stream open: it must not keep the daemon from ending.
    const stream = request(new URL('api/events', base));
    stream.on('response', (res) => res.resume()).on('error', () => {});
    stream.end();
    await vi.waitFor(() => expect(receiver!.bodies().map((b) => b.title)).toEqual(['Daemon started: trading', 'New entries PAUSED by the operator']), { timeout: 10_000 });
    daemon.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(receiver.bodies().at(-1)).toMatchObject({ event: 'daemon', title: 'Daemon stopped' });
  });

  it('refuses to start when the port is taken, naming it (exit 2)', async () => {
    market = await LiveMarket.start(60);
    dir = mkdtempSync(join(tmpdir(), 'qt-proc-'));
    rules = quickRules();
    const signals = join(dir, 'signals.jsonl');
    writeFileSync(signals, '');
    const first = new Daemon({ exchange: market.exchange, store: join(dir, 'a.sqlite'), signals, rules });
    try {
      const port = new URL(await first.statusUrl()).port;
      daemon = new Daemon({ exchange: market.exchange, store: join(dir, 'b.sqlite'), signals, rules, extraArgs: ['--http', port] });
      expect(await daemon.exited).toBe(2);
      expect(daemon.stderr.join('\n')).toContain(`error: --http ${port} on 127.0.0.1: the port is in use (another quantum-trader?); choose another with --http PORT (0: any free port), or --no-http`);
    } finally {
      first.kill();
      await first.exited;
    }
  });
});
