/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawdownOf, renderReport, segmentsOf, type ReportData } from '../../src/report/index.js';

const H = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

function sampleData(points = 2500, title = 'Backtest: orchestrator ON vs OFF'): ReportData {
  const modes = ['TREND_FOLLOW', 'FAST_TP', 'DEFENSIVE_TRAIL'];
  const stances = ['MODERATE', 'SAFE', 'REDUCED', 'NO_NEW_TRADES'];
  const times = Array.from({ length: points }, (_, i) => T0 + i * H);
  return {
    title,
    subtitle: 'synthetic market, 5 symbols, 1h · profile SAFE · rules 1.0.0+abcdef123456',
    runs: [
      { label: 'orchestrator ON (LIVE)', equity: times.map((time, i) => ({ time, value: 10_000 + 400 * Math.sin(i / 90) + i * 0.3 })) },
      { label: 'baseline OFF', equity: times.map((time, i) => ({ time, value: 10_000 + 700 * Math.sin(i / 70) - i * 0.2 })) },
    ],
    price: { symbol: 'BTCUSDT', points: times.map((time, i) => ({ time, value: 42_000 + 3000 * Math.sin(i / 200) })) },
    timeline: times.map((time, i) => ({ time, exit_mode: modes[Math.floor(i / 150) % 3]!, gate_open: Math.floor(i / 97) % 5 !== 0, stance: stances[Math.floor(i / 120) % 4]! })),
    table: { columns: ['metric', 'ON', 'OFF'], rows: [['total return', '+4.10%', '-2.30%'], ['max drawdown', '-5.00%', '-9.00%']] },
    notes: ['Daily-DD reduction 20%'],
  };
}

describe('report data', () => {
  it('computes drawdowns from the running peak and the bands as segments', () => {
    const dd = drawdownOf([{ time: 1, value: 100 }, { time: 2, value: 120 }, { time: 3, value: 90 }, { time: 4, value: 130 }]);
    expect(dd.map((p) => p.value)).toEqual([0, 0, 90 / 120 - 1, 0]);
    const points = [{ time: 1 }, { time: 2 }, { time: 3 }, { time: 4 }];
    expect(segmentsOf(points, (i) => ['a', 'a', 'b', 'b'][i])).toEqual([{ start: 1, end: 3, value: 'a' }, { start: 3, end: 4, value: 'b' }]);
  });
});

describe('report.html', () => {
  it('is self-contained: the charting library, data and script are inlined, nothing is fetched', () => {
    const html = renderReport(sampleData(10));
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    // The library's licence banner names its home page; nothing else may point outside the file.
    expect(html.replace(/\/\*![^*]*\*\//g, '')).not.toMatch(/https?:\/\//);
    expect(html).toContain('uPlot');
    expect(html).toContain('"symbol":"BTCUSDT"');
  });

  it('escapes whatever the data says, so a hostile symbol or title cannot inject markup', () => {
    const data = sampleData(5, '<img src=x onerror=alert(1)>');
    const html = renderReport({ ...data, price: { ...data.price, symbol: '</script><script>alert(2)</script>' } });
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('</script><script>alert(2)');
  });
});

describe('report.html in a real browser (headless Chromium)', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qt-report-'));
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders every chart with no console error and no request, offline from a file', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport(sampleData()));
    const page = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => !r.url().startsWith('file:') && requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (window as unknown as { __reportCharts?: number }).__reportCharts === 6);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('canvas').count()).toBe(6);
    // The charts drew something: canvases are sized and not blank.
    const inked = await page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas')).map((c) => {
        const ctx = c.getContext('2d')!;
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        let ink = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++;
        return c.width > 100 && ink > 500;
      }),
    );
    expect(inked).toEqual([true, true, true, true, true, true]);
    for (const label of ['TREND_FOLLOW', 'DEFENSIVE_TRAIL', 'closed', 'NO_NEW_TRADES', 'orchestrator ON (LIVE)', 'baseline OFF']) {
      await expect(page.getByText(label, { exact: true }).first().isVisible()).resolves.toBe(true);
    }
    await page.screenshot({ path: join(tmpdir(), 'qt-report-screenshot.png'), fullPage: true });
    await page.close();
  });
});
