import { appendFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import type { Signal } from '../../src/signals/signal.js';
import { captureLogger } from './log-capture.js';
import type { LiveMarket } from './live-market.js';
import { roomyProfiles } from './daemon.js';
import { REPO } from './rule-sets.js';

export const TOKEN = 'test-token-0123456789abcdef';

/**
 * `run --paper` in this process against a LiveMarket, serving its status page on a free port, with
 * the given signals and (optionally) alerts to a webhook, for tests of the operator's view.
 */
export class PaperDaemon {
  readonly records: Record<string, unknown>[];
  readonly dir: string;
  readonly store: string;
  readonly exited: Promise<number>;
  private readonly stopNow: () => void;

  constructor(market: LiveMarket, options: { signals: readonly Signal[]; alertsUrl?: string; token?: string | null; store?: string }) {
    this.dir = mkdtempSync(join(tmpdir(), 'qt-ops-'));
    const rules = join(this.dir, 'rules');
    cpSync(join(REPO, 'rules'), rules, { recursive: true });
    if (options.alertsUrl !== undefined) appendFileSync(join(rules, 'execution.yaml'), `alerts:\n  webhooks:\n    - url: ${options.alertsUrl}\n      name: test-receiver\n  max_per_minute: 600\n  retry: { attempts: 3, base_delay_ms: 20, max_delay_ms: 100 }\n`);
    const signals = join(this.dir, 'signals.jsonl');
    writeFileSync(signals, options.signals.map((s) => JSON.stringify(s)).join('\n') + '\n');
    this.store = options.store ?? join(this.dir, 'paper.sqlite');
    const { logger, records } = captureLogger();
    this.records = records;
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    this.stopNow = stop;
    const token = options.token === undefined ? TOKEN : options.token;
    this.exited = runCommand({
      exchange: 'binanceusdm', paper: true, live: false, demo: false, confirmed: false, symbols: ['BTCUSDT'], timeframe: '1h', store: this.store, pollSeconds: 0.02,
      marginMode: 'cross', ignoreUnknownPositions: false, signals, exchangeUrl: market.exchange.url, logger, stop: stopped, rules, profiles: roomyProfiles(),
      http: { host: '127.0.0.1', port: 0 }, env: token === null ? {} : { QT_HTTP_TOKEN: token },
    }, { out: () => {}, err: () => {} });
  }

  async url(): Promise<string> {
    await vi.waitFor(() => expect(this.records.some((r) => /^status page at /.test(String(r.msg)))).toBe(true), { timeout: 15_000, interval: 20 });
    return String(this.records.find((r) => /^status page at /.test(String(r.msg)))!.url);
  }

  async cycle(time: number): Promise<void> {
    const iso = new Date(time).toISOString();
    await vi.waitFor(() => expect(this.records.some((r) => r.msg === 'cycle' && r.candle_time === iso), `no cycle at ${iso}`).toBe(true), { timeout: 15_000, interval: 20 });
  }

  async stop(): Promise<number> {
    this.stopNow();
    return this.exited;
  }
}

/** Prometheus's text format, as name{labels} → value. */
export function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?)\s+(\S+)$/.exec(line);
    if (match === null) throw new Error(`not Prometheus text format: ${line}`);
    values.set(match[1]!, Number(match[2]));
  }
  return values;
}
