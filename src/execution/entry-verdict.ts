import type { MarketRules, Position } from '../broker/model.js';
import type { RiskProfileDoc } from '../policy/rule-set.js';
import type { Signal } from '../signals/signal.js';
import type { Controls } from './controls.js';
import { shrinkToMargin, sizePosition, type Sizing } from './position-sizer.js';
import { canOpen, exposureRoom, type LimitReason } from './risk-controller.js';

/** Why an entry signal was not taken, in the design's vocabulary where it has one. */
export type BlockReason =
  | 'TRADE SHUTDOWN ACTIVE'
  | 'BLOCKED_BY_CONFIDENCE'
  | 'BLOCKED_BY_POLICY_FILTER'
  | 'ALREADY_IN_POSITION'
  | LimitReason
  | 'BLOCKED_BY_MIN_SIZE'
  | 'BLOCKED_BY_NO_ATR'
  | 'EXCHANGE_UNAVAILABLE'
  | 'ORDERS_UNSETTLED';

export type EntryVerdict =
  | { readonly ok: true; readonly sizing: Extract<Sizing, { ok: true }>; readonly capped?: 'max_symbol_exposure_pct' | 'max_total_exposure_pct' }
  | { readonly ok: false; readonly reason: BlockReason; readonly detail: string };

/** What the account looks like to a new entry. */
export interface EntryContext {
  readonly positions: readonly Position[];
  readonly equity: number;
  readonly profile: RiskProfileDoc;
  readonly rules: MarketRules;
  /** Last close of the signal's symbol. */
  readonly price: number;
  /** Latest ATR of the symbol (0 or less while it warms up). */
  readonly atr: number;
  /** Open-position candidates correlated with the signal's symbol at the profile's threshold. */
  readonly correlated: readonly string[];
}

/**
 * The executor's filter chain for one entry signal, in the design's order: the gate, the confidence
 * threshold, the symbol filters, then the GlobalRiskController limits on the size the RiskManager would
 * take. An entry larger than the exposure caps allow is made smaller to fit; only when even the market's
 * minimum size does not fit is it refused. Pure: LIVE applies the verdict of the enforced controls, OBSERVE also records the verdict the
 * policy's controls would have given.
 */
export function judgeEntry(signal: Signal, controls: Controls, context: EntryContext): EntryVerdict {
  if (signal.side === 'exit') throw new RangeError('judgeEntry: exit signals are not entries');
  if (!controls.gate_open) return { ok: false, reason: 'TRADE SHUTDOWN ACTIVE', detail: 'the trading gate is closed: no new trades' };
  if (signal.confidence < controls.min_confidence) {
    return { ok: false, reason: 'BLOCKED_BY_CONFIDENCE', detail: `confidence ${signal.confidence.toFixed(2)} < min_confidence ${controls.min_confidence.toFixed(2)}` };
  }
  if (controls.disallowed_symbols.includes(signal.symbol)) {
    return { ok: false, reason: 'BLOCKED_BY_POLICY_FILTER', detail: `${signal.symbol} is in disallowed_symbols` };
  }
  if (controls.allowed_symbols.length > 0 && !controls.allowed_symbols.includes(signal.symbol)) {
    return { ok: false, reason: 'BLOCKED_BY_POLICY_FILTER', detail: `${signal.symbol} is not in allowed_symbols (${controls.allowed_symbols.join(', ')})` };
  }
  if (context.positions.some((p) => p.symbol === signal.symbol)) {
    return { ok: false, reason: 'ALREADY_IN_POSITION', detail: `${signal.symbol} already has an open position` };
  }
  const sizing = sizePosition({
    side: signal.side,
    price: context.price,
    atr: context.atr,
    equity: context.equity,
    max_risk_pct: controls.max_risk_pct,
    stance: controls.stance,
    exit: controls.exit_params,
    profile: context.profile,
    rules: context.rules,
  });
  if (!sizing.ok) return sizing;
  if (!controls.enforce_position_limits) return { ok: true, sizing };
  // Count and correlation limits first: they do not depend on the size.
  const counted = canOpen({ symbol: signal.symbol, margin: 0 }, context.positions, context.equity, context.profile, context.correlated);
  if (!counted.ok) return counted;
  const room = exposureRoom(signal.symbol, context.positions, context.equity, context.profile);
  if (sizing.margin <= room.margin) return { ok: true, sizing };
  const shrunk = shrinkToMargin(sizing, room.margin, { price: context.price, equity: context.equity, leverage: context.profile.sizing.leverage, rules: context.rules });
  if (shrunk === undefined) {
    const limit = canOpen({ symbol: signal.symbol, margin: sizing.margin }, context.positions, context.equity, context.profile, context.correlated);
    return limit.ok ? { ok: false, reason: room.binding === 'symbol' ? 'BLOCKED_BY_SYMBOL_EXPOSURE' : 'BLOCKED_BY_TOTAL_EXPOSURE', detail: 'no room left under the exposure cap' } : limit;
  }
  return { ok: true, sizing: shrunk, capped: room.binding === 'symbol' ? 'max_symbol_exposure_pct' : 'max_total_exposure_pct' };
}
