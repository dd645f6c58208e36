import type { MarketRules, PositionSide } from '../broker/model.js';
import type { RiskProfileDoc } from '../policy/rule-set.js';
import type { ExitParams, ReportedStance } from '../policy/trading-policy.js';

export interface SizingInput {
  readonly side: PositionSide;
  /** Last close: where the stop and targets are measured from. */
  readonly price: number;
  readonly atr: number;
  readonly equity: number;
  readonly max_risk_pct: number;
  readonly stance: ReportedStance;
  readonly exit: ExitParams;
  readonly profile: RiskProfileDoc;
  readonly rules: MarketRules;
  /**
   * Expected adverse move of the entry fill from the close, as a fraction of price: slippage plus half
   * the spread (a market buy pays the ask). Default 0.
   */
  readonly entry_cost_pct?: number;
}

export type Sizing =
  | {
      readonly ok: true;
      readonly quantity: number;
      /** Value at the expected fill. */
      readonly notional: number;
      /** Margin in use: notional / leverage. */
      readonly margin: number;
      readonly risk_usd: number;
      /** The risk fraction after the stance factor. */
      readonly risk_pct: number;
      /** Distance from the close to the stop. */
      readonly stop_distance: number;
      /** The price the entry is expected to fill at: the close moved by entry_cost_pct, rounded a tick against the order. */
      readonly expected_fill: number;
      readonly stop_price: number;
      readonly take_profit_price: number;
      readonly partial_tp_price: number;
    }
  | { readonly ok: false; readonly reason: 'BLOCKED_BY_MIN_SIZE' | 'BLOCKED_BY_NO_ATR'; readonly detail: string };

/**
 * The design's RiskManager.calculate_position_size: risk_usd = equity x max_risk_pct x the profile's
 * factor for the stance (REDUCED x0.7, NO_NEW_TRADES x0.1); the stop sits ATR x atr_stop_multiplier from
 * the close but never farther than the exit mode's sl_pct, rounded to the tick toward the price (rounding
 * never widens it). The quantity is risk_usd over the distance from the *expected fill* (the close moved
 * by slippage and half the spread) to the stop, rounded DOWN to the step: the loss at the planned stop is
 * then within risk_usd for the fill the venue is expected to give. Targets: TP at tp_pct, the partial TP
 * at partial_tp_at_r times the stop distance (1R).
 */
export function sizePosition(input: SizingInput): Sizing {
  const { side, price, atr, equity, profile, rules, exit } = input;
  if (!(atr > 0)) return { ok: false, reason: 'BLOCKED_BY_NO_ATR', detail: 'no ATR yet for this symbol' };
  const factor = input.stance === 'FALLBACK' ? 1 : (profile.sizing.stance_risk_factors[input.stance] ?? 1);
  const risk_pct = input.max_risk_pct * factor;
  const risk_usd = equity * risk_pct;
  const direction = side === 'long' ? 1 : -1;
  const stop_distance = Math.min(atr * profile.sizing.atr_stop_multiplier, exit.sl_pct * price);
  const stop_price = roundToward(price - direction * stop_distance, rules.tick_size, direction);
  const expected_fill = roundToward(price * (1 + direction * (input.entry_cost_pct ?? 0)), rules.tick_size, direction);
  const perUnit = direction * (expected_fill - stop_price);
  if (!(perUnit > 0)) return { ok: false, reason: 'BLOCKED_BY_MIN_SIZE', detail: `the stop ${stop_price} is not beyond the expected fill ${expected_fill}` };
  const quantity = roundDown(risk_usd / perUnit, rules.step_size);
  const notional = quantity * expected_fill;
  if (quantity < rules.min_quantity || notional < rules.min_notional) {
    return {
      ok: false,
      reason: 'BLOCKED_BY_MIN_SIZE',
      detail: `size ${quantity} (${notional.toFixed(2)} notional) is under the market minimum (${rules.min_quantity} / ${rules.min_notional} notional)`,
    };
  }
  return {
    ok: true,
    quantity,
    notional,
    margin: notional / profile.sizing.leverage,
    risk_usd,
    risk_pct,
    stop_distance,
    expected_fill,
    stop_price,
    take_profit_price: roundToTick(price * (1 + direction * exit.tp_pct), rules.tick_size),
    partial_tp_price: roundToTick(price + direction * exit.partial_tp_at_r * stop_distance, rules.tick_size),
  };
}

/** Rounds down to a multiple of `step`, counting in whole steps with a slack relative to the step. */
export function roundDown(value: number, step: number): number {
  const exact = value / step;
  const units = Math.floor(exact + 1e-9 + Math.abs(exact) * 8 * Number.EPSILON);
  return Number((units * step).toFixed(decimals(step)));
}

export function roundToTick(price: number, tick: number): number {
  return Number((Math.round(price / tick) * tick).toFixed(decimals(tick)));
}

/** To a tick, up (direction 1) or down (-1); a price already on the grid within float dust stays. */
function roundToward(price: number, tick: number, direction: 1 | -1): number {
  const units = price / tick;
  const whole = direction === 1 ? Math.ceil(units - 1e-9) : Math.floor(units + 1e-9);
  return Number((Math.max(whole, 1) * tick).toFixed(decimals(tick)));
}

function decimals(step: number): number {
  const text = step.toString();
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent !== null) {
    const mantissa = text.slice(0, text.indexOf('e'));
    return Number(exponent[1]) + (mantissa.includes('.') ? mantissa.split('.')[1]!.length : 0);
  }
  return text.includes('.') ? text.split('.')[1]!.length : 0;
}

/**
 * The same trade made smaller so that its notional fits `maxNotional`: quantity rounded down to the
 * step, risk recomputed from the smaller quantity. Undefined when what fits is under the market minimum.
 */
export function shrinkToNotional(sizing: Extract<Sizing, { ok: true }>, maxNotional: number, input: { readonly equity: number; readonly leverage: number; readonly rules: MarketRules }): Extract<Sizing, { ok: true }> | undefined {
  const quantity = roundDown(maxNotional / sizing.expected_fill, input.rules.step_size);
  const notional = quantity * sizing.expected_fill;
  if (quantity <= 0 || quantity < input.rules.min_quantity || notional < input.rules.min_notional) return undefined;
  const risk_usd = quantity * Math.abs(sizing.expected_fill - sizing.stop_price);
  return { ...sizing, quantity, notional, margin: notional / input.leverage, risk_usd, risk_pct: risk_usd / input.equity };
}
