import type { ClosedTrade } from '../broker/model.js';
import type { CycleRecord } from '../execution/journal.js';
import type { EquitySample } from './metrics.js';

/** One symbol's share of a run: what the headline figures hide when one symbol carries or sinks the rest. */
export interface SymbolResult {
  readonly symbol: string;
  readonly trades: number;
  readonly win_rate: number | null;
  readonly avg_r: number | null;
  /** Net of fees. */
  readonly net_pnl: number;
  readonly fees: number;
}

/** Per traded symbol, in symbol order. */
export function symbolResults(trades: readonly ClosedTrade[]): SymbolResult[] {
  const bySymbol = new Map<string, ClosedTrade[]>();
  for (const t of trades) bySymbol.set(t.symbol, [...(bySymbol.get(t.symbol) ?? []), t]);
  return [...bySymbol].sort(([a], [b]) => (a < b ? -1 : 1)).map(([symbol, list]) => ({
    symbol,
    trades: list.length,
    win_rate: list.filter((t) => t.pnl > 0).length / list.length,
    avg_r: list.reduce((s, t) => s + t.r_multiple, 0) / list.length,
    net_pnl: list.reduce((s, t) => s + t.pnl, 0),
    fees: list.reduce((s, t) => s + t.fees, 0),
  }));
}

export interface MonthlyReturn {
  /** `YYYY-MM` (UTC). */
  readonly month: string;
  /** Last equity of the month against the last of the month before (the initial equity for the first). */
  readonly return: number;
}

export function monthlyReturns(equity: readonly EquitySample[], initialEquity: number): MonthlyReturn[] {
  const months = new MonthEnds();
  for (const p of equity) months.add(p.time, p.equity);
  return months.returns(initialEquity);
}

/** The last equity of each month (UTC), folded point by point in time order. */
export class MonthEnds {
  private readonly ends = new Map<string, number>();
  private month = { from: 0, to: -1, key: '' };

  add(time: number, equity: number): void {
    // The month's name is worked out once per month, not at every point.
    if (time < this.month.from || time >= this.month.to) {
      const date = new Date(time);
      this.month = { from: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), to: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1), key: date.toISOString().slice(0, 7) };
    }
    this.ends.set(this.month.key, equity);
  }

  returns(initialEquity: number): MonthlyReturn[] {
    let before = initialEquity;
    return [...this.ends].map(([month, end]) => {
      const result = { month, return: end / before - 1 };
      before = end;
      return result;
    });
  }
}

/** One closing of the trading gate by the policy, and what closed it. */
export interface ShutdownEvent {
  /** First close with the gate closed. */
  readonly from: number;
  /** First close with the gate open again; null when it was still closed at the end. */
  readonly to: number | null;
  /** The rules that decided `allow_new_trades: false` when the gate closed (empty: the fallback policy or a static control). */
  readonly rules: readonly string[];
  readonly note: string;
}

/**
 * Every open → closed transition of the gate after the warm-up (a gate closed for want of a market state
 * is not a shutdown), with the rules the stored policy names as deciding it. A rule that takes over while
 * the gate stays closed does not start a new event.
 */
export function shutdownEvents(cycles: readonly CycleRecord[], warmUpEnd: number | undefined): ShutdownEvent[] {
  const log = new ShutdownLog();
  for (const cycle of cycles) if (warmUpEnd !== undefined && cycle.time >= warmUpEnd) log.add(cycle);
  return log.events;
}

/** shutdownEvents folded one cycle at a time (in time order, the warm-up left out by the caller). */
export class ShutdownLog {
  readonly events: { from: number; to: number | null; rules: readonly string[]; note: string }[] = [];
  private open = true;

  add(cycle: Pick<CycleRecord, 'time' | 'gate_open' | 'policy'>): void {
    if (!cycle.gate_open && this.open) {
      const policy = cycle.policy as { decided_by?: { allow_new_trades?: readonly string[] }; note?: string } | undefined;
      this.events.push({ from: cycle.time, to: null, rules: policy?.decided_by?.allow_new_trades ?? [], note: policy?.note ?? '' });
    } else if (cycle.gate_open && !this.open) {
      this.events.at(-1)!.to = cycle.time;
    }
    this.open = cycle.gate_open;
  }
}
