import type { Candle } from '../../market/candle.js';

/** One straight move of the assumed intrabar price path; the gap leg stands for the jump to the open. */
export interface PathLeg {
  readonly from: number;
  readonly to: number;
  readonly gap?: true;
}

/**
 * A candle does not say whether its high or its low came first. The paper venue assumes the order that
 * hurts the open position: a long sees open → low → high → close, a short open → high → low → close. So
 * when a stop and a take-profit are both inside one bar the stop fills first, and a trailing stop is never
 * credited with a high that, for all the candle knows, came after the low that stopped the trade.
 */
export function barPath(candle: Candle, position: 'long' | 'short'): PathLeg[] {
  const gap: PathLeg = { from: candle.open, to: candle.open, gap: true };
  return position === 'long'
    ? [gap, { from: candle.open, to: candle.low }, { from: candle.low, to: candle.high }, { from: candle.high, to: candle.close }]
    : [gap, { from: candle.open, to: candle.high }, { from: candle.high, to: candle.low }, { from: candle.low, to: candle.close }];
}

/**
 * Whether the leg reaches a trigger that fires on a falling (sell stops, buy take-profits) or rising (buy
 * stops, sell take-profits) price. On the gap leg, a trigger the open is already beyond fires at once.
 */
export function crossedOn(leg: PathLeg, trigger: number, direction: 'falling' | 'rising'): boolean {
  if (leg.gap === true) return direction === 'falling' ? leg.from <= trigger : leg.from >= trigger;
  if (direction === 'falling') return leg.to < leg.from && leg.to <= trigger && trigger <= leg.from;
  return leg.to > leg.from && leg.from <= trigger && trigger <= leg.to;
}
