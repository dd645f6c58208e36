import type { Order } from '../model.js';

/** The `reason` of a market fill: the price it was expected at and the slippage applied. */
export function marketFillReason(expectedPrice: number, slippage: number): string {
  return `market order filled at the expected price ${expectedPrice} moved ${percent(slippage)} against it`;
}

/** The `reason` of a triggered fill: which intrabar rule set its price, so a reader of the order knows. */
export function triggeredReason(order: Order, gapOpen: number | undefined, slippage: number, rivals: readonly Order[]): string {
  const stop = order.type === 'stop-market';
  const how = gapOpen !== undefined
    ? `${order.type} at ${order.trigger_price}: the bar opened beyond it at ${gapOpen}; ` +
      (stop ? `filled at the open with ${percent(slippage)} adverse slippage (a gap fills at the worse price)` : 'filled at the trigger, not at the better open')
    : `${order.type} at ${order.trigger_price} triggered inside the bar; ` +
      (stop ? `filled at the trigger with ${percent(slippage)} adverse slippage` : 'filled at the trigger (no favourable slippage)');
  if (rivals.length === 0) return how;
  const targets = rivals.map((t) => t.trigger_price).join(', ');
  return `${how}; the take-profit at ${targets} was also inside the bar and the stop is assumed to have come first (the candle cannot tell which did)`;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))}%`;
}
