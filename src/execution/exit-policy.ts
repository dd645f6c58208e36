import type { MarketRules, Position } from '../broker/model.js';
import type { ExitMode, ExitParams } from '../policy/trading-policy.js';
import { roundToTick } from './position-sizer.js';

/**
 * The design's ExitPolicyEngine for positions already open. Two rules, both documented in the README:
 *
 * 1. Trailing: after each closed bar the stop follows the best price at the mode's trail_pct, and only
 *    ever moves toward the price.
 * 2. Mode change while open: the position adopts the new mode only where it is more protective. The stop
 *    moves to the new sl_pct from the current price if that is tighter; the take-profit and the pending
 *    partial take-profit move to the new mode's levels if they are nearer; the trail becomes the smaller.
 *    Nothing is ever loosened, so a regime flicker cannot widen the risk of a trade already taken.
 */
export function trail(position: Position, bar: { readonly high: number; readonly low: number }, rules: MarketRules): Position {
  const long = position.side === 'long';
  const best = long ? Math.max(position.best_price, bar.high) : Math.min(position.best_price, bar.low);
  const candidate = roundToTick(long ? best * (1 - position.trail_pct) : best * (1 + position.trail_pct), rules.tick_size);
  const stop = long ? Math.max(position.stop_price, candidate) : Math.min(position.stop_price, candidate);
  return stop === position.stop_price && best === position.best_price ? position : { ...position, best_price: best, stop_price: stop };
}

export function adoptExitMode(position: Position, mode: ExitMode, params: ExitParams, price: number, rules: MarketRules): Position {
  if (mode === position.exit_mode) return position;
  const long = position.side === 'long';
  const dir = long ? 1 : -1;
  const tighterStop = roundToTick(price * (1 - dir * params.sl_pct), rules.tick_size);
  const newTp = roundToTick(position.entry_price * (1 + dir * params.tp_pct), rules.tick_size);
  const newPartial = roundToTick(position.entry_price + dir * params.partial_tp_at_r * position.risk_per_unit, rules.tick_size);
  const nearer = (a: number, b: number) => (long ? Math.min(a, b) : Math.max(a, b));
  const tighter = (a: number, b: number) => (long ? Math.max(a, b) : Math.min(a, b));
  return {
    ...position,
    exit_mode: mode,
    stop_price: tighter(position.stop_price, tighterStop),
    take_profit_price: nearer(position.take_profit_price, newTp),
    partial_tp_price: position.partial_taken ? position.partial_tp_price : nearer(position.partial_tp_price, newPartial),
    partial_tp_fraction: position.partial_taken ? position.partial_tp_fraction : Math.max(position.partial_tp_fraction, params.partial_tp_fraction),
    trail_pct: Math.min(position.trail_pct, params.trail_pct),
  };
}
