import type { ClosedTrade, Order } from '../broker/model.js';
import type { Candle } from '../market/candle.js';
import type { Signal } from '../signals/signal.js';
import type { CycleReport, Executor } from '../execution/executor.js';

/** A venue that learns about time from closed candles: the paper broker. */
export interface ReplayVenue {
  /** Resting orders of the candle's symbol that this bar filled, in the order they filled. */
  onCandle(candle: Candle): readonly Order[];
}

export interface ReplayOptions {
  readonly executor: Executor;
  readonly venue: ReplayVenue;
  /** Candles of all symbols in closeTime order. */
  readonly candles: readonly Candle[];
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
  const instants = groupByCloseTime(options.candles);
  const reports: CycleReport[] = [];
  for (const [index, { time, candles }] of instants.entries()) {
    if (options.resumeAfter !== undefined && time <= options.resumeAfter) {
      await options.warmUp?.(time, candles);
      continue;
    }
    const fills = candles.flatMap((candle) => options.venue.onCandle(candle));
    const signals = await options.signalsAt(time, candles);
    const report = await options.executor.step({ time, candles, signals, fills });
    if (options.keepReports !== false) reports.push(report);
    options.onCycle?.(report, index, instants.length);
  }
  const last = instants.at(-1);
  const closedAtEnd = (options.closeAtEnd ?? true) && last !== undefined ? await options.executor.closeAll(last.time, 'end-of-data') : [];
  return { cycles: reports, closedAtEnd };
}

export function groupByCloseTime(candles: readonly Candle[]): { time: number; candles: Candle[] }[] {
  const instants: { time: number; candles: Candle[] }[] = [];
  for (const candle of candles) {
    const last = instants.at(-1);
    if (last !== undefined && last.time === candle.closeTime) last.candles.push(candle);
    else if (last !== undefined && candle.closeTime < last.time) throw new RangeError(`candles out of time order at ${candle.symbol} ${new Date(candle.closeTime).toISOString()}`);
    else instants.push({ time: candle.closeTime, candles: [candle] });
  }
  return instants;
}
