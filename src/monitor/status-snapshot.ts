import type { Position } from '../broker/model.js';
import type { DecisionRecord } from '../execution/journal.js';
import type { ControlAction, TradingStore } from '../store/index.js';
import type { ExchangeStatus } from './exchange-watch.js';
import { blockedSymbols, controlsView, policyTimeline, type BlockedSymbol, type ControlsView } from './policy-view.js';

/** Which daemon this is; saved in the store (state `monitor`) so `serve` shows it too. */
export interface SessionInfo {
  readonly mode: 'PAPER' | 'DEMO' | 'LIVE';
  readonly exchange: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly store: string;
  /** Wall-clock epoch ms. */
  readonly started_at: number;
}

export interface RuleSetInfo {
  readonly version: string;
  readonly hash: string;
  readonly active_profile: string;
  /** The profile this daemon trades with. */
  readonly profile: string;
  /** enable_orchestrator, mode and every use_for_* switch of rules/orchestrator.yaml. */
  readonly orchestrator: Readonly<Record<string, unknown>>;
}

/** What only a running daemon knows. */
export interface LiveView {
  state(): 'starting' | 'running';
  readonly session: SessionInfo;
  ruleSet(): RuleSetInfo;
  exchange(): ExchangeStatus;
  price(symbol: string): number | undefined;
  failures(): { readonly count: number; readonly last?: { readonly at: number; readonly message: string } };
  alerts(): readonly { readonly name: string; readonly delivered: number; readonly failed: number }[];
}

export interface PositionView extends Position {
  readonly mark_price?: number;
  /** From the mark (else the entry) to the stop, as a fraction of that price: how far the stop is. */
  readonly stop_distance_pct: number;
  readonly take_profit_distance_pct: number;
  readonly unrealized_pnl?: number;
}

export interface StatusSnapshot {
  readonly generated_at: number;
  readonly source: 'daemon' | 'store';
  readonly read_only: boolean;
  readonly state: 'starting' | 'running' | 'stored';
  readonly session: SessionInfo | null;
  readonly rule_set: RuleSetInfo | null;
  readonly equity: { readonly time: number; readonly equity: number; readonly balance: number; readonly day_start: number | null; readonly day_start_equity: number | null; readonly change_pct: number | null; readonly daily_dd_pct: number | null; readonly today: readonly (readonly [number, number])[] } | null;
  readonly controls: ControlsView | null;
  readonly paused: { readonly reason: string; readonly since: number; readonly by: string } | null;
  readonly positions: readonly PositionView[];
  readonly blocked_symbols: readonly BlockedSymbol[];
  readonly decisions: readonly DecisionRecord[];
  readonly timeline: readonly ControlsView[];
  readonly trades: { readonly total: number; readonly today: number; readonly today_pnl: number };
  readonly operator: readonly ControlAction[];
  readonly exchange: ExchangeStatus | null;
  readonly cycle_failures: ReturnType<LiveView['failures']> | null;
  readonly alerts: ReturnType<LiveView['alerts']> | null;
}

const DAY = 86_400_000;

/** Everything the status page shows, from the store (and, for a running daemon, what only it knows). */
export function statusSnapshot(store: TradingStore, live?: LiveView, decisionLimit = 50): StatusSnapshot {
  const saved = store.loadState<{ session?: SessionInfo; rule_set?: RuleSetInfo }>('monitor');
  const last = store.recent.lastCycle();
  const risk = store.loadRiskState();
  const point = store.lastEquity();
  const dayStart = risk?.day_start ?? (last === undefined ? null : Math.floor(last.time / DAY) * DAY);
  const decisions = store.recent.decisions(decisionLimit);
  const session = live?.session ?? saved?.session ?? null;
  const pause = store.controls.pause();
  const trades = store.trades();
  const today = dayStart === null ? [] : trades.filter((t) => t.closed_at >= dayStart);
  return {
    generated_at: Date.now(),
    source: live === undefined ? 'store' : 'daemon',
    read_only: live === undefined,
    state: live?.state() ?? 'stored',
    session,
    rule_set: live?.ruleSet() ?? saved?.rule_set ?? null,
    equity: point === undefined ? null : equityView(store, point, dayStart, risk?.day_start_equity ?? null),
    controls: last === undefined ? null : controlsView(last),
    paused: pause === undefined ? null : { reason: pause.reason, since: pause.requested_at, by: pause.requested_by },
    positions: store.openPositions().map((p) => positionView(p, live?.price(p.symbol))),
    blocked_symbols: blockedSymbols(last, session?.symbols ?? [], decisions),
    decisions,
    timeline: dayStart === null ? [] : policyTimeline(store.recent.cyclesSince(dayStart)),
    trades: { total: trades.length, today: today.length, today_pnl: today.reduce((sum, t) => sum + t.pnl, 0) },
    operator: store.controls.recent(20),
    exchange: live?.exchange() ?? null,
    cycle_failures: live?.failures() ?? null,
    alerts: live?.alerts() ?? null,
  };
}

function equityView(store: TradingStore, point: { time: number; equity: number; balance: number }, dayStart: number | null, dayStartEquity: number | null): StatusSnapshot['equity'] {
  const curve = dayStart === null ? [] : store.equityCurve({ from: dayStart });
  // A day of cycles between closes can be thousands of points; the sparkline needs a few hundred.
  const step = Math.max(1, Math.ceil(curve.length / 400));
  const today = curve.filter((_, i) => i % step === 0 || i === curve.length - 1).map((p) => [p.time, p.equity] as const);
  const change = dayStartEquity !== null && dayStartEquity > 0 ? point.equity / dayStartEquity - 1 : null;
  return {
    time: point.time, equity: point.equity, balance: point.balance, day_start: dayStart, day_start_equity: dayStartEquity,
    change_pct: change, daily_dd_pct: change === null ? null : Math.min(0, change), today,
  };
}

export function positionView(p: Position, mark: number | undefined): PositionView {
  const reference = mark ?? p.entry_price;
  const direction = p.side === 'long' ? 1 : -1;
  return {
    ...p,
    ...(mark === undefined ? {} : { mark_price: mark, unrealized_pnl: direction * (mark - p.entry_price) * p.quantity }),
    stop_distance_pct: (direction * (reference - p.stop_price)) / reference,
    take_profit_distance_pct: (direction * (p.take_profit_price - reference)) / reference,
  };
}
