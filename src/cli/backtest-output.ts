import type { BacktestResult, RunResult } from '../backtest/backtest.js';
import type { RunMetrics } from '../backtest/metrics.js';
import type { SymbolPrecision } from '../backtest/precision.js';
import { verdict } from '../backtest/verdict.js';

export const pct = (x: number | null, sign = true) => (x === null ? '-' : `${sign && x > 0 ? '+' : ''}${(x * 100).toFixed(2)}%`);
const num = (x: number | null, digits = 2) => (x === null ? '-' : x.toFixed(digits));
const shares = (share: Readonly<Record<string, number>>, keys: readonly string[]) => keys.map((k) => `${Math.round((share[k] ?? 0) * 100)}%`).join(' / ');
const blockedShares = (share: Readonly<Record<string, number>>) => {
  const entries = Object.entries(share).filter(([, s]) => s > 0);
  return entries.length === 0 ? 'none' : entries.map(([symbol, s]) => `${symbol} ${Math.round(s * 100)}%`).join(', ');
};

const EXIT_MODES = ['TREND_FOLLOW', 'FAST_TP', 'DEFENSIVE_TRAIL'];
const STANCES = ['AGGRESSIVE', 'MODERATE', 'SAFE', 'REDUCED', 'NO_NEW_TRADES'];

/** Rows of the comparison, one column per run: what the terminal and report.html both show. */
export function metricRows(result: BacktestResult): { columns: string[]; rows: string[][] } {
  const runs = result.runs;
  const row = (name: string, cell: (m: RunMetrics, r: RunResult) => string) => [name, ...runs.map((r) => cell(r.metrics, r))];
  const perYear = runs[0]?.metrics.trading_days_per_year ?? 365;
  const rows = [
    row('total return', (m) => pct(m.total_return)),
    row('final equity (USDT)', (m) => m.final_equity.toFixed(2)),
    row('max drawdown', (m) => pct(m.max_drawdown)),
    row('worst daily drawdown', (m) => pct(m.worst_daily_drawdown)),
    row(`Sharpe (daily, ×√${perYear})`, (m) => num(m.sharpe)),
    row(`Sortino (daily, ×√${perYear})`, (m) => num(m.sortino)),
    row('trades', (m) => String(m.trades)),
    row('win rate', (m) => pct(m.win_rate, false)),
    row('average R', (m) => num(m.avg_r)),
    row('longest losing streak (trades)', (m) => String(m.longest_losing_streak)),
    row('fees (USDT)', (m) => m.fees.toFixed(2)),
    row('warm-up closes (not in the figures below)', (m) => String(m.warm_up_bars)),
    row('shutdown events', (m) => String(m.shutdown_events)),
    row('time with the gate closed', (m) => `${pct(m.gate_closed_share, false)} (${Math.round(m.gate_closed_hours)} h)`),
    row('time with a symbol blocked', (m) => blockedShares(m.symbol_blocked_share)),
    row(`exit mode ${EXIT_MODES.map((m) => m.toLowerCase()).join(' / ')}`, (m) => shares(m.exit_mode_share, EXIT_MODES)),
    row(`stance ${STANCES.map((s) => s.toLowerCase().replace(/_/g, ' ')).join(' / ')}`, (m) => shares(m.stance_share, STANCES)),
    row('policy evaluations', (_m, r) => String(r.policy_evaluations)),
  ];
  const baseRun = runs.find((r) => r.id === result.baseline);
  // A run without trades has no drawdown to reduce: "no trades" rather than a +100% that reads as a win.
  const ratio = (value: number | null | undefined, r: RunResult, base: RunResult | undefined) =>
    value === undefined ? '' : r.metrics.trades === 0 && (base?.metrics.trades ?? 0) > 0 ? 'no trades' : value === null ? '-' : pct(value);
  const reduction = (key: 'daily_dd' | 'max_dd') => (r: RunResult) => ratio(result.reduction[r.id]?.[key], r, baseRun);
  const base = baseRun?.id.toUpperCase() ?? 'baseline';
  if (runs.some((r) => r.id !== result.baseline)) {
    rows.push([`daily-DD reduction vs ${base}`, ...runs.map(reduction('daily_dd'))]);
    rows.push([`max-DD reduction vs ${base}`, ...runs.map(reduction('max_dd'))]);
  }
  const vsOff = result.reduction_vs_off;
  if (vsOff !== undefined) {
    const off = runs.find((r) => r.id === 'off');
    const cell = (key: 'daily_dd' | 'max_dd') => (r: RunResult) => ratio(vsOff[r.id]?.[key], r, off);
    rows.push(['daily-DD reduction vs OFF', ...runs.map(cell('daily_dd'))]);
    rows.push(['max-DD reduction vs OFF', ...runs.map(cell('max_dd'))]);
  }
  return { columns: ['', ...runs.map((r) => r.label)], rows };
}

/**
 * One plain-words sentence per comparison: every run against the headline baseline (STATIC, else OFF),
 * ON against OFF too, and in an A/B the edited run (B, id `vs`) against the one it edits (A, id `on`).
 */
export function verdicts(result: BacktestResult): string[] {
  const byId = (id: string | undefined) => result.runs.find((r) => r.id === id);
  const baseline = byId(result.baseline) ?? byId('off');
  const sentences = baseline === undefined ? [] : result.runs.filter((r) => r !== baseline && r.id !== 'off').map((r) => verdict(r, baseline));
  const [on, off, vs] = [byId('on'), byId('off'), byId('vs')];
  if (on !== undefined && off !== undefined && off !== baseline) sentences.push(verdict(on, off));
  if (on !== undefined && vs !== undefined) sentences.push(verdict(vs, on));
  for (const run of result.runs) {
    const refusals = refusalsOfIdleRun(run);
    if (refusals !== undefined) sentences.push(refusals);
  }
  return sentences;
}

/**
 * Why a run made no trades, when its controls refused the entries: the refusal reasons, most frequent
 * first, so that "no trades" is not a riddle (e.g. exposure caps that no entry of the sizing fits).
 */
function refusalsOfIdleRun(run: BacktestResult['runs'][number]): string | undefined {
  if (run.metrics.trades > 0) return undefined;
  const counts = new Map<string, number>();
  for (const d of run.decisions) if (d.action === 'blocked') counts.set(d.reason, (counts.get(d.reason) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const reasons = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([reason, n]) => `${reason} ${n}`);
  return `${run.label} made no trades; its controls refused ${total} entry signals: ${reasons.join(', ')}.`;
}

export function backtestTable(result: BacktestResult, context: { description: string; profile: string; signals: string }): string {
  const { columns, rows } = metricRows(result);
  const first = result.runs[0]!;
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  return [
    `Backtest · ${context.description}`,
    `profile ${context.profile} · signals ${context.signals} · rules ${first.rule_set_version}`,
    '',
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    ...verdicts(result).map((v) => `· ${v}`),
  ].join('\n');
}

/** Every trade of every run, one CSV row each; prices and quantities at the symbol's own precision. */
export function tradesCsv(result: BacktestResult, precision: ReadonlyMap<string, SymbolPrecision>): string {
  const header = 'run,position_id,symbol,side,quantity,entry_price,exit_price,opened_at,closed_at,pnl,fees,r_multiple,exit_reason,exit_mode';
  const rows = result.runs.flatMap((r) =>
    r.trades.map((t) => {
      const p = precision.get(t.symbol) ?? { price: 8, quantity: 8 };
      return [
        r.id, t.position_id, t.symbol, t.side, t.quantity.toFixed(p.quantity), t.entry_price.toFixed(p.price), t.exit_price.toFixed(p.price),
        new Date(t.opened_at).toISOString(), new Date(t.closed_at).toISOString(), t.pnl.toFixed(6), t.fees.toFixed(6), t.r_multiple.toFixed(6), t.exit_reason, t.exit_mode,
      ].join(',');
    }),
  );
  return `${[header, ...rows].join('\n')}\n`;
}
