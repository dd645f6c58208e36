import { distribution, type BootstrapOptions, type Distribution } from './statistics.js';

/** What a study keeps of one run of one cell: the figures the comparisons need. */
export interface RunFigures {
  readonly id: string;
  readonly label: string;
  readonly trades: number;
  readonly total_return: number;
  /** ≤ 0. */
  readonly max_drawdown: number;
  /** ≤ 0. */
  readonly worst_daily_drawdown: number;
  readonly sharpe: number | null;
}

/** One point of the grid with the figures of each of its runs. */
export interface CellFigures {
  readonly key: Readonly<Record<string, string>>;
  readonly runs: readonly RunFigures[];
}

/** The figures of a comparison, A against B, each a distribution over the runs where both traded. */
export const COMPARISON_METRICS = ['max_dd_reduction', 'worst_day_reduction', 'return_difference', 'sharpe_difference', 'return_cost'] as const;
export type ComparisonMetric = (typeof COMPARISON_METRICS)[number];

export const METRIC_LABELS: Readonly<Record<ComparisonMetric, string>> = {
  max_dd_reduction: 'max-DD reduction',
  worst_day_reduction: 'worst-day reduction',
  return_difference: 'return difference',
  sharpe_difference: 'Sharpe difference',
  return_cost: 'return cost',
};

export interface Comparison {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly label: string;
  /** Which cells: `all`, or one value of a grid dimension (`profile=SAFE`). */
  readonly group: string;
  /** Cells that had both runs. */
  readonly cells: number;
  /** Cells where A, or B, made no trade: no trading is no drawdown win, so those cells are left out of every figure. */
  readonly a_no_trades: number;
  readonly b_no_trades: number;
  /** Cells in the figures: both runs traded. */
  readonly compared: number;
  readonly metrics: Readonly<Partial<Record<ComparisonMetric, Distribution>>>;
}

/**
 * A against B over the cells, each figure per cell:
 * - max_dd_reduction, worst_day_reduction: the share of B's drawdown that A avoided, 1 − A/B (the design's
 *   two ratios; left out where B had no drawdown); better when > 0;
 * - return_difference: A's total return − B's; better when > 0;
 * - sharpe_difference: A's Sharpe − B's (where both have one); better when > 0;
 * - return_cost: what a shallower max drawdown cost, B's return − A's, in the cells where A's max
 *   drawdown was shallower; "better" when ≤ 0 (no cost).
 */
export function compare(id: string, label: string, a: string, b: string, cells: readonly CellFigures[], group = 'all', bootstrap: BootstrapOptions = {}): Comparison {
  const pairs = cells.flatMap((c) => {
    const [ra, rb] = [c.runs.find((r) => r.id === a), c.runs.find((r) => r.id === b)];
    return ra === undefined || rb === undefined ? [] : [[ra, rb] as const];
  });
  const traded = pairs.filter(([ra, rb]) => ra.trades > 0 && rb.trades > 0);
  const reduction = (x: number, base: number) => (base < 0 ? 1 - x / base : undefined);
  const values = (f: (ra: RunFigures, rb: RunFigures) => number | null | undefined) => traded.map(([ra, rb]) => f(ra, rb)).filter((v): v is number => v !== undefined && v !== null && Number.isFinite(v));
  const seed = `${bootstrap.seed ?? 'study'}/${id}/${group}`;
  const summary = (list: number[], better: (v: number) => boolean) => distribution(list, better, { ...bootstrap, seed });
  const metrics: Partial<Record<ComparisonMetric, Distribution>> = {};
  const put = (metric: ComparisonMetric, d: Distribution | undefined) => {
    if (d !== undefined) metrics[metric] = d;
  };
  put('max_dd_reduction', summary(values((ra, rb) => reduction(ra.max_drawdown, rb.max_drawdown)), (v) => v > 0));
  put('worst_day_reduction', summary(values((ra, rb) => reduction(ra.worst_daily_drawdown, rb.worst_daily_drawdown)), (v) => v > 0));
  put('return_difference', summary(values((ra, rb) => ra.total_return - rb.total_return), (v) => v > 0));
  put('sharpe_difference', summary(values((ra, rb) => (ra.sharpe === null || rb.sharpe === null ? null : ra.sharpe - rb.sharpe)), (v) => v > 0));
  put('return_cost', summary(values((ra, rb) => (ra.max_drawdown > rb.max_drawdown ? rb.total_return - ra.total_return : undefined)), (v) => v <= 0));
  return {
    id, a, b, label, group,
    cells: pairs.length,
    a_no_trades: pairs.filter(([ra]) => ra.trades === 0).length,
    b_no_trades: pairs.filter(([, rb]) => rb.trades === 0).length,
    compared: traded.length,
    metrics,
  };
}

/** The comparison over all cells and over each value of each grid dimension that has more than one value. */
export function compareByGroup(id: string, label: string, a: string, b: string, cells: readonly CellFigures[], dimensions: readonly string[], bootstrap: BootstrapOptions = {}): Comparison[] {
  const out = [compare(id, label, a, b, cells, 'all', bootstrap)];
  for (const dimension of dimensions) {
    const values = [...new Set(cells.map((c) => c.key[dimension]!))];
    if (values.length < 2) continue;
    for (const value of values) out.push(compare(id, label, a, b, cells.filter((c) => c.key[dimension] === value), `${dimension}=${value}`, bootstrap));
  }
  return out;
}
