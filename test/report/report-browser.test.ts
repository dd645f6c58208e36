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
    // Away from the charts the legends read out the last values, never a placeholder.
    const legends = await page.locator('.u-legend').allTextContents();
    expect(legends.join(' ')).not.toContain('--');
    expect(legends[0]).toMatch(/UTC\d{4}-\d\d-\d\d \d\d:\d\d \(end\)/);
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
      {
        ...base, prices: base.prices.map((p, i) => ({ ...p, symbol: `${hostile} ${i}` })), reference: `${hostile} 0`, runs: base.runs.map((r, i) => ({ ...r, label: `${hostile} ${i}` })),
        trades: [{ run: 0, symbol: `${hostile} 0`, side: 'long', quantity: 1, opened_at: base.runs[0]!.equity[3]!.time, entry_price: 42_000, closed_at: base.runs[0]!.equity[9]!.time, exit_price: 42_100, pnl: 100, r_multiple: 1, exit_reason: hostile }],
      },
      'hostile.html',
    );
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.title()).toBe(hostile);
    await expect(page.locator('h1').textContent()).resolves.toBe(hostile);
    await expect(page.locator('#price-title').textContent()).resolves.toContain(hostile);
    expect(await page.locator('img').count()).toBe(0);
    await expect(page.locator('#trade-list td').last().textContent()).resolves.toBe(hostile);
    await page.close();
  });

  it('marks each trade on its symbol’s price, lists the trades, and the pickers switch symbol and run', async () => {
    const data = sampleReport(2500);
    const { page, problems, requests } = await open(data, 'trades.html');
    const shown = () => page.evaluate(() => (window as unknown as { __reportShown: () => { symbol: string; run: number; markers: number; trades: number; points: number; priceLabels: string[] } }).__reportShown());
    const tradesOf = (symbol: string, run: number) => data.trades!.filter((t) => t.symbol === symbol && t.run === run);
    const first = await shown();
    expect(first).toMatchObject({ symbol: 'BTCUSDT', run: 0, trades: tradesOf('BTCUSDT', 0).length, points: 2500 });
    expect(first.markers).toBe(tradesOf('BTCUSDT', 0).length);
    expect(await page.locator('#trade-list tbody tr').count()).toBe(tradesOf('BTCUSDT', 0).length);
    await expect(page.locator('#trades-title').textContent()).resolves.toMatch(/^Trades: BTCUSDT, orchestrator ON \(LIVE\) \(\d+, net PnL [+-]?[\d,.]+ USDT\)$/);
    const firstTrade = tradesOf('BTCUSDT', 0)[0]!;
    expect(await page.locator('#trade-list tbody tr').first().locator('td').allTextContents()).toEqual([
      new Date(firstTrade.opened_at).toISOString().slice(0, 16).replace('T', ' '), firstTrade.side, String(firstTrade.quantity),
      firstTrade.entry_price.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      new Date(firstTrade.closed_at).toISOString().slice(0, 16).replace('T', ' '),
      firstTrade.exit_price.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      `${firstTrade.pnl > 0 ? '+' : ''}${firstTrade.pnl.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
      firstTrade.r_multiple.toFixed(2), firstTrade.exit_reason,
    ]);

    // Another symbol: its own prices (around 0.0001, so axis labels must keep their digits), markers and list.
    await page.selectOption('#symbol-picker', '1');
    const small = await shown();
    expect(small).toMatchObject({ symbol: 'PEPEUSDT', run: 0, trades: tradesOf('PEPEUSDT', 0).length });
    expect(small.markers).toBe(tradesOf('PEPEUSDT', 0).length);
    expect(small.priceLabels.length).toBeGreaterThan(2);
    expect(new Set(small.priceLabels).size).toBe(small.priceLabels.length);
    for (const label of small.priceLabels) expect(Number(label)).toBeGreaterThan(0);
    await expect(page.locator('#price-title').textContent()).resolves.toMatch(/^PEPEUSDT close, trades of orchestrator ON \(LIVE\)/);
    await expect(page.locator('#price-legend .u-series').nth(1).textContent()).resolves.toMatch(/^PEPEUSDT0\.\d{7}$/);
    expect(await page.locator('#trade-list tbody tr').count()).toBe(tradesOf('PEPEUSDT', 0).length);

    // Another run: the baseline's trades of the same symbol.
    await page.selectOption('#run-picker', '1');
    expect(await shown()).toMatchObject({ symbol: 'PEPEUSDT', run: 1, trades: tradesOf('PEPEUSDT', 1).length });
    await expect(page.locator('#trades-title').textContent()).resolves.toMatch(/^Trades: PEPEUSDT, baseline OFF /);

    // Clicking a trade zooms every chart to it; the markers outside the view are not drawn.
    await page.locator('#trade-list tbody tr').first().click();
    const zoomed = await shown();
    expect(zoomed.markers).toBeGreaterThanOrEqual(1);
    expect(zoomed.markers).toBeLessThan(tradesOf('PEPEUSDT', 1).length);
    expect(await page.locator('.u-over').count()).toBe(6);

    // The tables below the charts.
    for (const title of ['Monthly returns', 'Shutdown events: orchestrator ON (LIVE)']) expect(await page.getByRole('heading', { name: title }).isVisible()).toBe(true);
    expect(await page.locator('.verdicts li').first().textContent()).toMatch(/^orchestrator ON \(LIVE\) lost less than baseline OFF/);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
