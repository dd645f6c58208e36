import type { Broker } from '../broker/broker.js';
import type { CycleReport, Executor } from '../execution/executor.js';
import type { DecisionRecord } from '../execution/journal.js';

/**
 * What a running session tells its observers (the monitor: status page, metrics, alerts), and what the
 * operator can change in it. Observers run inside the loop, so they only take note and return; anything
 * slow (sending an alert) is theirs to do in the background.
 */
export interface SessionHooks {
  /** Start-up is complete: trading begins with this executor on this venue. */
  started?(session: { readonly executor: Executor; readonly broker: Broker }): void;
  /** A cycle ran (`midBar`: between candle closes, for fills or signals). */
  cycled?(report: CycleReport, facts: { readonly durationMs: number; readonly midBar: boolean }): void;
  /** A poll or a cycle failed; it is retried at the next poll. */
  failed?(error: unknown): void;
  /** Every executor decision, as it is made. */
  decided?(record: DecisionRecord): void;
  /** Why the operator paused new entries, or undefined; asked at every cycle. */
  paused?(): string | undefined;
  readonly operator?: OperatorQueue;
}

/**
 * Operator actions that change positions or the rules. The loop runs them between cycles, never during
 * one, at an instant inside the current bar after the last cycle's.
 */
export interface OperatorQueue {
  /** Whether an action is waiting. */
  waiting(): boolean;
  /** Runs every waiting action; records its own failures (never throws for them). */
  run(executor: Executor, time: number): Promise<void>;
  /** Resolves when an action is queued, so the loop need not wait out its poll interval. */
  queued(): Promise<void>;
}
