import { SYMBOL_PATTERN } from './event-checks.js';
import { riskTrackerSettings, type RiskTrackerSettings } from './settings.js';
import type { SymbolRecordJSON } from './symbol-record.js';
import type { TradePerformanceJSON } from './trade-performance.js';

export const RISK_TRACKER_FORMAT = 'quantum-trader/risk-tracker/v1';

/**
 * Everything a restarted process needs to continue exactly where the tracker was: the drawdown
 * baseline, the last snapshots with their times (for staleness checks), the streak and every window.
 * Plain JSON: numbers survive JSON.stringify / JSON.parse bit for bit.
 */
export interface RiskTrackerJSON {
  readonly format: typeof RISK_TRACKER_FORMAT;
  /** The settings in force when saved, so a restore under other settings can adapt. */
  readonly settings: RiskTrackerSettings;
  /** Latest accepted event time (epoch ms); null before the first event. */
  readonly clock: number | null;
  readonly day_start: number | null;
  readonly day_start_equity: number | null;
  readonly equity: number | null;
  readonly equity_time: number | null;
  readonly positions: readonly { readonly symbol: string; readonly notional: number }[];
  readonly positions_time: number | null;
  readonly losing_streak: number;
  /** The tripped daily-drawdown circuit; absent when none (and in files written before it existed). */
  readonly drawdown_latch?: { readonly since: number; readonly until: number; readonly daily_dd_pct: number };
  readonly symbols: readonly SymbolRecordJSON[];
}

const WHERE = 'RiskTracker.restore';

/**
 * Checks a saved tracker, which comes back from disk and may be truncated, hand-edited or from another
 * version. Throws an Error naming the offending field rather than restoring a half-valid state.
 */
export function parseRiskTrackerJSON(json: unknown): RiskTrackerJSON {
  const root = object(json, 'state');
  if (root.format !== RISK_TRACKER_FORMAT) fail('format', `must be '${RISK_TRACKER_FORMAT}', got ${String(root.format)}`);
  let settings: RiskTrackerSettings;
  try {
    settings = riskTrackerSettings(object(root.settings, 'settings') as Partial<RiskTrackerSettings>);
  } catch (error) {
    throw new Error(`${WHERE}: saved ${(error as Error).message}`);
  }
  const symbols = array(root.symbols, 'symbols').map((s, i) => symbolRecord(s, `symbols[${i}]`));
  const seen = new Set<string>();
  for (const [i, s] of symbols.entries()) {
    if (seen.has(s.symbol)) fail(`symbols[${i}].symbol`, `'${s.symbol}' appears twice`);
    seen.add(s.symbol);
  }
  const parsed: RiskTrackerJSON = {
    format: RISK_TRACKER_FORMAT,
    settings,
    clock: optional(root.clock, 'clock', finite),
    day_start: optional(root.day_start, 'day_start', finite),
    day_start_equity: optional(root.day_start_equity, 'day_start_equity', positive),
    equity: optional(root.equity, 'equity', positive),
    equity_time: optional(root.equity_time, 'equity_time', finite),
    positions: array(root.positions, 'positions').map((p, i) => {
      const o = object(p, `positions[${i}]`);
      return { symbol: symbol(o.symbol, `positions[${i}].symbol`), notional: nonNegative(o.notional, `positions[${i}].notional`) };
    }),
    positions_time: optional(root.positions_time, 'positions_time', finite),
    losing_streak: count(root.losing_streak, 'losing_streak'),
    ...(root.drawdown_latch === undefined ? {} : { drawdown_latch: latchOf(root.drawdown_latch) }),
    symbols,
  };
  if ((parsed.clock === null) !== (parsed.day_start === null)) fail('day_start', 'and clock must both be set or both be null');
  if (parsed.equity === null && parsed.equity_time !== null) fail('equity', 'is missing while equity_time is set');
  return parsed;
}

function latchOf(value: unknown): { since: number; until: number; daily_dd_pct: number } {
  const o = object(value, 'drawdown_latch');
  const latch = { since: finite(o.since, 'drawdown_latch.since'), until: finite(o.until, 'drawdown_latch.until'), daily_dd_pct: finite(o.daily_dd_pct, 'drawdown_latch.daily_dd_pct') };
  if (latch.until <= latch.since) fail('drawdown_latch.until', 'must be after since');
  return latch;
}

function symbolRecord(value: unknown, at: string): SymbolRecordJSON {
  const o = object(value, at);
  return {
    symbol: symbol(o.symbol, `${at}.symbol`),
    performance: performance(o.performance, `${at}.performance`),
    spreads: array(o.spreads, `${at}.spreads`).map((v, i) => nonNegative(v, `${at}.spreads[${i}]`)),
    slippages: array(o.slippages, `${at}.slippages`).map((v, i) => nonNegative(v, `${at}.slippages[${i}]`)),
  };
}

function performance(value: unknown, at: string): TradePerformanceJSON {
  const o = object(value, at);
  if (o.kind === 'all') {
    const trades = count(o.trades, `${at}.trades`);
    const wins = count(o.wins, `${at}.wins`);
    if (wins > trades) fail(`${at}.wins`, `${wins} exceeds trades ${trades}`);
    return { kind: 'all', trades, wins, sum_r: finite(o.sum_r, `${at}.sum_r`), sum_pnl: finite(o.sum_pnl, `${at}.sum_pnl`) };
  }
  if (o.kind === 'recent') {
    const recent = array(o.recent, `${at}.recent`).map((t, i) => {
      const pair = array(t, `${at}.recent[${i}]`);
      if (pair.length !== 2 && pair.length !== 3) fail(`${at}.recent[${i}]`, 'must be [pnl, r_multiple] or [pnl, r_multiple, time]');
      const pnlR = [finite(pair[0], `${at}.recent[${i}][0]`), finite(pair[1], `${at}.recent[${i}][1]`)] as const;
      return pair.length === 3 ? ([...pnlR, finite(pair[2], `${at}.recent[${i}][2]`)] as const) : pnlR;
    });
    return { kind: 'recent', recent };
  }
  return fail(`${at}.kind`, `must be 'all' or 'recent', got ${String(o.kind)}`);
}

function fail(field: string, problem: string): never {
  throw new Error(`${WHERE}: ${field} ${problem}`);
}

function object(value: unknown, at: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(at, 'must be an object');
  return value as Record<string, unknown>;
}

function array(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) fail(at, 'must be an array');
  return value as unknown[];
}

function finite(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(at, `must be a finite number, got ${String(value)}`);
  return value as number;
}

function positive(value: unknown, at: string): number {
  if (finite(value, at) <= 0) fail(at, `must be above 0, got ${String(value)}`);
  return value as number;
}

function nonNegative(value: unknown, at: string): number {
  if (finite(value, at) < 0) fail(at, `must not be negative, got ${String(value)}`);
  return value as number;
}

function count(value: unknown, at: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(at, `must be a whole number of at least 0, got ${String(value)}`);
  return value as number;
}

function symbol(value: unknown, at: string): string {
  if (typeof value !== 'string' || !SYMBOL_PATTERN.test(value)) fail(at, `must be an exchange symbol, got ${String(value)}`);
  return value as string;
}

function optional<T>(value: unknown, at: string, check: (value: unknown, at: string) => T): T | null {
  return value === null ? null : check(value, at);
}
