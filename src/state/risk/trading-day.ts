const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Start (epoch ms) of the trading day containing `time`, for a day that starts at `dayStartHourUtc`.
 * Days are cut on UTC hours, never local time, so a DST switch cannot make a day 23 or 25 hours long.
 */
export function tradingDayStart(time: number, dayStartHourUtc: number): number {
  const offset = dayStartHourUtc * HOUR_MS;
  return Math.floor((time - offset) / DAY_MS) * DAY_MS + offset;
}

/** An epoch-ms time for messages: ISO 8601 when it is a representable date, the raw value otherwise. */
export function formatTime(time: unknown): string {
  if (typeof time !== 'number' || !Number.isFinite(time) || Math.abs(time) > 8.64e15) return String(time);
  return new Date(time).toISOString();
}
