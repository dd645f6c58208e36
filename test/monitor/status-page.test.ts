/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveCommand } from '../../src/cli/serve-command.js';
import { captureLogger } from '../support/log-capture.js';
import { LiveMarket } from '../support/live-market.js';
import { PaperDaemon, TOKEN } from '../support/paper-daemon.js';

/** Where the test leaves a screenshot of the page, for a person to look at. */
const SCREENSHOT = join(tmpdir(), 'qt-status-page.png');
// Debian's Chromium, never a downloaded browser; no background traffic to Google's services.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const H = 3_600_000;

describe('the status page in a real browser (headless Chromium)', () => {
  let context: BrowserContext;
  let dir: string;
  let market: LiveMarket | undefined;
  let daemon: PaperDaemon | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qt-page-'));
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: '/usr/bin/chromium', args: ARGS, viewport: { width: 1300, height: 1400 } });
  });
  afterEach(async () => {
    await daemon?.stop();
    await market?.exchange.stop();
  });
  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the page and collects everything that went wrong, and every request that left its origin. */
  async function open(url: string): Promise<{ page: Page; problems: string[]; outside: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => !r.url().startsWith(new URL(url).origin) && !r.url().startsWith('data:') && outside.push(r.url()));
    await page.goto(url);
    await page.waitForFunction(() => ((window as unknown as { __qtRenders?: number }).__qtRenders ?? 0) > 0);
    return { page, problems, outside };
  }
  const text = (page: Page, id: string) => page.locator(`#${id}`).innerText();

  it('renders a running daemon and follows it live: a pause closes the gate, an entry appears with its stop', async () => {
    market = await LiveMarket.start();
    const t0 = market.last.closeTime;
    daemon = new PaperDaemon(market, { signals: [{ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t0 + H }] });
    const base = await daemon.url();
    await daemon.cycle(t0);
    const { page, problems, outside } = await open(base);
    expect(await text(page, 'gate')).toBe('OPEN');
    expect(await text(page, 'source')).toBe('PAPER');
    expect(await text(page, 'link')).toBe('live');
    expect(await text(page, 'ruleset')).toMatch(/use_for_trading_gate\s+on/);
    expect(await text(page, 'positions')).toContain('no open position');

    const pause = await fetch(new URL('api/control/pause', base), { method: 'POST', body: JSON.stringify({ reason: 'browser test' }), headers: { authorization: `Bearer ${TOKEN}` } });
    expect(pause.status).toBe(200);
    await page.waitForFunction(() => document.getElementById('gate')!.textContent === 'CLOSED');
    expect(await text(page, 'gate-why')).toMatch(/^PAUSED by the operator: browser test \(http /);
    expect(await text(page, 'operator')).toMatch(/pause\s+browser test/);

    await fetch(new URL('api/control/resume', base), { method: 'POST', body: JSON.stringify({ reason: 'go' }), headers: { authorization: `Bearer ${TOKEN}` } });
    await page.waitForFunction(() => document.getElementById('gate')!.textContent === 'OPEN');
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await page.waitForFunction(() => document.getElementById('positions')!.textContent!.includes('BTCUSDT'));
    const row = await page.locator('#positions tbody tr').first().innerText();
    expect(row).toMatch(/^BTCUSDT\s+long/);
    expect(row).toMatch(/\d+\.\d\d%/); // distances to the stop and take-profit
    expect(await text(page, 'decisions')).toMatch(/long 0\.9 → opened → OPENED/);
    expect(await page.locator('#spark polyline').count()).toBe(1);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('shows a store read-only with `serve` (no daemon, no control)', async () => {
    market = await LiveMarket.start(120);
    const t0 = market.last.closeTime;
    daemon = new PaperDaemon(market, { signals: [{ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: t0 + H }] });
    await daemon.cycle(t0);
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon.cycle(t0 + H);
    await daemon.stop();
    const store = daemon.store;
    daemon = undefined;

    let stop!: () => void;
    const { logger, records } = captureLogger();
    const serving = serveCommand({ store, http: { host: '127.0.0.1', port: 0 }, stop: new Promise<void>((resolve) => (stop = resolve)), logger, env: {} }, { out: () => {}, err: () => {} });
    try {
      await expect.poll(() => records.find((r) => /^status page at /.test(String(r.msg)))?.url, { timeout: 5000 }).toBeDefined();
      const base = String(records.find((r) => /^status page at /.test(String(r.msg)))!.url);
      const { page, problems, outside } = await open(base);
      expect(await text(page, 'source')).toBe('STORE (read-only)');
      expect(await text(page, 'subtitle')).toContain('BTCUSDT');
      expect(await page.locator('#positions tbody tr').first().innerText()).toMatch(/^BTCUSDT\s+long/);
      expect(await text(page, 'exchange')).toContain('known to a running daemon only');
      expect(problems).toEqual([]);
      expect(outside).toEqual([]);
      const control = await fetch(new URL('api/control/pause', base), { method: 'POST', body: '{"reason":"x"}', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(control.status).toBe(403);
      expect((await fetch(new URL('metrics', base))).status).toBe(404);
      await page.close();
    } finally {
      stop();
      expect(await serving).toBe(0);
    }
  });
});
