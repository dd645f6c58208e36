import type { Candle } from '../candle.js';

/**
 * Rejects a bar the features cannot digest. The candle sources already validate and repair their data,
 * so this is a tripwire, not a cleaner: one NaN or non-positive close fed into a recursive indicator
 * (EMA, Wilder smoothing) would poison it for the rest of the stream, so failing loudly is the only
 * safe answer. Bars of one symbol must arrive in strictly increasing closeTime order.
 */
export function checkCandle(candle: Candle, previousCloseTime: number | undefined): void {
  const { symbol, high, low, close, closeTime } = candle;
  if (!Number.isFinite(closeTime)) throw new RangeError(`${barName(symbol, closeTime)}: closeTime must be a finite epoch ms`);
  if (!(Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close))) {
    throw new RangeError(`${barName(symbol, closeTime)}: high, low and close must be finite (got ${high}, ${low}, ${close})`);
  }
  if (!(close > 0) || !(low >= 0) || !(low <= close && close <= high)) {
    throw new RangeError(`${barName(symbol, closeTime)}: needs 0 <= low <= close <= high and close > 0 (got low ${low}, close ${close}, high ${high})`);
  }
  if (previousCloseTime !== undefined && !(closeTime > previousCloseTime)) {
    throw new RangeError(`${barName(symbol, closeTime)}: out of order, the previous bar closed at ${new Date(previousCloseTime).toISOString()}`);
  }
}

// A function of its own rather than a closure in checkCandle, which runs for every candle.
function barName(symbol: string, closeTime: number): string {
  return `${symbol} bar closing at ${Number.isFinite(closeTime) ? new Date(closeTime).toISOString() : String(closeTime)}`;
}
