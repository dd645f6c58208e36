import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CycleReport } from '../../src/execution/executor.js';
import { staticControls } from '../../src/execution/controls.js';
import { silentLogger } from '../../src/logger.js';
import { DaemonMonitor } from '../../src/monitor/daemon-monitor.js';
import { alertSettings } from '../../src/monitor/settings.js';
import type { TradingPolicy } from '../../src/policy/trading-policy.js';
import { TradingStore } from '../../src/store/index.js';
import { AlertReceiver } from '../support/alert-receiver.js';
import { bundledEngine } from '../support/rule-sets.js';
import { parseMetrics } from '../support/paper-daemon.js';

const T = Date.parse('2024-06-03T08:00:00Z');
const H = 3_600_000;

describe('what the monitor makes of a session\'s events', () => {
  let receivers: AlertReceiver[] = [];
  let monitor: DaemonMonitor | undefined;
  afterEach(async () => {
    await monitor?.close();
    await Promise.all(receivers.map((r) => r.stop()));
    receivers = [];
  });

  const engine = bundledEngine();
  const profile = engine.profile('SAFE');
  /** A cycle's report with the gate as given; `by` the rules that decided it. */
  const report = (time: number, gate: boolean, options: { by?: string[]; fallback?: boolean } = {}): CycleReport => {
    const fallback = engine.fallback(profile, 'division by zero in rule x');
    const policy: TradingPolicy = options.fallback === true ? fallback : {
      ...fallback, risk_profile: 'SAFE', allow_new_trades: gate, note: gate ? 'calm' : 'Daily drawdown limit reached',
      decided_by: { ...fallback.decided_by, allow_new_trades: options.by ?? [] },
    };
    return { time, mode: 'LIVE', equity: 9_800, balance: 10_000, policy, controls: { ...staticControls(profile, engine.ruleSet.exitModes), gate_open: gate }, decisions: [], trades: [], positions: [] };
  };

  async function start(store: TradingStore, webhooks: { url: string; events?: ('gate' | 'fill' | 'repair' | 'fallback')[] }[]) {
    monitor = new DaemonMonitor({
      store, rules: { ruleSet: engine.ruleSet, reload: () => ({ status: 'unchanged' }) }, profile: 'SAFE', logger: silentLogger(),
      session: { mode: 'PAPER', exchange: 'binanceusdm', symbols: ['BTCUSDT'], timeframe: '1h', store: '/tmp/x.sqlite', started_at: T },
      alerts: alertSettings({ webhooks, max_per_minute: 600 }, {}, 'rules/execution.yaml'),
    });
    return monitor.hooks();
  }

  it('alerts gate transitions with the rules that closed the gate, and the fallback policy coming and going, once each', async () => {
    const receiver = await AlertReceiver.start();
    receivers.push(receiver);
    const store = TradingStore.open(':memory:');
    // The last cycle before this start had the gate open: the first cycle closing it is a transition.
    store.recordCycle({ time: T - H, mode: 'LIVE', gate_open: true, exit_mode: 'TREND_FOLLOW', stance: 'SAFE', min_confidence: 0.5, max_risk_pct: 0.01 });
    const hooks = await start(store, [{ url: receiver.url }]);
    hooks.cycled!(report(T, false, { by: ['daily-drawdown-shutdown'] }), { durationMs: 3, midBar: false });
    hooks.cycled!(report(T + H, false, { by: ['daily-drawdown-shutdown'] }), { durationMs: 3, midBar: false });
    hooks.cycled!(report(T + 2 * H, true, { fallback: true }), { durationMs: 3, midBar: false });
    hooks.cycled!(report(T + 3 * H, true), { durationMs: 3, midBar: false });
    hooks.cycled!(report(T + 4 * H, true), { durationMs: 3, midBar: false });
    await vi.waitFor(() => expect(receiver.received).toHaveLength(4));
    expect(receiver.bodies().map((b) => [b.event, b.severity, b.title])).toEqual([
      ['gate', 'warning', 'Trading gate CLOSED by daily-drawdown-shutdown: no new entries'],
      ['gate', 'info', 'Trading gate OPEN: new entries allowed again'],
      ['fallback', 'critical', 'Policy evaluation FAILED: the fallback policy applies'],
      ['fallback', 'info', 'Policy evaluates again: fallback policy left'],
    ]);
    expect(receiver.bodies()[0]!.text).toContain('Daily drawdown limit reached');
    expect(receiver.bodies()[0]!.data).toMatchObject({ gate_open: false, rules: ['daily-drawdown-shutdown'] });
    const metrics = parseMetrics(await monitor!.metrics.registry.metrics());
    expect(metrics.get('qt_policy_fallbacks_total')).toBe(1);
    expect(metrics.get('qt_policy_evaluations_total')).toBe(5);
    expect(metrics.get('qt_daily_drawdown_ratio')).toBe(0); // no day-start equity known yet: nothing to compare with
    expect([...metrics.keys()].find((k) => k.startsWith('qt_info{'))).toMatch(/^qt_info\{rule_set_version="[^"]+",profile="SAFE",mode="LIVE"\}$/);
  });

  it('sends each webhook only the events it asked for; blocks and mode changes are not alerted', async () => {
    const all = await AlertReceiver.start();
    const fills = await AlertReceiver.start();
    receivers.push(all, fills);
    const hooks = await start(TradingStore.open(':memory:'), [{ url: all.url }, { url: fills.url, events: ['fill'] }]);
    const decision = (action: string, reason: string, detail: Record<string, unknown> = {}) => ({ id: `${action}`, time: T, symbol: 'BTCUSDT', action, reason, mode: 'LIVE', detail });
    hooks.decided!(decision('blocked', 'BLOCKED_BY_CONFIDENCE', { signal_id: 's', side: 'long', confidence: 0.4 }));
    hooks.decided!(decision('exit-mode-changed', 'TREND_FOLLOW -> FAST_TP'));
    hooks.decided!(decision('protection-repaired', 'STOP_MISSING', { position_id: 'p1', stop_price: 61_000.5 }));
    hooks.decided!(decision('closed', 'take-profit', { pnl: 12.5, r_multiple: 1.8, exit_price: 64_100.1 }));
    hooks.decided!(decision('rejected', 'STOP_WOULD_TRIGGER', { position_id: 'p1', purpose: 'trailing-stop' }));
    await vi.waitFor(() => expect(all.received).toHaveLength(2));
    await vi.waitFor(() => expect(fills.received).toHaveLength(1));
    expect(all.bodies().map((b) => b.title)).toEqual(['BTCUSDT protection-repaired: STOP_MISSING', 'BTCUSDT closed (take-profit) at 64100.10: PnL +12.50']);
    expect(fills.bodies().map((b) => b.event)).toEqual(['fill']);
    const metrics = parseMetrics(await monitor!.metrics.registry.metrics());
    expect(metrics.get('qt_entry_signals_total{verdict="blocked",reason="BLOCKED_BY_CONFIDENCE"}')).toBe(1);
    expect(metrics.get('qt_reconciliation_repairs_total{action="protection-repaired",reason="STOP_MISSING"}')).toBe(1);
    expect(metrics.get('qt_order_refusals_total{code="STOP_WOULD_TRIGGER"}')).toBe(1);
  });
});
