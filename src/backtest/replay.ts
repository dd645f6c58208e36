import { ignoreElements, lastValueFrom, tap } from 'rxjs';
import type { ClosedTrade, Order } from '../broker/model.js';
import type { Candle } from '../market/candle.js';
import type { Signal } from '../signals/signal.js';
import type { CycleReport, Executor } from '../execution/executor.js';
import { tradingCycles, type ClockedInstant, type CycleInputs } from '../execution/trading-cycles.js';
import { closeTimeGroups } from '../market/time-batches.js';
import { onVirtualClock } from './virtual-clock.js';

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
  /** Warms the state up with an instant that is not traded again (TradingSession.warm). */
  readonly warmUp?: (instant: ClockedInstant, inputs: CycleInputs) => Promise<void>;
  /** Called after every traded cycle (progress bars, collecting reports). */
  readonly onCycle?: (report: CycleReport, index: number, total: number) => void;
  /** Return every cycle's report (default true); a long backtest reads its record instead and keeps memory flat. */
  readonly keepReports?: boolean;
  /** Close whatever is open at the last close (a backtest's end); default true. */
  readonly closeAtEnd?: boolean;
}

/**
 * A replay: the candles on a virtual clock through the trading stage of the pipeline (the same
 * `tradingCycles` the live session runs on the wall clock), with the paper venue filling what each bar
 * triggered and the signals released at each close.
 */
export async function replay(options: ReplayOptions): Promise<{ cycles: CycleReport[]; closedAtEnd: ClosedTrade[] }> {
  // An array is counted (and checked for order) up front; a stream is read once, so its progress has no
  // total (NaN) and a candle out of order stops it where it is.
  const total = Array.isArray(options.candles) ? countInstants(options.candles) : Number.NaN;
  const inputs: CycleInputs = {
    fills: ({ candles }) => candles.flatMap((candle) => options.venue.onCandle(candle)),
    signals: ({ time, candles }) => options.signalsAt(time, candles),
  };
  const keep = options.keepReports !== false;
  const reports: CycleReport[] = [];
  let index = -1;
  let last: number | undefined;
  const cycles = onVirtualClock(
    options.candles,
    tradingCycles(options.executor, inputs, {
      ...(options.resumeAfter === undefined ? {} : { tradeAfter: options.resumeAfter }),
      ...(options.warmUp === undefined ? {} : { warm: options.warmUp }),
    }),
  ).pipe(
    tap(({ time, report }) => {
      index++;
      last = time;
      if (report === undefined) return;
      if (keep) reports.push(report);
      options.onCycle?.(report, index, total);
    }),
    ignoreElements(),
  );
  await lastValueFrom(cycles, { defaultValue: undefined });
  const closedAtEnd = (options.closeAtEnd ?? true) && last !== undefined ? await options.executor.closeAll(last, 'end-of-data') : [];
  return { cycles: reports, closedAtEnd };
}

/** Instants in an array, checked for order by the same rule (the batches are dropped as they come). */
function countInstants(candles: readonly Candle[]): number {
  let count = 0;
  for (const _ of closeTimeGroups(candles)) count++;
  return count;
}
