/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareByGroup, type CellFigures, type RunFigures } from '../../src/backtest/study/comparisons.js';
import { studyPage } from '../../src/cli/study-report.js';
import { renderStudy } from '../../src/report/index.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Cells of a made-up study: 30 seeds × 2 profiles, ON shallower than STATIC in most, ON idle in a few. */
function cells(): CellFigures[] {
  const run = (id: string, r: number, dd: number, day: number, sharpe: number, trades = 12): RunFigures => ({ id, label: id, trades, total_return: r, max_drawdown: dd, worst_daily_drawdown: day, sharpe });
  return Array.from({ length: 60 }, (_, i) => {
    const x = ((i * 37) % 60) / 60;
    return {
      key: { source: 'ema-cross', seed: String(i % 30), profile: i < 30 ? 'SAFE' : 'MODERATE' },
      runs: [run('on', 0.01 - x * 0.03, -0.03 - x * 0.05, -0.01 - x * 0.02, 0.5 - x, i % 10 === 0 ? 0 : 12), run('static', 0.02 - x * 0.02, -0.05 - x * 0.04, -0.02 - x * 0.02, 0.8 - x), run('off', 0.03, -0.12, -0.05, 0.4)],
    };
  });
}

describe('study.html in a real browser (headless Chromium)', () => {
  let context: BrowserContext;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qt-study-page-'));
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: '/usr/bin/chromium', args: ARGS, viewport: { width: 1300, height: 1400 } });
  });
  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws a quantile chart per figure offline, with the comparisons’ tables and their no-trade counts', async () => {
    const comparisons = [
      ...compareByGroup('on_vs_static', 'ON vs STATIC', 'on', 'static', cells(), ['source', 'profile']),
      ...compareByGroup('on_vs_off', 'ON vs OFF', 'on', 'off', cells(), ['source', 'profile']),
    ];
    const names = (c: { a: string; b: string }) => ({ a: c.a.toUpperCase(), b: c.b.toUpperCase() });
    const file = join(dir, 'study.html');
    writeFileSync(file, renderStudy(studyPage('A <study>', 'subtitle', comparisons, names)));
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => r.url() !== pathToFileURL(file).href && requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (window as unknown as { __studyCharts?: number }).__studyCharts === 5);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.title()).toBe('A <study>');
    const inked = await page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas')).map((c) => {
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        let ink = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++;
        return c.width > 400 && ink > 500;
      }),
    );
    expect(inked).toEqual([true, true, true, true, true]);
    // One line per comparison in each legend, named with its run count: 54 of the 60 cells traded in both runs.
    const legend = await page.locator('#chart-max_dd_reduction .u-legend').textContent();
    expect(legend).toContain('ON vs STATIC (54 runs)');
    expect(legend).toContain('ON vs OFF (54 runs)');
    expect(await page.getByRole('heading', { name: 'ON vs STATIC', exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('60 cells · ON made no trade in 6: left out (no trading is no drawdown win) · 54 compared').count()).toBe(2);
    expect(await page.locator('tbody th', { hasText: 'profile=MODERATE' }).count()).toBe(2);
    await page.close();
  });
});
