import type { ClosedTrade, Order } from '../broker/model.js';
import type { Candle } from '../market/candle.js';
import type { Signal } from '../signals/signal.js';
import type { CycleReport, Executor } from '../execution/executor.js';
import { closeTimeGroups } from '../market/time-batches.js';

/** A venue that learns about time from closed candles: the paper broker. */
export interface ReplayVenue {
  /** Resting orders of the candle's symbol that this bar filled, in the order they filled. */
  onCandle(candle: Candle): readonly Order[];
}

export interface ReplayOptions {
  readonly executor: Executor;
  readonly venue: ReplayVenue;
  /** Candles of all symbols in closeTime order: an array, or a stream read once (e.g. SyntheticMarket.stream()). */
  readonly candles: Iterable<Candle>;
  /** Signals released at an instant, given that instant's candles (a strategy, or a file's signals up to then). */
  readonly signalsAt: (time: number, candles: readonly Candle[]) => readonly Signal[] | Promise<readonly Signal[]>;
  /** Instants at or before this time were already traded (a restart): their candles only warm the state up. */
  readonly resumeAfter?: number;
  /** Warms the state up with an instant that is not traded again (builder and strategy see it). */
  readonly warmUp?: (time: number, candles: readonly Candle[]) => Promise<void>;
  /** Called after every traded cycle (progress bars, collecting reports). */
  readonly onCycle?: (report: CycleReport, index: number, total: number) => void;
  /** Return every cycle's report (default true); a long backtest reads its record instead and keeps memory flat. */
  readonly keepReports?: boolean;
  /** Close whatever is open at the last close (a backtest's end); default true. */
  readonly closeAtEnd?: boolean;
}

/**
 * The replay loop shared by backtests and tests: per instant, the venue first fills what the bars
 * triggered (stops and take-profits rest at the venue and act inside the bar), then the executor runs
 * its cycle on the closed candles and the signals released at that close.
 */
export async function replay(options: ReplayOptions): Promise<{ cycles: CycleReport[]; closedAtEnd: ClosedTrade[] }> {
  // An array is counted (and checked for order) up front; a stream is read once, so its progress has no
  // total (NaN) and a candle out of order stops it where it is. Either is grouped as the replay goes.
  const total = Array.isArray(options.candles) ? countInstants(options.candles) : Number.NaN;
  const reports: CycleReport[] = [];
  let index = -1;
  let last: number | undefined;
  for (const { time, candles } of closeTimeGroups(options.candles)) {
    index++;
    last = time;
    if (options.resumeAfter !== undefined && time <= options.resumeAfter) {
      await options.warmUp?.(time, candles);
      continue;
    }
    const fills = candles.flatMap((candle) => options.venue.onCandle(candle));
    const signals = await options.signalsAt(time, candles);
    const report = await options.executor.step({ time, candles, signals, fills });
    if (options.keepReports !== false) reports.push(report);
    options.onCycle?.(report, index, total);
  }
  const closedAtEnd = (options.closeAtEnd ?? true) && last !== undefined ? await options.executor.closeAll(last, 'end-of-data') : [];
  return { cycles: reports, closedAtEnd };
}

/** Instants in an array, checked for order by the same rule (the batches are dropped as they come). */
function countInstants(candles: readonly Candle[]): number {
  let count = 0;
  for (const _ of closeTimeGroups(candles)) count++;
  return count;
}
