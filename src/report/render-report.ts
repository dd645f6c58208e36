import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { drawdownOf, segmentsOf, type ReportData } from './report-data.js';
import { PAGE_SCRIPT } from './page-script.js';

const require = createRequire(import.meta.url);

/** Colours of the timeline bands, by value: calm colours for normal trading, warm ones for defence. */
export const BAND_COLOURS: Readonly<Record<string, string>> = {
  TREND_FOLLOW: '#2e7d32',
  FAST_TP: '#f9a825',
  DEFENSIVE_TRAIL: '#c62828',
  open: '#2e7d32',
  closed: '#c62828',
  AGGRESSIVE: '#1565c0',
  MODERATE: '#2e7d32',
  SAFE: '#9e9d24',
  REDUCED: '#ef6c00',
  NO_NEW_TRADES: '#c62828',
  FALLBACK: '#6a1b9a',
};
const RUN_COLOURS = ['#1565c0', '#757575', '#8e24aa', '#00897b'];

let library: { js: string; css: string } | undefined;

/** uPlot's built files, inlined so the page needs no network (read once per process). */
function uplot(): { js: string; css: string } {
  library ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return library;
}

/**
 * The backtest report: one self-contained HTML page (library, data and script inlined) that opens offline
 * from a file. Charts: equity of every run, their drawdowns, and the reference price with bands of exit
 * mode, gate and risk stance underneath, all on one time axis with a synchronised cursor.
 */
export function renderReport(data: ReportData): string {
  const seconds = (t: number) => Math.round(t / 1000);
  const times = [...new Set(data.runs.flatMap((r) => r.equity.map((p) => p.time)))].sort((a, b) => a - b);
  const aligned = (points: readonly { time: number; value: number }[]) => {
    const byTime = new Map(points.map((p) => [p.time, p.value]));
    return times.map((t) => byTime.get(t) ?? null);
  };
  const payload = {
    colours: { bands: BAND_COLOURS, runs: RUN_COLOURS },
    range: spanOf([times, data.timeline.map((p) => p.time)]) ?? spanOf([data.price.points.map((p) => p.time)]),
    time: times.map(seconds),
    runs: data.runs.map((r) => ({ label: r.label, equity: aligned(r.equity), drawdown: aligned(drawdownOf(r.equity)) })),
    price: { symbol: data.price.symbol, time: data.price.points.map((p) => seconds(p.time)), value: data.price.points.map((p) => p.value) },
    bands: [
      { name: 'exit mode', segments: segmentsOf(data.timeline, (i) => data.timeline[i]!.exit_mode) },
      { name: 'gate', segments: segmentsOf(data.timeline, (i) => (data.timeline[i]!.gate_open ? 'open' : 'closed')) },
      { name: 'risk stance', segments: segmentsOf(data.timeline, (i) => data.timeline[i]!.stance) },
    ].map((band) => ({ ...band, segments: band.segments.map((s) => [seconds(s.start), seconds(s.end), s.value]) })),
  };
  const { js, css } = uplot();
  const table = `<table><thead><tr>${data.table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${data.table.rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th>${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const notes = (data.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${css}</style>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #212121; max-width: 1280px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; }
  .subtitle { color: #616161; margin-bottom: 16px; }
  table { border-collapse: collapse; } th, td { padding: 4px 12px; border-bottom: 1px solid #e0e0e0; text-align: right; }
  thead th { border-bottom: 2px solid #9e9e9e; } tbody th, thead th:first-child { text-align: left; } tbody th { font-weight: 500; }
  .legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 6px 0 0 92px; font-size: 12px; }
  .legend b { min-width: 80px; font-weight: 600; }
  .legend span::before { content: ''; display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -2px; background: var(--c); }
  .band-label { font-size: 12px; color: #616161; margin: 2px 0 0 92px; }
  .chart { margin-bottom: 4px; }
</style>
</head>
<body>
<h1>${escapeHtml(data.title)}</h1>
<div class="subtitle">${escapeHtml(data.subtitle)}</div>
${table}
${notes === '' ? '' : `<ul class="notes">${notes}</ul>`}
<h2>Equity (USDT)</h2><div id="equity" class="chart"></div>
<h2>Drawdown from peak</h2><div id="drawdown" class="chart"></div>
<h2 id="price-title"></h2><div id="price"></div>
<div id="bands"></div>
<div id="price-legend"></div>
<div id="band-legends"></div>
<div class="subtitle" style="margin-top: 16px">Times are UTC. Drag on a chart to zoom, double-click to reset.</div>
<script>${js.replace(/<\/script/gi, '<\\/script')}</script>
<script id="report-data" type="application/json">${JSON.stringify(payload).replace(/</g, '\\u003c')}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** [first, last] in seconds over the given times, or undefined when there are none. */
function spanOf(lists: readonly (readonly number[])[]): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const list of lists) {
    for (const t of list) {
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
  }
  return min <= max ? [Math.round(min / 1000), Math.round(max / 1000)] : undefined;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
