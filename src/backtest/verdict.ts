import type { RunMetrics } from './metrics.js';

// Differences smaller than these are "the same": a hundredth of a percent of return or of drawdown.
const SAME_RETURN = 0.0001;
const SAME_DRAWDOWN = 0.0001;

const pct = (x: number) => `${x > 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;

/**
 * One sentence in plain words comparing run A with run B, for a reader who does not want to decode the
 * table: which earned more, which fell less (worst peak-to-trough and worst day), by how much.
 */
export function verdict(a: { label: string; metrics: RunMetrics }, b: { label: string; metrics: RunMetrics }): string {
  const [ma, mb] = [a.metrics, b.metrics];
  if (ma.trades === 0 && mb.trades === 0) return `${a.label} and ${b.label} made no trades: there is nothing to compare.`;
  const earned = comparedReturn(ma.total_return, mb.total_return);
  const maxDd = compareDrawdown(ma.max_drawdown, mb.max_drawdown);
  const worstDay = compareDrawdown(ma.worst_daily_drawdown, mb.worst_daily_drawdown);
  let risk: string;
  if (maxDd.word === worstDay.word) risk = maxDd.word === 'as deep' ? 'with drawdowns as deep' : `with ${maxDd.word} drawdowns`;
  else risk = `with a ${worstDay.word === 'as deep' ? 'worst day as deep' : `${worstDay.word} worst day`} but a ${maxDd.word === 'as deep' ? 'max drawdown as deep' : `${maxDd.word} max drawdown`}`;
  return (
    `${a.label} ${earned} ${b.label} ${risk}: total return ${pct(ma.total_return)} vs ${pct(mb.total_return)}, ` +
    `max drawdown ${pct(ma.max_drawdown)} vs ${pct(mb.max_drawdown)}${maxDd.by}, ` +
    `worst day ${pct(ma.worst_daily_drawdown)} vs ${pct(mb.worst_daily_drawdown)}${worstDay.by}, ` +
    `${ma.trades} vs ${mb.trades} trades.${noTrading(a, b)}`
  );
}

/** A run that never traded avoided drawdowns by not trading: said so, so nobody reads it as risk control. */
function noTrading(a: { label: string; metrics: RunMetrics }, b: { label: string; metrics: RunMetrics }): string {
  const idle = [a, b].filter((r) => r.metrics.trades === 0);
  if (idle.length !== 1) return '';
  return ` ${idle[0]!.label} made no trades: its drawdowns are those of not trading, not of risk control.`;
}

/** Said as a trader would: a run that lost less did not "earn more". */
function comparedReturn(a: number, b: number): string {
  if (Math.abs(a - b) < SAME_RETURN) return 'ended level with';
  if (a > b) return a < 0 ? 'lost less than' : 'earned more than';
  if (b <= 0) return 'lost more than';
  return a >= 0 ? 'earned less than' : 'lost money, unlike';
}

/** Drawdowns are ≤ 0: nearer zero is shallower. `by` is the relative difference, e.g. " (41% shallower)". */
function compareDrawdown(a: number, b: number): { word: 'shallower' | 'deeper' | 'as deep'; by: string } {
  if (Math.abs(a - b) < SAME_DRAWDOWN) return { word: 'as deep', by: '' };
  const word = a > b ? 'shallower' : 'deeper';
  const by = b < 0 ? ` (${Math.round(Math.abs(1 - a / b) * 100)}% ${word})` : '';
  return { word, by };
}
