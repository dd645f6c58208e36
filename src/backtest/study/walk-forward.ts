import type { CellFigures, RunFigures } from './comparisons.js';

export const CHOOSE_BY = ['sharpe', 'return', 'max_dd'] as const;
export type ChooseBy = (typeof CHOOSE_BY)[number];

/** A rule-set choice made on one period and judged on the next. */
export interface WalkForwardStep {
  readonly key: Readonly<Record<string, string>>;
  /** The period the choice was made on, and the one it is reported on. */
  readonly chosen_on: number;
  readonly reported_on: number;
  /** Id of the run chosen (`on`: the rule set as given; a `--vs-rules` variant otherwise). */
  readonly chosen: string;
}

/**
 * Walk-forward over rule-set variants: for each cell and each period after the first, the candidate
 * (`on` or a variant) that scored best on the period before (by `chooseBy`: Sharpe, total return, or
 * the shallowest max drawdown; a tie keeps the earlier candidate, `on` first) is the run `chosen`, and
 * the cell of that next period gets it beside its own runs. So `chosen` vs `on` says whether picking
 * rules on past data beat keeping them, out of sample.
 */
export function walkForward(cells: readonly CellFigures[], candidates: readonly string[], chooseBy: ChooseBy): { cells: CellFigures[]; steps: WalkForwardStep[] } {
  const byCell = new Map<string, CellFigures[]>();
  for (const cell of cells) {
    const { period: _period, ...rest } = cell.key;
    const id = JSON.stringify(rest);
    byCell.set(id, [...(byCell.get(id) ?? []), cell]);
  }
  const out: CellFigures[] = [];
  const steps: WalkForwardStep[] = [];
  for (const periods of byCell.values()) {
    const sorted = [...periods].sort((x, y) => Number(x.key.period) - Number(y.key.period));
    for (let p = 1; p < sorted.length; p++) {
      const before = sorted[p - 1]!;
      const now = sorted[p]!;
      const chosen = best(before.runs.filter((r) => candidates.includes(r.id)), chooseBy);
      const figures = now.runs.find((r) => r.id === chosen.id);
      if (figures === undefined) continue;
      out.push({ key: now.key, runs: [...now.runs, { ...figures, id: 'chosen', label: `chosen on the period before (${chosen.id})` }] });
      steps.push({ key: now.key, chosen_on: Number(before.key.period), reported_on: Number(now.key.period), chosen: chosen.id });
    }
  }
  return { cells: out, steps };
}

function best(runs: readonly RunFigures[], chooseBy: ChooseBy): RunFigures {
  const score = (r: RunFigures) => (chooseBy === 'sharpe' ? (r.sharpe ?? Number.NEGATIVE_INFINITY) : chooseBy === 'return' ? r.total_return : r.max_drawdown);
  return runs.reduce((top, r) => (score(r) > score(top) ? r : top));
}
