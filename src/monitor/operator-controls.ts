import type { Executor } from '../execution/executor.js';
import type { OperatorQueue } from '../live/session-hooks.js';
import type { Logger } from '../logger.js';
import type { ControlAction, ControlActionKind, TradingStore } from '../store/index.js';

/** What a rule reload came to, as the store records it. */
export type ReloadResult = { readonly status: string; readonly from?: string; readonly to?: string; readonly problems?: readonly string[] };

export interface OperatorRequest {
  readonly reason: string;
  /** Who asked (the HTTP client's address). */
  readonly by: string;
}

/**
 * The operator's switches on a running daemon, each recorded in the store with time, origin and reason.
 * Pausing new entries (the design's emergency switch) and resuming take effect at once and are read from
 * the store at every cycle, so a pause survives a restart; exits and stops are never paused. Closing
 * positions and reloading rules are queued for the daemon's loop, which runs them between cycles through
 * the executor's normal exit path.
 */
export class OperatorControls implements OperatorQueue {
  private readonly waitingActions: { readonly action: ControlAction; readonly done: (action: ControlAction) => void }[] = [];
  private wake = deferred();

  constructor(
    private readonly store: TradingStore,
    private readonly reloadRules: () => ReloadResult,
    private readonly logger: Logger,
    /** Told of every action once it took effect (alerts, the status page). */
    private readonly changed: (action: ControlAction) => void,
  ) {
    // A close asked of a daemon that stopped before running it is not carried out after a restart the operator may not expect.
    for (const stale of store.controls.queued()) store.controls.finish(stale.id, 'abandoned', Date.now(), { why: 'the daemon stopped before running it; ask again' });
  }

  /** Why new entries are paused (what the executor records with each blocked signal), or undefined. */
  paused(): string | undefined {
    const pause = this.store.controls.pause();
    return pause === undefined ? undefined : `${pause.reason} (paused by ${pause.requested_by} at ${new Date(pause.requested_at).toISOString()})`;
  }

  pause(request: OperatorRequest): ControlAction {
    return this.switch('pause', request);
  }

  resume(request: OperatorRequest): ControlAction {
    return this.switch('resume', request);
  }

  /** Queues closing one position (by id) or, without one, all; resolves once the loop has run it. */
  close(request: OperatorRequest, positionId?: string): Promise<ControlAction> {
    return this.enqueue(positionId === undefined ? 'close-all' : 'close-position', request, positionId);
  }

  reload(request: OperatorRequest): Promise<ControlAction> {
    return this.enqueue('reload-rules', request);
  }

  waiting(): boolean {
    return this.waitingActions.length > 0;
  }

  queued(): Promise<void> {
    return this.wake.promise;
  }

  async run(executor: Executor, time: number): Promise<void> {
    while (this.waitingActions.length > 0) {
      const { action, done } = this.waitingActions.shift()!;
      let status: 'done' | 'failed' = 'done';
      let outcome: unknown;
      try {
        outcome = action.action === 'reload-rules' ? this.reloadRules() : await this.closeNow(executor, action, time);
        if (action.action === 'reload-rules' && (outcome as ReloadResult).status === 'rejected') status = 'failed';
      } catch (error) {
        status = 'failed';
        outcome = { error: (error as Error).message };
        this.logger.error({ err: error, control: action.id }, `operator ${action.action} failed: ${(error as Error).message}`);
      }
      this.store.controls.finish(action.id, status, Date.now(), outcome);
      const finished: ControlAction = { ...action, status, finished_at: Date.now(), outcome };
      this.logger.warn({ control: finished }, `operator ${action.action}: ${status}`);
      this.changed(finished);
      done(finished);
    }
  }

  private async closeNow(executor: Executor, action: ControlAction, time: number): Promise<unknown> {
    const open = executor.openPositions();
    const ids = action.target === undefined ? open.map((p) => p.id) : [action.target];
    if (action.target !== undefined && !open.some((p) => p.id === action.target)) return { closed: [], note: `position ${action.target} is not open (any more)` };
    const trades = await executor.closePositions(time, 'manual', `operator: ${action.reason}`, ids);
    const left = executor.openPositions().filter((p) => ids.includes(p.id));
    return {
      closed: trades.map((t) => ({ position_id: t.position_id, symbol: t.symbol, exit_price: t.exit_price, pnl: t.pnl })),
      // An exit the venue did not answer stays pending; the executor resolves it by client id.
      ...(left.length > 0 ? { still_open: left.map((p) => ({ position_id: p.id, symbol: p.symbol })) } : {}),
    };
  }

  private switch(kind: 'pause' | 'resume', request: OperatorRequest): ControlAction {
    const before = this.store.controls.pause() !== undefined;
    const now = Date.now();
    const action = this.store.controls.record({
      requested_at: now, requested_by: request.by, action: kind, reason: request.reason, status: 'done', finished_at: now,
      outcome: { was_paused: before, paused: kind === 'pause' },
    });
    this.logger.warn({ control: action }, kind === 'pause' ? `operator paused new entries: ${request.reason}` : `operator resumed new entries: ${request.reason}`);
    this.changed(action);
    return action;
  }

  private enqueue(kind: ControlActionKind, request: OperatorRequest, target?: string): Promise<ControlAction> {
    const action = this.store.controls.record({
      requested_at: Date.now(), requested_by: request.by, action: kind, reason: request.reason, ...(target === undefined ? {} : { target }), status: 'queued',
    });
    this.logger.info({ control: action }, `operator ${kind} queued for the next moment between cycles`);
    return new Promise((resolve) => {
      this.waitingActions.push({ action, done: resolve });
      const wake = this.wake;
      this.wake = deferred();
      wake.resolve();
    });
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
