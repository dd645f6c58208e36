import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportTable } from './report-data.js';

const require = createRequire(import.meta.url);

let library: { js: string; css: string } | undefined;

/** uPlot's script and stylesheet, read once, for inlining: the pages open offline from a file. */
export function uplotLibrary(): { js: string; css: string } {
  library ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return library;
}

export interface PageParts {
  readonly title: string;
  readonly subtitle: string;
  /** The page's own stylesheet (after uPlot's). */
  readonly css: string;
  /** HTML after the title and subtitle. */
  readonly body: string;
  /** The page's data, as JSON in a script element of this id, read by `script`. */
  readonly data: { readonly id: string; readonly payload: unknown };
  readonly script: string;
}

/**
 * A self-contained HTML page (the backtest report, the study page): uPlot, the data and the page's
 * script inlined. Inlined text must not end its script element early, so `</script` in the library is
 * escaped and `<` in the JSON data written as \u003c.
 */
export function selfContainedPage(parts: PageParts): string {
  const { js, css } = uplotLibrary();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
<style>${css}</style>
<style>${parts.css}</style>
</head>
<body>
<h1>${escapeHtml(parts.title)}</h1>
<div class="subtitle">${escapeHtml(parts.subtitle)}</div>
${parts.body}
<script>${js.replace(/<\/script/gi, '<\\/script')}</script>
<script id="${parts.data.id}" type="application/json">${JSON.stringify(parts.data.payload).replace(/</g, '\\u003c')}</script>
<script>${parts.script}</script>
</body>
</html>
`;
}

// Figures line up on the right; words (rule names, notes, decisions) read better from the left.
const FIGURE = /^[-+\d\s/%.,()h]+$/;

export function tableHtml(table: ReportTable): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const cell = (text: string) => (FIGURE.test(text) ? `<td>${escapeHtml(text)}</td>` : `<td class="text">${escapeHtml(text)}</td>`);
  const body = table.rows.map((row) => `<tr>${row.map((text, i) => (i === 0 ? `<th>${escapeHtml(text)}</th>` : cell(text))).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
