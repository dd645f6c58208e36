import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Position } from '../broker/model.js';
import type { CycleReport } from '../execution/executor.js';
import type { DecisionRecord } from '../execution/journal.js';

/** Decisions that repaired the state: a stop replaced, a position adopted, resized, or found never entered. */
export const REPAIRS = new Set(['protection-repaired', 'adopted', 'resized', 'entry-void']);

/**
 * The daemon's Prometheus metrics (`GET /metrics`), in a registry of its own, with Node's process metrics.
 * Names follow Prometheus conventions: base units (seconds, ratios), `_total` for counters.
 */
export class DaemonMetrics {
  readonly registry = new Registry();
  private readonly cycleDuration = new Histogram({
    name: 'qt_cycle_duration_seconds', help: 'Duration of one executor cycle (mid_bar: between candle closes, for fills or signals)',
    labelNames: ['mid_bar'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry],
  });
  private readonly cycleFailures = this.counter('qt_cycle_failures_total', 'Polls or cycles that failed and were retried at the next poll');
  private readonly evaluations = this.counter('qt_policy_evaluations_total', 'Policy evaluations made by cycles');
  private readonly fallbacks = this.counter('qt_policy_fallbacks_total', 'Cycles that traded under the fallback policy because evaluation failed');
  private readonly gate = this.gauge('qt_gate_open', 'The trading gate the last cycle obeyed: 1 open, 0 closed (not counting the operator pause)');
  private readonly paused = this.gauge('qt_entries_paused', '1 while the operator has paused new entries');
  private readonly equity = this.gauge('qt_equity', 'Account equity at the last cycle (quote currency)');
  private readonly drawdown = this.gauge('qt_daily_drawdown_ratio', 'Equity against the trading day\'s start, 0 or negative (-0.025 = 2.5% down)');
  private readonly positions = this.gauge('qt_open_positions', 'Open positions');
  private readonly exposure = this.gauge('qt_exposure_ratio', 'Gross notional of the open positions divided by equity');
  private readonly lastCycle = this.gauge('qt_last_cycle_timestamp_seconds', 'The instant the last cycle traded (exchange clock)');
  private readonly entries = this.counter('qt_entry_signals_total', 'Entry signals by what came of them (verdict: opened, blocked, rejected, failed) and the reason', ['verdict', 'reason']);
  private readonly refusals = this.counter('qt_order_refusals_total', 'Orders the venue refused, by reason code', ['code']);
  private readonly repairs = this.counter('qt_reconciliation_repairs_total', 'Repairs of stops and positions (reconciliation, missing stops)', ['action', 'reason']);
  private readonly exchangeErrors = this.counter('qt_exchange_errors_total', 'Failed exchange calls by source and error kind (each retry counts)', ['source', 'kind']);
  private readonly exchangeUp = this.gauge('qt_exchange_up', '0 while the exchange is considered out (consecutive failures reached exchange.circuit_failures)');
  private readonly info = new Gauge({ name: 'qt_info', help: 'The rule set, profile and mode in force (value 1)', labelNames: ['rule_set_version', 'profile', 'mode'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.exchangeUp.set(1);
  }

  cycled(report: CycleReport, durationMs: number, midBar: boolean, dayStartEquity: number | undefined, price: (symbol: string) => number | undefined): void {
    this.cycleDuration.observe({ mid_bar: String(midBar) }, durationMs / 1000);
    if (report.policy !== undefined) this.evaluations.inc();
    if (report.policy?.risk_profile === 'FALLBACK') this.fallbacks.inc();
    this.gate.set(report.controls.gate_open ? 1 : 0);
    this.equity.set(report.equity);
    if (dayStartEquity !== undefined && dayStartEquity > 0) this.drawdown.set(Math.min(0, report.equity / dayStartEquity - 1));
    this.positions.set(report.positions.length);
    this.exposure.set(report.equity > 0 ? grossNotional(report.positions, price) / report.equity : 0);
    this.lastCycle.set(report.time / 1000);
  }

  decided(record: DecisionRecord): void {
    const detail = record.detail as { signal_id?: unknown } | undefined;
    if (detail?.signal_id !== undefined && ['opened', 'blocked', 'rejected', 'failed'].includes(record.action)) this.entries.inc({ verdict: record.action, reason: record.reason });
    if (record.action === 'rejected') this.refusals.inc({ code: record.reason });
    if (REPAIRS.has(record.action)) this.repairs.inc({ action: record.action, reason: record.reason });
  }

  failed(): void {
    this.cycleFailures.inc();
  }

  exchangeError(source: string, kind: string): void {
    this.exchangeErrors.inc({ source, kind });
  }

  exchangeAnswering(up: boolean): void {
    this.exchangeUp.set(up ? 1 : 0);
  }

  pause(paused: boolean): void {
    this.paused.set(paused ? 1 : 0);
  }

  describe(ruleSetVersion: string, profile: string, mode: string): void {
    this.info.reset();
    this.info.set({ rule_set_version: ruleSetVersion, profile, mode }, 1);
  }

  private counter(name: string, help: string, labelNames: string[] = []): Counter {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }
}

export function grossNotional(positions: readonly Position[], price: (symbol: string) => number | undefined): number {
  return positions.reduce((sum, p) => sum + p.quantity * (price(p.symbol) ?? p.entry_price), 0);
}
