import type { ReportTable } from './report-data.js';
import { escapeHtml, selfContainedPage, tableHtml } from './page-shell.js';
import { STUDY_PAGE_SCRIPT } from './study-page-script.js';

/** A figure's distribution over a study's runs: per comparison, its value at each percentile 0..100. */
export interface StudyChart {
  readonly id: string;
  readonly label: string;
  /** Values are fractions shown as percentages (else plain numbers, e.g. Sharpe). */
  readonly percent: boolean;
  readonly series: readonly { readonly label: string; readonly values: readonly number[] }[];
}

export interface StudySection {
  readonly id: string;
  readonly title: string;
  readonly intro: string;
  readonly tables: readonly ReportTable[];
}

export interface StudyPage {
  readonly title: string;
  readonly subtitle: string;
  readonly intro: string;
  readonly charts: readonly StudyChart[];
  readonly sections: readonly StudySection[];
}

const COLOURS = ['#1565c0', '#c62828', '#2e7d32', '#8e24aa', '#ef6c00', '#00897b'];

/**
 * The study page: one self-contained HTML file (uPlot inlined, opens offline). Per figure a quantile
 * chart of its distribution over the runs, one line per comparison (the median at 50%; a line above zero
 * everywhere: A better in every run), then the sections' tables.
 */
export function renderStudy(page: StudyPage): string {
  const payload = { colours: COLOURS, percentiles: Array.from({ length: 101 }, (_, i) => i), charts: page.charts };
  const sections = page.sections.map((s) => `<h2 id="${escapeHtml(s.id)}">${escapeHtml(s.title)}</h2>
<p class="intro">${escapeHtml(s.intro)}</p>
${s.tables.map(tableHtml).join('\n')}`);
  return selfContainedPage({
    title: page.title,
    subtitle: page.subtitle,
    css: STUDY_CSS,
    data: { id: 'study-data', payload },
    script: STUDY_PAGE_SCRIPT,
    body: `<p class="intro">${escapeHtml(page.intro)}</p>
<h2>Distributions over the runs</h2>
<p class="intro">The value at each percentile of the runs, one line per comparison: where a line crosses zero, the runs left of it went the other way.</p>
${page.charts.map((c) => `<h3>${escapeHtml(c.label)}</h3><div id="chart-${escapeHtml(c.id)}" class="chart"></div>`).join('\n')}
${sections.join('\n')}`,
  });
}

const STUDY_CSS = `
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #212121; max-width: 1280px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; } h3 { font-size: 14px; margin: 18px 0 4px; }
  .subtitle, .intro { color: #616161; margin-bottom: 12px; }
  table { border-collapse: collapse; margin-bottom: 12px; } th, td { padding: 4px 12px; border-bottom: 1px solid #e0e0e0; text-align: right; }
  td.text { text-align: left; } thead th { border-bottom: 2px solid #9e9e9e; } tbody th, thead th:first-child { text-align: left; } tbody th { font-weight: 500; }
`;
