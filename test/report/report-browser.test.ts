/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type ReportData } from '../../src/report/index.js';
import { sampleReport } from './sample-data.js';

/** Where the test leaves its screenshot of the report, for a person to look at. */
const SCREENSHOT = join(tmpdir(), 'qt-report-screenshot.png');

// Debian's Chromium, never a downloaded browser. The machine has no internet: without these switches
// Chromium keeps trying to reach Google's services and fills the log with refused connections.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('report.html in a real browser (headless Chromium)', () => {
  let context: BrowserContext;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qt-report-'));
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      args: ARGS,
      viewport: { width: 1300, height: 1400 },
      // Half-hour offset from UTC: any time shown in local time instead of UTC would be visibly off.
      timezoneId: 'Asia/Kolkata',
    });
  });
  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the report from a file and collects everything that went wrong on the way. */
  async function open(data: ReportData, name: string): Promise<{ page: Page; problems: string[]; requests: string[]; dialogs: string[] }> {
    const file = join(dir, name);
    writeFileSync(file, renderReport(data));
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    page.on('request', (r) => r.url() !== pathToFileURL(file).href && requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (window as unknown as { __reportCharts?: number }).__reportCharts === 6);
    return { page, problems, requests, dialogs };
  }

  it('draws every chart offline from a file, with no error and no request', async () => {
    const { page, problems, requests } = await open(sampleReport(2500), 'report.html');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('canvas').count()).toBe(6);
    // Every canvas is sized and has ink on it (uPlot's canvases are transparent until drawn on).
    const inked = await page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas')).map((c) => {
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        let ink = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++;
        return c.width > 400 && c.height > 20 && ink > 500;
      }),
    );
    expect(inked).toEqual([true, true, true, true, true, true]);
    // All plot areas share the same left edge and width, so the bands sit exactly under the price.
    const plots = await page.locator('.u-over').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.width)]; }));
    expect(new Set(plots.map((p) => p.join()))).toHaveProperty('size', 1);
    for (const label of ['TREND_FOLLOW', 'FAST_TP', 'DEFENSIVE_TRAIL', 'open', 'closed', 'MODERATE', 'NO_NEW_TRADES', 'orchestrator ON (LIVE)', 'baseline OFF', 'Equity (USDT)', 'Drawdown from peak']) {
      expect(await page.getByText(label, { exact: true }).first().isVisible(), label).toBe(true);
    }
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // Hovering the price reads the policy's state at that time out into the band labels.
    const price = (await page.locator('#price .u-over').boundingBox())!;
    await page.mouse.move(price.x + price.width / 2, price.y + price.height / 2);
    await expect.poll(() => page.locator('.band-label').allTextContents()).toEqual([
      expect.stringMatching(/^exit mode: (TREND_FOLLOW|FAST_TP|DEFENSIVE_TRAIL)$/),
      expect.stringMatching(/^gate: (open|closed)$/),
      expect.stringMatching(/^risk stance: [A-Z_]+$/),
    ]);
    // Times are UTC whatever the viewer's time zone: the first candle closes 2024-01-01 01:00 UTC.
    await page.mouse.move(price.x + 1, price.y + price.height / 2);
    await expect.poll(() => page.locator('#price-legend .u-series').first().textContent()).toBe('UTC2024-01-01 01:00');
    await page.close();
  });

  it('shows hostile strings as text and runs none of them', async () => {
    const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const base = sampleReport(50, hostile);
    const { page, problems, requests, dialogs } = await open(
      { ...base, price: { ...base.price, symbol: hostile }, runs: base.runs.map((r, i) => ({ ...r, label: `${hostile} ${i}` })) },
      'hostile.html',
    );
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.title()).toBe(hostile);
    await expect(page.locator('h1').textContent()).resolves.toBe(hostile);
    await expect(page.locator('#price-title').textContent()).resolves.toContain(hostile);
    expect(await page.locator('img').count()).toBe(0);
    await page.close();
  });
});
