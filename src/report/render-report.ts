import { drawdownOf, segmentsOf, type ReportData } from './report-data.js';
import { PAGE_SCRIPT } from './page-script.js';
import { escapeHtml, selfContainedPage, tableHtml } from './page-shell.js';

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

/**
 * The backtest report: one self-contained HTML page (library, data and script inlined) that opens offline
 * from a file. Charts: equity of every run, their drawdowns, and any symbol's price (a picker) with the
 * trades of a run as entry/exit markers and bands of exit mode, gate and risk stance underneath, all on one
 * time axis with a synchronised cursor; then the trades of that symbol, and the tables of `sections`.
 */
export function renderReport(data: ReportData): string {
  const seconds = (t: number) => Math.round(t / 1000);
  const times = [...new Set(data.runs.flatMap((r) => r.equity.map((p) => p.time)))].sort((a, b) => a - b);
  const aligned = (points: readonly { time: number; value: number }[]) => {
    const byTime = new Map(points.map((p) => [p.time, p.value]));
    return times.map((t) => byTime.get(t) ?? null);
  };
  const reference = data.prices.find((p) => p.symbol === data.reference) ?? data.prices[0];
  const payload = {
    colours: { bands: BAND_COLOURS, runs: RUN_COLOURS },
    range: spanOf([times, data.timeline.map((p) => p.time)]) ?? spanOf([reference?.points.map((p) => p.time) ?? []]),
    time: times.map(seconds),
    runs: data.runs.map((r) => ({ label: r.label, equity: aligned(r.equity), drawdown: aligned(drawdownOf(r.equity)) })),
    reference: reference?.symbol ?? '',
    prices: data.prices.map((p) => ({ symbol: p.symbol, decimals: p.decimals ?? null, time: p.points.map((x) => seconds(x.time)), value: p.points.map((x) => x.value) })),
    trades: (data.trades ?? []).map((t) => ({ ...t, opened_at: seconds(t.opened_at), closed_at: seconds(t.closed_at) })),
    bands: [
      { name: 'exit mode', segments: segmentsOf(data.timeline, (i) => data.timeline[i]!.exit_mode) },
      { name: 'gate', segments: segmentsOf(data.timeline, (i) => (data.timeline[i]!.gate_open ? 'open' : 'closed')) },
      { name: 'risk stance', segments: segmentsOf(data.timeline, (i) => data.timeline[i]!.stance) },
    ].map((band) => ({ ...band, segments: band.segments.map((s) => [seconds(s.start), seconds(s.end), s.value]) })),
  };
  const list = (items: readonly string[] | undefined, className: string) =>
    items === undefined || items.length === 0 ? '' : `<ul class="${className}">${items.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
  const options = (values: readonly string[], selected: string) =>
    values.map((v, i) => `<option value="${i}"${v === selected ? ' selected' : ''}>${escapeHtml(v)}</option>`).join('');
  const sections = (data.sections ?? [])
    .map((s) => `<h2 id="${escapeHtml(s.id)}">${escapeHtml(s.title)}</h2>${s.intro === undefined ? '' : `<p class="intro">${escapeHtml(s.intro)}</p>`}${tableHtml(s.table)}`)
    .join('\n');
  return selfContainedPage({
    title: data.title,
    subtitle: data.subtitle,
    css: PAGE_CSS,
    data: { id: 'report-data', payload },
    script: PAGE_SCRIPT,
    body: `${list(data.verdicts, 'verdicts')}
${tableHtml(data.table)}
${list(data.notes, 'notes')}
<h2>Equity (USDT)</h2><div id="equity" class="chart"></div>
<h2>Drawdown from peak</h2><div id="drawdown" class="chart"></div>
<h2 id="price-title"></h2>
<div class="pickers">
  <label>symbol <select id="symbol-picker">${options(data.prices.map((p) => p.symbol), reference?.symbol ?? '')}</select></label>
  <label>trades of <select id="run-picker">${options(data.runs.map((r) => r.label), data.runs[0]?.label ?? '')}</select></label>
  <span class="marker-key"><span class="long">▲</span> long entry <span class="short">▼</span> short entry <span class="win">●</span> exit in profit <span class="loss">●</span> exit at a loss</span>
</div>
<div id="price"></div>
<div id="bands"></div>
<div id="price-legend"></div>
<div id="band-legends"></div>
<div class="subtitle" style="margin-top: 16px">Times are UTC. Drag on a chart to zoom, double-click to reset; click a trade to zoom to it.</div>
<h2 id="trades-title">Trades</h2>
<div id="trade-list"></div>
${sections}`,
  });
}

const PAGE_CSS = `
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #212121; max-width: 1280px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; }
  .subtitle, .intro { color: #616161; margin-bottom: 16px; }
  .verdicts { font-size: 15px; margin: 0 0 16px; padding-left: 20px; } .verdicts li { margin-bottom: 4px; }
  table { border-collapse: collapse; } th, td { padding: 4px 12px; border-bottom: 1px solid #e0e0e0; text-align: right; }
  td.text { text-align: left; } thead th { border-bottom: 2px solid #9e9e9e; } tbody th, thead th:first-child { text-align: left; } tbody th { font-weight: 500; }
  .legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 6px 0 0 92px; font-size: 12px; }
  .legend b { min-width: 80px; font-weight: 600; }
  .legend span::before { content: ''; display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -2px; background: var(--c); }
  .band-label { font-size: 12px; color: #616161; margin: 2px 0 0 92px; }
  .chart { margin-bottom: 4px; }
  .pickers { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: center; margin: 0 0 8px 92px; font-size: 13px; }
  .marker-key { color: #616161; } .long, .win { color: #2e7d32; } .short, .loss { color: #c62828; }
  #trade-list { max-height: 420px; overflow: auto; } #trade-list tbody tr { cursor: pointer; } #trade-list tbody tr:hover { background: #f5f5f5; }
`;

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
