import type { MarketRules, Position } from '../broker/model.js';
import type { RiskProfileDoc } from '../policy/rule-set.js';
import type { Signal } from '../signals/signal.js';
import type { Controls } from './controls.js';
import { shrinkToNotional, sizePosition, type Sizing } from './position-sizer.js';
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
  /** Expected adverse move of the entry fill (slippage + half spread), a fraction of price; default 0. */
  readonly entry_cost_pct?: number;
}

/**
 * The executor's filter chain for one entry signal, in the design's order: the gate, the confidence
 * threshold, the symbol filters, the RiskManager's size, then the GlobalRiskController's
 * can_open_new_trade on that size. An entry that does not fit the limits is refused with the limit's
 * reason; only a profile with `limits.resize_to_fit.enabled` gets it made smaller to fit, and then only
 * while it keeps at least `min_risk_fraction` of the intended risk. Pure: LIVE applies the verdict of the
 * enforced controls, OBSERVE also records the verdict the policy's controls would have given.
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
  const sizing = sizeEntry(signal.side, controls, context);
  if (!sizing.ok) return sizing;
  if (!controls.enforce_position_limits) return { ok: true, sizing };
  const limit = canOpen({ symbol: signal.symbol, notional: sizing.notional }, context.positions, context.equity, context.profile, context.correlated);
  if (limit.ok) return { ok: true, sizing };
  const resize = context.profile.limits.resize_to_fit;
  const exposureLimit = limit.reason === 'BLOCKED_BY_SYMBOL_EXPOSURE' || limit.reason === 'BLOCKED_BY_TOTAL_EXPOSURE';
  if (!exposureLimit || resize?.enabled !== true) return limit;
  const room = exposureRoom(signal.symbol, context.positions, context.equity, context.profile);
  const shrunk = shrinkToNotional(sizing, room.notional, { equity: context.equity, leverage: context.profile.sizing.leverage, rules: context.rules });
  const floor = resize.min_risk_fraction ?? 0.5;
  if (shrunk === undefined || shrunk.risk_usd < floor * sizing.risk_usd) {
    const kept = shrunk === undefined ? 0 : shrunk.risk_usd / sizing.risk_usd;
    return { ok: false, reason: limit.reason, detail: `${limit.detail}; resized to fit it would keep ${(kept * 100).toFixed(1)}% of the intended risk (floor ${(floor * 100).toFixed(0)}%)` };
  }
  return { ok: true, sizing: shrunk, capped: room.binding === 'symbol' ? 'max_symbol_exposure_pct' : 'max_total_exposure_pct' };
}

/** The RiskManager's size for an entry under the controls (exported for shadow trades of blocked symbols). */
export function sizeEntry(side: 'long' | 'short', controls: Controls, context: EntryContext): Sizing {
  return sizePosition({
    side,
    price: context.price,
    atr: context.atr,
    equity: context.equity,
    max_risk_pct: controls.max_risk_pct,
    stance: controls.stance,
    exit: controls.exit_params,
    profile: context.profile,
    rules: context.rules,
    ...(context.entry_cost_pct === undefined ? {} : { entry_cost_pct: context.entry_cost_pct }),
  });
}
