import type { Candle } from '../../market/candle.js';
import type { Order } from '../model.js';

/** One straight move of the assumed intrabar price path; the gap leg stands for the jump to the open. */
export interface PathLeg {
  readonly from: number;
  readonly to: number;
  readonly gap?: true;
}

export type TriggerDirection = 'falling' | 'rising';

/**
 * A candle does not say whether its high or its low came first. The paper venue assumes the order that
 * hurts the open position: a long sees open → low → high → close, a short open → high → low → close. So
 * when a stop and a take-profit are both inside one bar the stop fills first, and a take-profit is never
 * credited with a high that, for all the candle knows, came after the low that stopped the trade.
 * With no position nothing can be hurt, and the nearer extreme is taken to come first.
 */
export function barPath(candle: Candle, position: 'long' | 'short' | 'flat'): PathLeg[] {
  const lowFirst = position === 'long' || (position === 'flat' && candle.open - candle.low <= candle.high - candle.open);
  const gap: PathLeg = { from: candle.open, to: candle.open, gap: true };
  return lowFirst
    ? [gap, { from: candle.open, to: candle.low }, { from: candle.low, to: candle.high }, { from: candle.high, to: candle.close }]
    : [gap, { from: candle.open, to: candle.high }, { from: candle.high, to: candle.low }, { from: candle.low, to: candle.close }];
}

/**
 * Whether the leg reaches a trigger that fires on a falling or a rising price. On the gap leg, a trigger
 * the open is already at or beyond fires at once: the price jumped through it between bars.
 */
export function crossedOn(leg: PathLeg, trigger: number, direction: TriggerDirection): boolean {
  if (leg.gap === true) return direction === 'falling' ? leg.from <= trigger : leg.from >= trigger;
  if (direction === 'falling') return leg.to < leg.from && leg.to <= trigger && trigger <= leg.from;
  return leg.to > leg.from && leg.from <= trigger && trigger <= leg.to;
}

/** A sell stop and a buy take-profit fire on a falling price; a buy stop and a sell take-profit on a rising one. */
export function triggerDirection(order: Pick<Order, 'type' | 'side'>): TriggerDirection {
  return (order.side === 'sell') === (order.type === 'stop-market') ? 'falling' : 'rising';
}

/**
 * Sorts the orders a leg triggers into the order the price meets them. On a moving leg that is the
 * distance from the leg's start. On the gap leg the price travelled from beyond the triggers to the open,
 * so the trigger farthest from the open was passed first. Equal places put stops first: the adverse
 * assumption again.
 */
export function inPassingOrder<T extends Pick<Order, 'type'> & { readonly trigger_price?: number }>(leg: PathLeg, orders: readonly T[]): T[] {
  const place = (o: T) => (leg.gap === true ? -Math.abs(o.trigger_price! - leg.from) : Math.abs(o.trigger_price! - leg.from));
  const stopsFirst = (o: T) => (o.type === 'stop-market' ? 0 : 1);
  return [...orders].sort((a, b) => place(a) - place(b) || stopsFirst(a) - stopsFirst(b));
}
