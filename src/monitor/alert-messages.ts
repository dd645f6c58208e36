import type { CycleReport } from '../execution/executor.js';
import type { DecisionRecord } from '../execution/journal.js';
import type { ControlAction } from '../store/index.js';
import { REPAIRS } from './daemon-metrics.js';
import type { Alert } from './webhook-sender.js';

/** The wording of every alert: one title line a phone shows, one or two lines of detail. */

export function gateAlert(report: CycleReport, paused: boolean): Alert {
  const open = report.controls.gate_open;
  const rules = report.policy?.decided_by.allow_new_trades ?? [];
  const note = report.policy?.note;
  return {
    event: 'gate', severity: open ? 'info' : 'warning', time: Date.now(),
    title: open ? 'Trading gate OPEN: new entries allowed again' : `Trading gate CLOSED${rules.length > 0 ? ` by ${rules.join(', ')}` : ''}: no new entries`,
    text: [
      `at ${iso(report.time)}, mode ${report.mode}, stance ${report.controls.stance}, exit mode ${report.controls.exit_mode}`,
      ...(note ? [note] : []),
      ...(open && paused ? ['new entries stay PAUSED by the operator'] : []),
      ...(!open ? ['open positions keep their stops and exits'] : []),
    ].join('\n'),
    data: { gate_open: open, rules, time: report.time, mode: report.mode, stance: report.controls.stance, exit_mode: report.controls.exit_mode, ...(note ? { note } : {}) },
  };
}

export function fallbackAlert(report: CycleReport, entering: boolean): Alert {
  return {
    event: 'fallback', severity: entering ? 'critical' : 'info', time: Date.now(),
    title: entering ? 'Policy evaluation FAILED: the fallback policy applies' : 'Policy evaluates again: fallback policy left',
    text: `at ${iso(report.time)}${report.policy?.note ? `: ${report.policy.note}` : ''}`,
    data: { fallback: entering, time: report.time, ...(report.policy?.note ? { note: report.policy.note } : {}) },
  };
}

export function controlAlert(action: ControlAction, gateOpen: boolean | undefined): Alert {
  const base = { time: Date.now(), data: { ...action } as Record<string, unknown> };
  if (action.action === 'pause') {
    return { ...base, event: 'gate', severity: 'warning', title: 'New entries PAUSED by the operator', text: `${action.reason} (from ${action.requested_by}); exits and stops keep working` };
  }
  if (action.action === 'resume') {
    const policy = gateOpen === undefined ? '' : gateOpen ? '; the policy\'s gate is OPEN' : '; the policy\'s gate is still CLOSED';
    return { ...base, event: 'gate', severity: 'info', title: 'New entries RESUMED by the operator', text: `${action.reason} (from ${action.requested_by})${policy}` };
  }
  const what = action.action === 'reload-rules' ? 'rule reload' : action.action === 'close-all' ? 'close of all positions' : `close of position ${action.target}`;
  return {
    ...base, event: 'control', severity: action.status === 'failed' ? 'warning' : 'info',
    title: `Operator ${what}: ${action.status}`, text: `${action.reason} (from ${action.requested_by}) ${summary(action.outcome)}`.trim(),
  };
}

/** Fills and repairs; other decisions (blocks, mode changes) are for the page, not a phone. */
export function decisionAlert(d: DecisionRecord): Alert | undefined {
  const detail = (d.detail ?? {}) as Record<string, unknown>;
  const base = { time: Date.now(), data: { decision: d } };
  if (d.action === 'opened') {
    return { ...base, event: 'fill', severity: 'info', title: `${d.symbol} ${String(detail.side ?? '')} opened at ${fmt(detail.entry_price)}`.replace('  ', ' '),
      text: `quantity ${fmt(detail.quantity)}, stop ${fmt(detail.stop_price)}, take-profit ${fmt(detail.take_profit_price)}, exit mode ${String(detail.exit_mode)}` };
  }
  if (d.action === 'reduced') {
    return { ...base, event: 'fill', severity: 'info', title: `${d.symbol} reduced by ${fmt(detail.quantity)} at ${fmt(detail.price)} (${d.reason})`, text: `remaining ${fmt(detail.remaining)}` };
  }
  if (d.action === 'closed') {
    const pnl = Number(detail.pnl);
    return { ...base, event: 'fill', severity: 'info', title: `${d.symbol} closed (${d.reason}) at ${fmt(detail.exit_price)}: PnL ${pnl >= 0 ? '+' : ''}${pnl.toFixed(2)}`,
      text: `${Number(detail.r_multiple).toFixed(2)} R${detail.why ? `; ${String(detail.why)}` : ''}` };
  }
  if (REPAIRS.has(d.action)) {
    return { ...base, event: 'repair', severity: 'warning', title: `${d.symbol} ${d.action}: ${d.reason}`, text: summary(detail) };
  }
  return undefined;
}

export function exchangeAlert(out: boolean, detail: string): Alert {
  return {
    event: 'exchange', severity: out ? 'critical' : 'info', time: Date.now(),
    title: out ? 'Exchange NOT ANSWERING: new entries stopped' : 'Exchange answering again', text: detail,
  };
}

export function daemonAlert(started: boolean, detail: string): Alert {
  return { event: 'daemon', severity: started ? 'info' : 'warning', time: Date.now(), title: started ? 'Daemon started: trading' : 'Daemon stopped', text: detail };
}

function summary(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function fmt(value: unknown): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value ?? '-');
  return Math.abs(n) >= 1000 ? n.toFixed(2) : Number(n.toPrecision(6)).toString();
}

function iso(time: number): string {
  return new Date(time).toISOString().replace('.000Z', 'Z');
}
