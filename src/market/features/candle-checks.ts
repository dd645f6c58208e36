import type { Candle } from '../candle.js';

/**
 * Rejects a bar the features cannot digest. The candle sources already validate and repair their data,
 * so this is a tripwire, not a cleaner: one NaN or non-positive close fed into a recursive indicator
 * (EMA, Wilder smoothing) would poison it for the rest of the stream, so failing loudly is the only
 * safe answer. Bars of one symbol must arrive in strictly increasing closeTime order.
 */
export function checkCandle(candle: Candle, previousCloseTime: number | undefined): void {
  const { symbol, high, low, close, closeTime } = candle;
  const where = () => `${symbol} bar closing at ${Number.isFinite(closeTime) ? new Date(closeTime).toISOString() : String(closeTime)}`;
  if (!Number.isFinite(closeTime)) throw new RangeError(`${where()}: closeTime must be a finite epoch ms`);
  if (![high, low, close].every(Number.isFinite)) {
    throw new RangeError(`${where()}: high, low and close must be finite (got ${high}, ${low}, ${close})`);
  }
  if (!(close > 0) || !(low >= 0) || !(low <= close && close <= high)) {
    throw new RangeError(`${where()}: needs 0 <= low <= close <= high and close > 0 (got low ${low}, close ${close}, high ${high})`);
  }
  if (previousCloseTime !== undefined && !(closeTime > previousCloseTime)) {
    throw new RangeError(`${where()}: out of order, the previous bar closed at ${new Date(previousCloseTime).toISOString()}`);
  }
}
