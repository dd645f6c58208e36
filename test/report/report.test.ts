import { describe, expect, it } from 'vitest';
import { drawdownOf, renderReport, segmentsOf } from '../../src/report/index.js';
import { sampleReport } from './sample-data.js';

/** The JSON the page draws from, read back out of the HTML. */
function embedded(html: string): {
  prices: { symbol: string; value: number[] }[];
  reference: string;
  trades: { run: number; symbol: string; opened_at: number }[];
  runs: { label: string; drawdown: number[] }[];
  range: [number, number];
} {
  const json = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json!);
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
    const html = renderReport(sampleReport(10));
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    // The library's licence banner names its home page; nothing else may point outside the file.
    expect(html.replace(/\/\*![^*]*\*\//g, '')).not.toMatch(/https?:\/\//);
    expect(html).toContain('uPlot');
  });

  it('embeds the data the charts draw: every symbol’s price, the trades, drawdowns and the backtest span', () => {
    const data = sampleReport(400);
    expect(data.trades!.length).toBeGreaterThan(4);
    const page = embedded(renderReport(data));
    expect(page.reference).toBe('BTCUSDT');
    expect(page.prices.map((p) => p.symbol)).toEqual(['BTCUSDT', 'PEPEUSDT']);
    expect(page.prices[1]!.value).toEqual(data.prices[1]!.points.map((p) => p.value));
    expect(page.trades).toHaveLength(data.trades!.length);
    expect(page.trades[0]!.opened_at).toBe(data.trades![0]!.opened_at / 1000);
    expect(page.runs.map((r) => r.label)).toEqual(['orchestrator ON (LIVE)', 'baseline OFF']);
    expect(page.runs[0]!.drawdown).toEqual(drawdownOf(data.runs[0]!.equity).map((p) => p.value));
    expect(page.range).toEqual([data.runs[0]!.equity[0]!.time / 1000, data.runs[0]!.equity.at(-1)!.time / 1000]);
  });

  it('escapes whatever the data says, so a hostile title, symbol, label or cell cannot inject markup', () => {
    const hostile = '</script><script>alert(2)</script><!--';
    const data = sampleReport(5, '<img src=x onerror=alert(1)>');
    const html = renderReport({
      ...data,
      subtitle: hostile,
      prices: data.prices.map((p) => ({ ...p, symbol: hostile })),
      reference: hostile,
      runs: data.runs.map((r) => ({ ...r, label: hostile })),
      table: { columns: [hostile], rows: [[hostile, '<b>x</b>']] },
      notes: [hostile],
      verdicts: [hostile],
      sections: [{ id: hostile, title: hostile, intro: hostile, table: { columns: [hostile], rows: [[hostile, '<b>x</b>']] } }],
      trades: data.trades!.map((t) => ({ ...t, symbol: hostile, exit_reason: hostile })),
    });
    expect(html).toContain('<title>&lt;img src=x onerror=alert(1)&gt;</title>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(2)');
    expect(html).not.toContain('<!--');
    expect(html).not.toContain('<b>x</b>');
    // Three script elements (library, data, page script) and nothing closes them early.
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(embedded(html).prices[0]!.symbol).toBe(hostile);
    expect(html).toContain('<option value="0" selected>&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;&lt;!--</option>');
  });
});
