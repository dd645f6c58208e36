import type { AccountEvent } from '../account-events.js';
import { formatTime } from './trading-day.js';

/**
 * Same pattern as `symbol` in schemas/common.schema.json: a symbol the tracker accepts must be one the
 * market-state schema accepts, or the snapshot would be refused downstream. It also keeps names such as
 * `__proto__` out of the snapshot's `symbols` record.
 */
export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9._:/-]*$/;

const TYPES = new Set<string>(['equity', 'positions', 'trade-closed', 'quote', 'fill']);

type Fields = Record<string, unknown>;

/**
 * Why an event cannot be applied, whatever the tracker's state, or undefined when it is well formed.
 * Events come from brokers and exchanges, so they are checked field by field rather than trusted to
 * match their TypeScript type. The message names the event type, its time and the field.
 */
export function eventProblem(event: unknown): string | undefined {
  if (event === null || typeof event !== 'object') return `account event must be an object, got ${String(event)}`;
  const e = event as Fields;
  const type = e.type;
  if (typeof type !== 'string' || !TYPES.has(type)) return `unknown account event type '${String(type)}' at ${formatTime(e.time)}`;
  const problem = fieldProblem(type as AccountEvent['type'], e);
  return problem === undefined ? undefined : `${type} event at ${formatTime(e.time)}: ${problem}`;
}

function fieldProblem(type: AccountEvent['type'], e: Fields): string | undefined {
  const time = finite(e, 'time');
  if (time) return time;
  switch (type) {
    case 'equity':
      return positive(e, 'equity');
    case 'positions':
      return positionsProblem(e.positions);
    case 'trade-closed':
      return symbol(e, 'symbol') ?? finite(e, 'pnl') ?? finite(e, 'r_multiple') ?? (e.shadow === undefined || typeof e.shadow === 'boolean' ? undefined : `shadow must be true or false, got ${show(e.shadow)}`);
    case 'quote':
      return (
        symbol(e, 'symbol') ??
        positive(e, 'bid') ??
        positive(e, 'ask') ??
        ((e.ask as number) < (e.bid as number) ? `ask ${String(e.ask)} is below bid ${String(e.bid)}` : undefined)
      );
    case 'fill':
      return (
        symbol(e, 'symbol') ??
        (e.side === 'buy' || e.side === 'sell' ? undefined : `side must be 'buy' or 'sell', got ${show(e.side)}`) ??
        positive(e, 'expected_price') ??
        positive(e, 'fill_price') ??
        positive(e, 'quantity')
      );
  }
}

function positionsProblem(positions: unknown): string | undefined {
  if (!Array.isArray(positions)) return `positions must be an array, got ${show(positions)}`;
  for (const [i, p] of positions.entries()) {
    if (p === null || typeof p !== 'object') return `positions[${i}] must be an object, got ${show(p)}`;
    const problem = symbol(p as Fields, 'symbol') ?? finite(p as Fields, 'notional');
    if (problem) return `positions[${i}].${problem}`;
    // Notional is absolute by contract; a negative one is a short passed through signed, and summing it
    // would make a hedged book look flat.
    if ((p as Fields).notional as number < 0) return `positions[${i}].notional must not be negative, got ${show((p as Fields).notional)}`;
  }
  const total = positions.reduce((sum: number, p: { notional: number }) => sum + p.notional, 0);
  return Number.isFinite(total) ? undefined : `positions total notional is not a finite number`;
}

function finite(e: Fields, field: string): string | undefined {
  const v = e[field];
  return typeof v === 'number' && Number.isFinite(v) ? undefined : `${field} must be a finite number, got ${show(v)}`;
}

function positive(e: Fields, field: string): string | undefined {
  const v = e[field];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : `${field} must be a finite number above 0, got ${show(v)}`;
}

function symbol(e: Fields, field: string): string | undefined {
  const v = e[field];
  return typeof v === 'string' && isSymbol(v) ? undefined : `${field} must be an exchange symbol such as BTCUSDT, got ${show(v)}`;
}

// The same few symbols come in every quote of every cycle: a set lookup instead of the pattern each
// time (the regular expression showed in backtest profiles). Bounded, so odd input cannot grow it.
const SYMBOLS_SEEN = new Set<string>();
const SYMBOLS_SEEN_LIMIT = 4096;

function isSymbol(value: string): boolean {
  if (SYMBOLS_SEEN.has(value)) return true;
  if (!SYMBOL_PATTERN.test(value)) return false;
  if (SYMBOLS_SEEN.size >= SYMBOLS_SEEN_LIMIT) SYMBOLS_SEEN.clear();
  SYMBOLS_SEEN.add(value);
  return true;
}

function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return 'an array';
  return value !== null && typeof value === 'object' ? 'an object' : String(value);
}
