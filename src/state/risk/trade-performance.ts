/** Win rate, average R and PnL of a symbol's closed trades (all of them, or the last N). */
export interface TradeStats {
  readonly trades: number;
  readonly win_rate: number;
  readonly avg_r: number;
  readonly pnl: number;
}

/** Serialised form: running totals when every trade counts, the retained trades when windowed. */
export type TradePerformanceJSON =
  | { readonly kind: 'all'; readonly trades: number; readonly wins: number; readonly sum_r: number; readonly sum_pnl: number }
  | { readonly kind: 'recent'; readonly recent: readonly (readonly [pnl: number, r_multiple: number] | readonly [pnl: number, r_multiple: number, time: number])[] };

const DAY = 86_400_000;

/**
 * A symbol's closed-trade record. Without a window only totals are kept, so memory does not grow with
 * the number of trades; with one, the retained trades are summed afresh each time (see RecentValues for
 * why there is no sliding sum).
 */
export class TradePerformance {
  private totals = { trades: 0, wins: 0, sum_r: 0, sum_pnl: 0 };
  private readonly recent: [number, number, number][] = [];

  private constructor(
    readonly window: number | undefined,
    readonly days?: number,
  ) {}

  private get windowed(): boolean {
    return this.window !== undefined || this.days !== undefined;
  }

  static empty(window: number | undefined, days?: number): TradePerformance {
    return new TradePerformance(window, days);
  }

  /**
   * Rebuilds a record saved under possibly different settings. A smaller window keeps the newest trades;
   * totals of all trades cannot be cut down to the last N, so that change is refused.
   */
  static fromJSON(json: TradePerformanceJSON, window: number | undefined, where: string, days?: number): TradePerformance {
    const record = new TradePerformance(window, days);
    if (json.kind === 'all') {
      if (window !== undefined || days !== undefined) {
        throw new Error(`${where}: saved with every trade counting, cannot restore under performance_window ${window} (the individual trades were not kept)`);
      }
      record.totals = { trades: json.trades, wins: json.wins, sum_r: json.sum_r, sum_pnl: json.sum_pnl };
    } else {
      for (const [pnl, r, time] of json.recent) record.add(pnl, r, time);
    }
    return record;
  }

  /** A trade wins when its PnL is positive; breakeven counts as a trade but not as a win. */
  add(pnl: number, r_multiple: number, time = 0): void {
    if (!this.windowed) {
      this.totals.trades += 1;
      if (pnl > 0) this.totals.wins += 1;
      this.totals.sum_r += r_multiple;
      this.totals.sum_pnl += pnl;
      return;
    }
    this.recent.push([pnl, r_multiple, time]);
    if (this.window !== undefined && this.recent.length > this.window) this.recent.shift();
  }

  /** With a window of days: drops the trades closed more than `days` before `now`; true when any was dropped. */
  prune(now: number): boolean {
    if (this.days === undefined) return false;
    const cutoff = now - this.days * DAY;
    const before = this.recent.length;
    while (this.recent.length > 0 && this.recent[0]![2] < cutoff) this.recent.shift();
    return this.recent.length !== before;
  }

  /** With no trade yet, win rate and average R are 0 (the schema requires numbers; rules gate on `trades`). */
  stats(): TradeStats {
    let { trades, wins, sum_r, sum_pnl } = this.totals;
    if (this.windowed) {
      trades = this.recent.length;
      wins = 0;
      sum_r = 0;
      sum_pnl = 0;
      for (const [pnl, r] of this.recent) {
        if (pnl > 0) wins += 1;
        sum_r += r;
        sum_pnl += pnl;
      }
    }
    return trades === 0 ? { trades: 0, win_rate: 0, avg_r: 0, pnl: 0 } : { trades, win_rate: wins / trades, avg_r: sum_r / trades, pnl: sum_pnl };
  }

  toJSON(): TradePerformanceJSON {
    return !this.windowed
      ? { kind: 'all', ...this.totals }
      : { kind: 'recent', recent: this.recent.map(([pnl, r, time]) => [pnl, r, time] as const) };
  }
}
