import type { CycleRecord, DecisionRecord } from '../execution/journal.js';
import type { TradingPolicy } from '../policy/trading-policy.js';

/** The controls of one cycle as the page shows them, with the rules behind the gate. */
export interface ControlsView {
  readonly time: number;
  readonly mode: string;
  readonly gate_open: boolean;
  /** The rules that decided the gate (empty when the profile's static policy did). */
  readonly gate_by: readonly string[];
  readonly exit_mode: string;
  readonly stance: string;
  readonly min_confidence: number;
  readonly max_risk_pct: number;
  readonly note?: string;
  readonly fallback: boolean;
}

export interface BlockedSymbol {
  readonly symbol: string;
  /** `policy`: disallowed (or not allowed) by the policy in force; `decision`: the latest entry signal was blocked. */
  readonly by: 'policy' | 'decision';
  readonly reason: string;
  readonly rules?: readonly string[];
  readonly time: number;
}

export function controlsView(cycle: CycleRecord): ControlsView {
  const policy = cycle.policy as TradingPolicy | undefined;
  return {
    time: cycle.time, mode: cycle.mode, gate_open: cycle.gate_open, gate_by: policy?.decided_by?.allow_new_trades ?? [], exit_mode: cycle.exit_mode,
    stance: cycle.stance, min_confidence: cycle.min_confidence, max_risk_pct: cycle.max_risk_pct,
    ...(policy?.note === undefined || policy.note === '' ? {} : { note: policy.note }), fallback: policy?.risk_profile === 'FALLBACK',
  };
}

/** The day's cycles reduced to the moments the controls changed (the first one of the day included). */
export function policyTimeline(cycles: readonly CycleRecord[]): ControlsView[] {
  const changes: ControlsView[] = [];
  let previous: string | undefined;
  for (const cycle of cycles) {
    const view = controlsView(cycle);
    const key = JSON.stringify([view.mode, view.gate_open, view.exit_mode, view.stance, view.min_confidence, view.max_risk_pct, view.fallback]);
    if (key !== previous) changes.push(view);
    previous = key;
  }
  return changes;
}

/**
 * Symbols new entries are kept from: by the policy in force (with the rules that decided it), and by the
 * latest verdict on each symbol's entry signals when that was a block.
 */
export function blockedSymbols(last: CycleRecord | undefined, symbols: readonly string[], decisions: readonly DecisionRecord[]): BlockedSymbol[] {
  const blocked: BlockedSymbol[] = [];
  const policy = last?.policy as TradingPolicy | undefined;
  if (last !== undefined && policy !== undefined) {
    for (const symbol of policy.disallowed_symbols) {
      blocked.push({ symbol, by: 'policy', reason: 'in disallowed_symbols', rules: policy.decided_by?.disallowed_symbols ?? [], time: last.time });
    }
    if (policy.allowed_symbols.length > 0) {
      for (const symbol of symbols.filter((s) => !policy.allowed_symbols.includes(s) && !policy.disallowed_symbols.includes(s))) {
        blocked.push({ symbol, by: 'policy', reason: `not in allowed_symbols (${policy.allowed_symbols.join(', ')})`, rules: policy.decided_by?.allowed_symbols ?? [], time: last.time });
      }
    }
  }
  const latest = new Map<string, DecisionRecord>();
  // Newest first: the first entry verdict seen per symbol is its latest.
  for (const d of decisions) {
    const isEntryVerdict = (d.detail as { signal_id?: unknown } | undefined)?.signal_id !== undefined && ['opened', 'blocked', 'rejected'].includes(d.action);
    if (isEntryVerdict && !latest.has(d.symbol)) latest.set(d.symbol, d);
  }
  for (const d of latest.values()) if (d.action === 'blocked') blocked.push({ symbol: d.symbol, by: 'decision', reason: d.reason, time: d.time });
  return blocked;
}
