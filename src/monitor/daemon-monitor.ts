import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { CycleReport, Executor } from '../execution/executor.js';
import type { SessionHooks } from '../live/session-hooks.js';
import type { Logger } from '../logger.js';
import type { ReloadOutcome } from '../policy/hot-reload.js';
import type { RuleSet } from '../policy/rule-set.js';
import type { TradingStore } from '../store/index.js';
import { AlertDispatcher } from './alert-dispatcher.js';
import { controlAlert, daemonAlert, decisionAlert, exchangeAlert, fallbackAlert, gateAlert } from './alert-messages.js';
import { DaemonMetrics } from './daemon-metrics.js';
import { ExchangeWatch } from './exchange-watch.js';
import { OperatorControls, type ReloadResult } from './operator-controls.js';
import type { AlertSettings } from './settings.js';
import type { LiveView, RuleSetInfo, SessionInfo } from './status-snapshot.js';

export interface DaemonMonitorOptions {
  readonly store: TradingStore;
  readonly session: SessionInfo;
  /** The rule set in force and a way to reload it now (the daemon's LiveRuleSet). */
  readonly rules: { readonly ruleSet: RuleSet; reload(): ReloadOutcome };
  readonly profile: string;
  readonly alerts: AlertSettings;
  readonly logger: Logger;
}

/**
 * Everything that watches a running daemon, fed by the session's hooks: Prometheus metrics, alerts on
 * the transitions that matter (gate, fallback, fills, repairs, exchange outages, operator actions, start
 * and stop), what only the daemon knows for the status page, and the operator's switches. Each hook only
 * takes note and returns: alerts go out in the background.
 */
export class DaemonMonitor {
  readonly metrics = new DaemonMetrics();
  readonly controls: OperatorControls;
  private readonly alerts: AlertDispatcher;
  private readonly exchange: ExchangeWatch;
  private readonly listeners = new Set<() => void>();
  private executor: Executor | undefined;
  /** The policy gate the last cycle obeyed (the store's last cycle before the first one). */
  private gateOpen: boolean | undefined;
  private fallback = false;
  private failures: { count: number; last?: { at: number; message: string } } = { count: 0 };
  private described: string | undefined;

  constructor(private readonly options: DaemonMonitorOptions) {
    const { store, session, logger } = options;
    this.alerts = new AlertDispatcher(options.alerts, `${session.mode} ${session.symbols.join(',')} on ${hostname()} (${basename(session.store)})`, logger);
    this.exchange = new ExchangeWatch(options.rules.ruleSet.execution.exchange.circuit_failures, {
      error: (source, kind) => this.metrics.exchangeError(source, kind),
      outage: (source, failures, what) => this.note(() => {
        this.metrics.exchangeAnswering(false);
        this.alerts.emit(exchangeAlert(true, `${source}: ${failures} consecutive failures (last: ${what}); exits and stops keep being tried`));
      }),
      recovered: (ms) => this.note(() => {
        this.metrics.exchangeAnswering(true);
        this.alerts.emit(exchangeAlert(false, `after ${Math.round(ms / 1000)} s`));
      }),
    });
    this.controls = new OperatorControls(store, () => reloadResult(options.rules.reload()), logger, (action) => this.note(() => {
      this.metrics.pause(this.controls.paused() !== undefined);
      this.alerts.emit(controlAlert(action, this.gateOpen));
    }));
    this.gateOpen = store.recent.lastCycle()?.gate_open;
    this.metrics.pause(this.controls.paused() !== undefined);
    this.describe();
  }

  /** The taps the live session calls. */
  hooks(): SessionHooks {
    return {
      started: ({ executor }) => this.note(() => {
        this.executor = executor;
        const open = executor.openPositions();
        this.alerts.emit(daemonAlert(true, `${open.length} open position(s)${this.controls.paused() === undefined ? '' : '; new entries are PAUSED by the operator'}`));
      }),
      cycled: (report, facts) => this.note(() => this.cycled(report, facts.durationMs, facts.midBar)),
      failed: (error) => this.note(() => {
        this.failures = { count: this.failures.count + 1, last: { at: Date.now(), message: (error as Error).message } };
        this.metrics.failed();
      }),
      decided: (record) => {
        this.metrics.decided(record);
        const alert = decisionAlert(record);
        if (alert !== undefined) this.alerts.emit(alert);
      },
      paused: () => this.controls.paused(),
      operator: this.controls,
    };
  }

  /** What the status page shows beyond the store. */
  view(): LiveView {
    return {
      state: () => (this.executor === undefined ? 'starting' : 'running'),
      session: this.options.session,
      ruleSet: () => this.ruleSetInfo(),
      exchange: () => this.exchange.status(),
      price: (symbol) => this.executor?.lastPrice(symbol),
      failures: () => this.failures,
      alerts: () => this.alerts.status(),
    };
  }

  /** Calls `listener` whenever what the page shows may have changed; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The daemon ends: the "stopped" alert (unless it never started) gets a few seconds to go out. */
  async close(detail?: string): Promise<void> {
    if (detail !== undefined) this.alerts.emit(daemonAlert(false, detail));
    this.exchange.close();
    await this.alerts.close(3000);
  }

  private cycled(report: CycleReport, durationMs: number, midBar: boolean): void {
    const risk = this.options.store.loadRiskState();
    this.metrics.cycled(report, durationMs, midBar, risk?.day_start_equity ?? undefined, (symbol) => this.executor?.lastPrice(symbol));
    const open = report.controls.gate_open;
    if (this.gateOpen !== undefined && open !== this.gateOpen) this.alerts.emit(gateAlert(report, this.controls.paused() !== undefined));
    this.gateOpen = open;
    const fallback = report.policy?.risk_profile === 'FALLBACK';
    if (fallback !== this.fallback) this.alerts.emit(fallbackAlert(report, fallback));
    this.fallback = fallback;
    this.describe();
  }

  /** Saves which daemon and rule set this is (for `serve`), whenever the rule set changed. */
  private describe(): void {
    const info = this.ruleSetInfo();
    if (this.described === info.hash) return;
    this.described = info.hash;
    this.options.store.saveState('monitor', { session: this.options.session, rule_set: info });
    this.metrics.describe(info.version, info.profile, String(info.orchestrator.enable_orchestrator ? info.orchestrator.mode : 'OFF'));
  }

  private ruleSetInfo(): RuleSetInfo {
    const rs = this.options.rules.ruleSet;
    const { apiVersion: _a, kind: _k, version: _v, description: _d, ...orchestrator } = rs.orchestrator;
    return { version: rs.version, hash: rs.contentHash, active_profile: rs.activeProfile, profile: this.options.profile, orchestrator };
  }

  /** Runs an observation without ever letting it break the caller (a trading cycle), then tells the page. */
  private note(body: () => void): void {
    try {
      body();
    } catch (error) {
      this.options.logger.error({ err: error }, `monitor: ${(error as Error).message}`);
    }
    for (const listener of this.listeners) listener();
  }
}

function reloadResult(outcome: ReloadOutcome): ReloadResult {
  switch (outcome.status) {
    case 'reloaded':
      return { status: 'reloaded', from: outcome.from.version, to: outcome.to.version };
    case 'rejected':
      return { status: 'rejected', problems: outcome.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`) };
    default:
      return { status: outcome.status };
  }
}
