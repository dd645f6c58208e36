import { COMPARISON_METRICS, METRIC_LABELS, type Comparison, type ComparisonMetric } from '../backtest/study/comparisons.js';
import type { Distribution } from '../backtest/study/statistics.js';

// Signed, and a value that rounds to zero is 0 (never "-0.0%").
const signed = (x: number, digits: number) => {
  const text = x.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : `${x > 0 ? '+' : ''}${text}`;
};
const pct = (x: number) => `${signed(x * 100, 1)}%`;
const num = (x: number) => signed(x, 2);

/** A figure as the tables show it: percentages, Sharpe as a plain number. */
export function formatFigure(metric: ComparisonMetric, x: number): string {
  return metric === 'sharpe_difference' ? num(x) : pct(x);
}

/** The comparison's per-figure rows: median, its 95% bootstrap interval, the 5-95% range and the share better. */
export function comparisonRows(c: Comparison): string[][] {
  return COMPARISON_METRICS.map((metric) => {
    const d: Distribution | undefined = c.metrics[metric];
    const f = (x: number) => formatFigure(metric, x);
    if (d === undefined) return [METRIC_LABELS[metric], '-', '-', '-', '-', '0'];
    return [METRIC_LABELS[metric], f(d.median), `[${f(d.ci_low)}, ${f(d.ci_high)}]`, `${f(d.p5)} … ${f(d.p95)}`, `${Math.round(d.better_share * 100)}%`, String(d.n)];
  });
}

export const COMPARISON_COLUMNS = ['figure', 'median', '95% CI of the median', '5% … 95% of runs', 'A better', 'runs'];

/** Whose trades were missing: the line that keeps a 0-trade run from reading as a drawdown win. */
export function coverage(c: Comparison, names: { a: string; b: string }): string {
  const idle = [c.a_no_trades > 0 ? `${names.a} made no trade in ${c.a_no_trades}` : '', c.b_no_trades > 0 ? `${names.b} made no trade in ${c.b_no_trades}` : ''].filter(Boolean);
  const left = idle.length === 0 ? '' : ` · ${idle.join(', ')}: left out (no trading is no drawdown win)`;
  return `${c.cells} cells${left} · ${c.compared} compared`;
}

/** One row per group of a comparison: the design's two ratios and the return difference, with their intervals. */
export function groupRows(groups: readonly Comparison[]): string[][] {
  const cell = (c: Comparison, metric: ComparisonMetric) => {
    const d = c.metrics[metric];
    return d === undefined ? '-' : `${formatFigure(metric, d.median)} [${formatFigure(metric, d.ci_low)}, ${formatFigure(metric, d.ci_high)}]`;
  };
  return groups.map((g) => [g.group, `${g.compared}/${g.cells}`, `${g.a_no_trades} / ${g.b_no_trades}`, cell(g, 'max_dd_reduction'), cell(g, 'worst_day_reduction'), cell(g, 'return_difference')]);
}

export const GROUP_COLUMNS = ['group', 'compared / cells', 'no trade A / B', 'max-DD reduction [CI]', 'worst-day reduction [CI]', 'return difference [CI]'];

export function textTable(columns: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => indent + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The whole terminal output of a study: per comparison its figures over all cells, then per group. */
export function studyTable(header: readonly string[], comparisons: readonly Comparison[], names: (c: Comparison) => { a: string; b: string }): string {
  const ids = [...new Set(comparisons.map((c) => c.id))];
  const blocks = ids.map((id) => {
    const groups = comparisons.filter((c) => c.id === id);
    const all = groups.find((g) => g.group === 'all')!;
    const { a, b } = names(all);
    return [
      `${all.label}   (A = ${a}, B = ${b})`,
      `  ${coverage(all, { a, b })}`,
      textTable(COMPARISON_COLUMNS.map((c) => c.replace('A better', `${a} better`)), comparisonRows(all)),
      ...(groups.length > 1 ? ['', textTable(GROUP_COLUMNS, groupRows(groups))] : []),
    ].join('\n');
  });
  return [...header, '', ...blocks.flatMap((b) => [b, ''])].join('\n');
}
