import type { BacktestResult, RunResult } from '../backtest/backtest.js';
import type { RunMetrics } from '../backtest/metrics.js';
import type { Candle } from '../market/candle.js';
import type { ReportData } from '../report/index.js';

const pct = (x: number | null, sign = true) => (x === null ? '-' : `${sign && x > 0 ? '+' : ''}${(x * 100).toFixed(2)}%`);
const num = (x: number | null, digits = 2) => (x === null ? '-' : x.toFixed(digits));
const shares = (share: Readonly<Record<string, number>>, keys: readonly string[]) => keys.map((k) => `${Math.round((share[k] ?? 0) * 100)}%`).join(' / ');

const EXIT_MODES = ['TREND_FOLLOW', 'FAST_TP', 'DEFENSIVE_TRAIL'];
const STANCES = ['AGGRESSIVE', 'MODERATE', 'SAFE', 'REDUCED', 'NO_NEW_TRADES'];

/** Rows of the comparison, one column per run: what the terminal and report.html both show. */
export function metricRows(result: BacktestResult): { columns: string[]; rows: string[][] } {
  const runs = result.runs;
  const row = (name: string, cell: (m: RunMetrics, r: RunResult) => string) => [name, ...runs.map((r) => cell(r.metrics, r))];
  const rows = [
    row('total return', (m) => pct(m.total_return)),
    row('final equity (USDT)', (m) => m.final_equity.toFixed(2)),
    row('max drawdown', (m) => pct(m.max_drawdown)),
    row('worst daily drawdown', (m) => pct(m.worst_daily_drawdown)),
    row('Sharpe (daily, annualised)', (m) => num(m.sharpe)),
    row('Sortino (daily, annualised)', (m) => num(m.sortino)),
    row('trades', (m) => String(m.trades)),
    row('win rate', (m) => pct(m.win_rate, false)),
    row('average R', (m) => num(m.avg_r)),
    row('longest losing streak (trades)', (m) => String(m.longest_losing_streak)),
    row('fees (USDT)', (m) => m.fees.toFixed(2)),
    row('shutdown events', (m) => String(m.shutdown_events)),
    row('time with the gate closed', (m) => `${pct(m.gate_closed_share, false)} (${Math.round(m.gate_closed_hours)} h)`),
    row(`exit mode ${EXIT_MODES.map((m) => m.toLowerCase()).join(' / ')}`, (m) => shares(m.exit_mode_share, EXIT_MODES)),
    row(`stance ${STANCES.map((s) => s.toLowerCase().replace(/_/g, ' ')).join(' / ')}`, (m) => shares(m.stance_share, STANCES)),
    row('policy evaluations (json-rules-engine)', (_m, r) => String(r.policy_evaluations)),
  ];
  const reduction = (key: 'daily_dd' | 'max_dd') => (r: RunResult) => {
    const value = result.reduction[r.id]?.[key];
    return value === undefined ? '' : value === null ? '-' : pct(value);
  };
  if (runs.some((r) => r.id !== 'off')) {
    rows.push(['daily-DD reduction vs baseline', ...runs.map(reduction('daily_dd'))]);
    rows.push(['max-DD reduction vs baseline', ...runs.map(reduction('max_dd'))]);
  }
  return { columns: ['', ...runs.map((r) => r.label)], rows };
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
  ].join('\n');
}

/** Every trade of every run, one CSV row each. */
export function tradesCsv(result: BacktestResult): string {
  const header = 'run,position_id,symbol,side,quantity,entry_price,exit_price,opened_at,closed_at,pnl,fees,r_multiple,exit_reason,exit_mode';
  const rows = result.runs.flatMap((r) =>
    r.trades.map((t) =>
      [r.id, t.position_id, t.symbol, t.side, t.quantity, t.entry_price, t.exit_price, new Date(t.opened_at).toISOString(), new Date(t.closed_at).toISOString(), t.pnl.toFixed(6), t.fees.toFixed(6), t.r_multiple.toFixed(6), t.exit_reason, t.exit_mode].join(','),
    ),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

export function reportData(result: BacktestResult, candles: readonly Candle[], reference: string, description: string, profile: string): ReportData {
  const first = result.runs[0]!;
  const table = metricRows(result);
  const notes = Object.entries(result.reduction).flatMap(([id, r]) => {
    const run = result.runs.find((x) => x.id === id)!;
    return [`${run.label}: daily-DD reduction vs baseline ${pct(r.daily_dd)}, max-DD reduction ${pct(r.max_dd)} (positive = shallower than the baseline).`];
  });
  return {
    title: 'Quantum Trader backtest: orchestrator ON vs OFF',
    subtitle: `${description} · profile ${profile} · rules ${first.rule_set_version} (sha256 ${first.content_hash.slice(0, 16)}…)`,
    runs: result.runs.map((r) => ({ label: r.label, equity: r.equity.map((p) => ({ time: p.time, value: p.equity })) })),
    price: { symbol: reference, points: candles.filter((c) => c.symbol === reference).map((c) => ({ time: c.closeTime, value: c.close })) },
    timeline: first.cycles.map((c) => ({ time: c.time, exit_mode: c.exit_mode, gate_open: c.gate_open, stance: c.stance })),
    table: { columns: table.columns.map((c) => c || 'metric'), rows: table.rows },
    notes,
  };
}
