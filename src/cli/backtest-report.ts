import type { BacktestResult, DecisionDifference } from '../backtest/backtest.js';
import { symbolResults } from '../backtest/breakdown.js';
import type { SymbolPrecision } from '../backtest/precision.js';
import type { SeriesPoint } from '../backtest/sampled-series.js';
import type { ReportData, ReportSection } from '../report/index.js';
import { metricRows, pct, verdicts } from './backtest-output.js';

// The page lists this many differing decisions at most; results.json has them all.
const MAX_DIFFERENCES_SHOWN = 1000;

export interface ReportContext {
  /** Each symbol's closes, as many as the chart needs (SampledSeries). */
  readonly prices: ReadonlyMap<string, readonly SeriesPoint[]>;
  readonly reference: string;
  readonly description: string;
  readonly profile: string;
  readonly precision: ReadonlyMap<string, SymbolPrecision>;
  /** A/B decisions that differ between run A (`on`) and run B (`vs`). */
  readonly differences?: readonly DecisionDifference[];
}

/** Everything report.html shows of a backtest: the runs' curves, every symbol's price and trades, the tables. */
export function reportData(result: BacktestResult, context: ReportContext): ReportData {
  const first = result.runs[0]!;
  const table = metricRows(result);
  const symbols = [...context.prices.keys()].sort();
  return {
    title: 'Quantum Trader backtest: orchestrator ON vs the STATIC and OFF baselines',
    subtitle: `${context.description} · profile ${context.profile} · rules ${first.rule_set_version} (sha256 ${first.content_hash.slice(0, 16)}…)`,
    runs: result.runs.map((r) => ({ label: r.label, equity: r.equity.map((p) => ({ time: p.time, value: p.equity })) })),
    reference: context.reference,
    prices: symbols.map((symbol) => ({
      symbol,
      decimals: context.precision.get(symbol)?.price,
      points: context.prices.get(symbol)!,
    })),
    trades: result.runs.flatMap((r, run) => r.trades.map((t) => ({
      run, symbol: t.symbol, side: t.side, quantity: t.quantity, opened_at: t.opened_at, entry_price: t.entry_price,
      closed_at: t.closed_at, exit_price: t.exit_price, pnl: t.pnl, r_multiple: t.r_multiple, exit_reason: t.exit_reason,
    }))),
    // The closes where a control changed draw the same bands as every close would.
    timeline: first.timeline,
    table: { columns: table.columns.map((c) => c || 'metric'), rows: table.rows },
    verdicts: verdicts(result),
    sections: [symbolSection(result), monthlySection(result), ...shutdownSections(result), ...(context.differences === undefined ? [] : [differenceSection(result, context.differences)])],
  };
}

function symbolSection(result: BacktestResult): ReportSection {
  const perRun = result.runs.map((r) => new Map(symbolResults(r.trades).map((s) => [s.symbol, s])));
  const symbols = [...new Set(perRun.flatMap((m) => [...m.keys()]))].sort();
  return {
    id: 'per-symbol',
    title: 'Results per symbol',
    intro: 'Closed trades of each run: count, win rate, average R and net PnL after fees (USDT).',
    table: {
      columns: ['symbol', ...result.runs.flatMap((r) => [`${r.label}: trades`, 'win rate', 'avg R', 'net PnL'])],
      rows: symbols.map((symbol) => [symbol, ...perRun.flatMap((m) => {
        const s = m.get(symbol);
        return s === undefined ? ['0', '-', '-', '-'] : [String(s.trades), pct(s.win_rate, false), s.avg_r === null ? '-' : s.avg_r.toFixed(2), s.net_pnl.toFixed(2)];
      })]),
    },
  };
}

function monthlySection(result: BacktestResult): ReportSection {
  const perRun = result.runs.map((r) => new Map(r.monthly.map((m) => [m.month, m.return])));
  const months = [...new Set(perRun.flatMap((m) => [...m.keys()]))].sort();
  return {
    id: 'monthly',
    title: 'Monthly returns',
    intro: 'Equity at the end of each month (UTC) against the end of the month before.',
    table: { columns: ['month', ...result.runs.map((r) => r.label)], rows: months.map((month) => [month, ...perRun.map((m) => pct(m.get(month) ?? null))]) },
  };
}

/** Shutdowns of every run that has a policy (the baseline has none to report). */
function shutdownSections(result: BacktestResult): ReportSection[] {
  return result.runs.filter((r) => r.policy_evaluations > 0).map((r) => {
    const events = r.shutdowns;
    return {
      id: `shutdowns-${r.id}`,
      title: `Shutdown events: ${r.label}`,
      intro: events.length === 0 ? 'The gate never closed after the warm-up.' : 'Each closing of the trading gate after the warm-up, and the rule that closed it.',
      table: {
        columns: ['gate closed (UTC)', 'reopened (UTC)', 'hours', 'rule', 'note'],
        rows: events.map((e) => [iso(e.from), e.to === null ? 'still closed at the end' : iso(e.to), e.to === null ? '-' : String(Math.round((e.to - e.from) / 3_600_000)), e.rules.join(', ') || '(none named)', e.note]),
      },
    };
  });
}

function differenceSection(result: BacktestResult, differences: readonly DecisionDifference[]): ReportSection {
  const [a, b] = [result.runs.find((r) => r.id === 'on'), result.runs.find((r) => r.id === 'vs')];
  const shown = differences.slice(0, MAX_DIFFERENCES_SHOWN);
  return {
    id: 'differences',
    title: 'Decisions that differ (A/B)',
    intro: `${differences.length} decision(s) differ between A = ${a?.label ?? 'A'} and B = ${b?.label ?? 'B'}${differences.length > shown.length ? `; the first ${shown.length} (all in results.json)` : ''}.`,
    table: { columns: ['time (UTC)', 'symbol', 'A', 'B'], rows: shown.map((d) => [iso(d.time), d.symbol, d.a ?? '-', d.b ?? '-']) },
  };
}

function iso(time: number): string {
  return new Date(time).toISOString().replace(':00.000Z', 'Z').replace('T', ' ');
}
