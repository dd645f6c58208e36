import { COMPARISON_METRICS, METRIC_LABELS, type Comparison } from '../backtest/study/comparisons.js';
import { quantile } from '../backtest/study/statistics.js';
import type { StudyPage } from '../report/index.js';
import { COMPARISON_COLUMNS, comparisonRows, coverage, GROUP_COLUMNS, groupRows } from './study-output.js';

export const STUDY_INTRO =
  'Each figure compares run A with run B of the same cell (data set, signal source, seed, profile). Drawdown reductions are 1 − A/B of the drawdowns ' +
  '(the design’s ratios: +20% = a fifth shallower); return and Sharpe differences are A − B; the return cost is B’s return − A’s where A’s max drawdown ' +
  'was shallower. Cells where a run made no trade are left out and counted: no trading is no drawdown win. Intervals: 95% bootstrap of the median (seeded).';

/** What study.html shows: a quantile chart per figure (one line per comparison), then each comparison's tables. */
export function studyPage(title: string, subtitle: string, comparisons: readonly Comparison[], names: (c: Comparison) => { a: string; b: string }): StudyPage {
  const all = comparisons.filter((c) => c.group === 'all');
  return {
    title,
    subtitle,
    intro: STUDY_INTRO,
    charts: COMPARISON_METRICS.map((metric) => ({
      id: metric,
      label: METRIC_LABELS[metric],
      percent: metric !== 'sharpe_difference',
      series: all.flatMap((c) => {
        const d = c.metrics[metric];
        return d === undefined ? [] : [{ label: `${names(c).a} vs ${names(c).b} (${d.n} runs)`, values: Array.from({ length: 101 }, (_, i) => quantile(d.values, i / 100)) }];
      }),
    })),
    sections: all.map((c) => {
      const groups = comparisons.filter((g) => g.id === c.id);
      return {
        id: c.id,
        title: c.label,
        intro: `A = ${names(c).a}, B = ${names(c).b} · ${coverage(c, names(c))}`,
        tables: [
          { columns: COMPARISON_COLUMNS.map((x) => x.replace('A better', `${names(c).a} better`)), rows: comparisonRows(c) },
          ...(groups.length > 1 ? [{ columns: [...GROUP_COLUMNS], rows: groupRows(groups) }] : []),
        ],
      };
    }),
  };
}
