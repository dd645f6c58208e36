import type { Candle } from '../../market/candle.js';
import { isFiniteNumber, show } from './request-checks.js';

/**
 * Throws a RangeError naming the candle when it cannot act on the books: no symbol, no close time,
 * a price that is not positive, or an open or close outside its low-high range.
 */
// Runs for every candle of a backtest: no closure and no date formatting unless the candle is refused.
export function assertCandle(c: Candle): void {
  if (typeof c?.symbol !== 'string' || c.symbol === '') throw new RangeError(`paper broker: candle without a symbol (${whereIs(c)})`);
  if (!isFiniteNumber(c.closeTime)) throw new RangeError(`paper broker: candle ${whereIs(c)} has no valid close time`);
  if (!(isPositive(c.open) && isPositive(c.high) && isPositive(c.low) && isPositive(c.close))) {
    throw new RangeError(`paper broker: candle ${whereIs(c)} needs positive open, high, low and close, got ${[c.open, c.high, c.low, c.close].map(show).join(', ')}`);
  }
  if (c.low > Math.min(c.open, c.close) || c.high < Math.max(c.open, c.close)) {
    throw new RangeError(`paper broker: candle ${whereIs(c)} has open or close outside its low-high range`);
  }
}

function isPositive(x: unknown): boolean {
  return isFiniteNumber(x) && x > 0;
}

function whereIs(c: Candle | undefined): string {
  return `${show(c?.symbol)} closing ${isFiniteNumber(c?.closeTime) ? new Date(c.closeTime).toISOString() : show(c?.closeTime)}`;
}
