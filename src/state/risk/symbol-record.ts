import type { SymbolStats } from '../market-state.js';
import { RecentValues } from './recent-values.js';
import type { RiskTrackerSettings } from './settings.js';
import { TradePerformance, type TradePerformanceJSON, type TradeStats } from './trade-performance.js';

export interface SymbolRecordJSON {
  readonly symbol: string;
  readonly performance: TradePerformanceJSON;
  readonly spreads: readonly number[];
  readonly slippages: readonly number[];
}

/**
 * Everything tracked for one symbol. Its stats object is built once per change and frozen, so snapshots
 * taken between two changes of this symbol share it instead of rebuilding every symbol on every event.
 */
export class SymbolRecord {
  private cached: SymbolStats | undefined;

  private constructor(
    readonly symbol: string,
    private readonly performance: TradePerformance,
    private readonly spreads: RecentValues,
    private readonly slippages: RecentValues,
  ) {}

  static empty(symbol: string, settings: RiskTrackerSettings): SymbolRecord {
    return new SymbolRecord(
      symbol,
      TradePerformance.empty(settings.performance_window, settings.performance_days),
      new RecentValues(settings.cost_window),
      new RecentValues(settings.cost_window),
    );
  }

  static fromJSON(json: SymbolRecordJSON, settings: RiskTrackerSettings, where: string): SymbolRecord {
    return new SymbolRecord(
      json.symbol,
      TradePerformance.fromJSON(json.performance, settings.performance_window, where, settings.performance_days),
      new RecentValues(settings.cost_window, json.spreads),
      new RecentValues(settings.cost_window, json.slippages),
    );
  }

  addTrade(pnl: number, r_multiple: number, time?: number): void {
    this.performance.add(pnl, r_multiple, time);
    this.cached = undefined;
  }

  /** Drops trades older than the day window at `now`; true when any was dropped. */
  prune(now: number): boolean {
    const changed = this.performance.prune(now);
    if (changed) this.cached = undefined;
    return changed;
  }

  /** False when the spreads kept are what they were (the stats, then, too). */
  addSpread(spread: number): boolean {
    const changed = this.spreads.push(spread);
    if (changed) this.cached = undefined;
    return changed;
  }

  addSlippage(slippage: number): void {
    this.slippages.push(slippage);
    this.cached = undefined;
  }

  /** Cost fields are absent until the first quote / fill: an unknown cost is not a zero cost. */
  stats(): SymbolStats {
    if (!this.cached) {
      this.cached = Object.freeze(withCosts(this.performance.stats(), this.spreads.mean(), this.slippages.mean()));
    }
    return this.cached;
  }

  toJSON(): SymbolRecordJSON {
    return { symbol: this.symbol, performance: this.performance.toJSON(), spreads: this.spreads.toJSON(), slippages: this.slippages.toJSON() };
  }
}

/**
 * The trade stats with the costs known so far, fields in the order of the spread-built object this
 * replaces: a literal per case, because spreading into a new object showed in backtest profiles (this
 * runs for a symbol at each of its quotes).
 */
function withCosts(t: TradeStats, spread_pct: number | undefined, slippage_pct: number | undefined): SymbolStats {
  const { trades, win_rate, avg_r, pnl } = t;
  if (spread_pct === undefined) return slippage_pct === undefined ? { trades, win_rate, avg_r, pnl } : { trades, win_rate, avg_r, pnl, slippage_pct };
  return slippage_pct === undefined ? { trades, win_rate, avg_r, pnl, spread_pct } : { trades, win_rate, avg_r, pnl, spread_pct, slippage_pct };
}
