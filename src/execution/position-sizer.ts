import type { MarketRules, PositionSide } from '../broker/model.js';
import type { RiskProfileDoc } from '../policy/rule-set.js';
import type { ExitParams, ReportedStance } from '../policy/trading-policy.js';

export interface SizingInput {
  readonly side: PositionSide;
  readonly price: number;
  readonly atr: number;
  readonly equity: number;
  readonly max_risk_pct: number;
  readonly stance: ReportedStance;
  readonly exit: ExitParams;
  readonly profile: RiskProfileDoc;
  readonly rules: MarketRules;
}

export type Sizing =
  | {
      readonly ok: true;
      readonly quantity: number;
      readonly notional: number;
      /** Margin in use: notional / leverage (what exposure limits count). */
      readonly margin: number;
      readonly risk_usd: number;
      /** The risk fraction after the stance factor. */
      readonly risk_pct: number;
      readonly stop_distance: number;
      readonly stop_price: number;
      readonly take_profit_price: number;
      readonly partial_tp_price: number;
    }
  | { readonly ok: false; readonly reason: 'BLOCKED_BY_MIN_SIZE' | 'BLOCKED_BY_NO_ATR'; readonly detail: string };

/**
 * The design's RiskManager.calculate_position_size: risk_usd = equity x max_risk_pct x the profile's
 * factor for the stance (REDUCED x0.7, NO_NEW_TRADES x0.1); the stop sits ATR x atr_stop_multiplier away
 * but never farther than the exit mode's sl_pct; quantity = risk_usd / stop distance, rounded DOWN to the
 * market's step size (rounding never adds risk). Targets: TP at tp_pct, the partial TP at
 * partial_tp_at_r times the stop distance (1R).
 */
export function sizePosition(input: SizingInput): Sizing {
  const { side, price, atr, equity, profile, rules, exit } = input;
  if (!(atr > 0)) return { ok: false, reason: 'BLOCKED_BY_NO_ATR', detail: 'no ATR yet for this symbol' };
  const factor = input.stance === 'FALLBACK' ? 1 : (profile.sizing.stance_risk_factors[input.stance] ?? 1);
  const risk_pct = input.max_risk_pct * factor;
  const risk_usd = equity * risk_pct;
  const stop_distance = Math.min(atr * profile.sizing.atr_stop_multiplier, exit.sl_pct * price);
  const quantity = roundDown(risk_usd / stop_distance, rules.step_size);
  const notional = quantity * price;
  if (quantity < rules.min_quantity || notional < rules.min_notional) {
    return {
      ok: false,
      reason: 'BLOCKED_BY_MIN_SIZE',
      detail: `size ${quantity} (${notional.toFixed(2)} notional) is under the market minimum (${rules.min_quantity} / ${rules.min_notional} notional)`,
    };
  }
  const direction = side === 'long' ? 1 : -1;
  return {
    ok: true,
    quantity,
    notional,
    margin: notional / profile.sizing.leverage,
    risk_usd,
    risk_pct,
    stop_distance,
    stop_price: roundToTick(price - direction * stop_distance, rules.tick_size),
    take_profit_price: roundToTick(price * (1 + direction * exit.tp_pct), rules.tick_size),
    partial_tp_price: roundToTick(price + direction * exit.partial_tp_at_r * stop_distance, rules.tick_size),
  };
}

/** Rounds down to a multiple of `step`, tolerant of binary floating point (0.3 / 0.1 is 2.9999…). */
export function roundDown(value: number, step: number): number {
  const units = Math.floor(value / step + 1e-9);
  return Number((units * step).toFixed(decimals(step)));
}

export function roundToTick(price: number, tick: number): number {
  return Number((Math.round(price / tick) * tick).toFixed(decimals(tick)));
}

function decimals(step: number): number {
  const text = step.toString();
  if (text.includes('e-')) return Number(text.split('e-')[1]);
  return text.includes('.') ? text.split('.')[1]!.length : 0;
}

/**
 * The same trade made smaller so that its margin fits `maxMargin`: quantity rounded down to the step,
 * risk recomputed from the smaller quantity. Undefined when what fits is under the market minimum.
 */
export function shrinkToMargin(sizing: Extract<Sizing, { ok: true }>, maxMargin: number, input: { readonly price: number; readonly equity: number; readonly leverage: number; readonly rules: MarketRules }): Extract<Sizing, { ok: true }> | undefined {
  const quantity = roundDown((maxMargin * input.leverage) / input.price, input.rules.step_size);
  const notional = quantity * input.price;
  if (quantity <= 0 || quantity < input.rules.min_quantity || notional < input.rules.min_notional) return undefined;
  const risk_usd = quantity * sizing.stop_distance;
  return { ...sizing, quantity, notional, margin: notional / input.leverage, risk_usd, risk_pct: risk_usd / input.equity };
}
