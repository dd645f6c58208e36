import { defer, distinctUntilChanged, map, type MonoTypeOperatorFunction, type OperatorFunction } from 'rxjs';
import type { AccountEvent } from '../account-events.js';
import { sameRisk, type RiskSnapshot } from './risk-snapshot.js';
import { RiskTracker } from './risk-tracker.js';
import type { RiskTrackerSettings } from './settings.js';

export interface RiskStreamOptions {
  /** Called with each rejected event and the reason; without it rejections are dropped silently. */
  readonly onRejected?: (event: AccountEvent, reason: string) => void;
}

export interface RiskStateOptions extends RiskStreamOptions {
  /** A saved `RiskTracker.toJSON()` to continue from instead of starting empty. */
  readonly restore?: unknown;
}

/**
 * Folds account events into risk snapshots, one emission per event. A rejected event re-emits the
 * current snapshot unchanged, so the output stays in step with the input (zip, sampling by count);
 * use `distinctRisk()` to drop emissions that change nothing the risk rules read. Each subscription
 * gets its own tracker, so two subscribers never fold each other's events.
 */
export function riskState(settings?: Partial<RiskTrackerSettings>, options: RiskStateOptions = {}): OperatorFunction<AccountEvent, RiskSnapshot> {
  return (events$) =>
    defer(() => {
      const tracker = options.restore === undefined ? new RiskTracker(settings) : RiskTracker.restore(options.restore, settings);
      return events$.pipe(trackRisk(tracker, options));
    });
}

/**
 * Like `riskState`, over a tracker the caller owns, e.g. to checkpoint it with `tracker.toJSON()`. The
 * tracker is shared by every subscription: subscribe once.
 */
export function trackRisk(tracker: RiskTracker, options: RiskStreamOptions = {}): OperatorFunction<AccountEvent, RiskSnapshot> {
  return map((event) => {
    const result = tracker.apply(event);
    if (!result.ok) options.onRejected?.(event, result.reason);
    // Snapshots are frozen and replaced, never updated, so emitting the tracker's own object is safe.
    return tracker.snapshot();
  });
}

/** Skips snapshots whose `risk` part equals the previous emission's (per-symbol changes are ignored). */
export function distinctRisk(): MonoTypeOperatorFunction<RiskSnapshot> {
  return distinctUntilChanged((previous, current) => sameRisk(previous.risk, current.risk));
}
