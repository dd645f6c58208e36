/**
 * Timestamp cells as found in exchange dumps and hand-made CSVs. Results are epoch milliseconds (UTC), or
 * a string saying why the cell is unusable, so the caller can report it against its line.
 */

// Thresholds between units. Any instant from 1973 to the year 5138 has a different digit count in each
// unit (seconds: 9-11 digits, ms: 12-14, µs: 15-17), so the magnitude alone identifies the unit. Binance
// spot dumps switched open_time to microseconds (16 digits) in 2025; futures dumps still use ms.
const MS_FROM = 1e11;
const US_FROM = 1e14;
const TOO_LARGE = 1e17;

export type EpochUnit = 's' | 'ms' | 'us';

export function epochUnitOf(value: number): EpochUnit | undefined {
  if (!(value > 0) || value >= TOO_LARGE) return undefined;
  return value < MS_FROM ? 's' : value < US_FROM ? 'ms' : 'us';
}

/** An all-digit epoch number in seconds, milliseconds or microseconds (decided by magnitude). */
export function parseEpoch(cell: string): number | string {
  if (!/^\d+(\.\d+)?$/.test(cell)) return `timestamp "${cell}" is not an epoch number`;
  const value = Number(cell);
  const unit = epochUnitOf(value);
  if (unit === undefined) return `timestamp "${cell}" is out of range`;
  const ms = unit === 's' ? value * 1000 : unit === 'ms' ? value : value / 1000;
  // Bars open on whole milliseconds; a fractional result means the cell is not what it seems.
  if (!Number.isSafeInteger(ms)) return `timestamp "${cell}" is not a whole number of milliseconds`;
  return ms;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * ISO 8601 calendar date or date-time. Hand-parsed because `Date.parse` reads a date-time without an
 * offset as local time, which would make results depend on the machine's time zone; here no offset
 * means UTC. A space instead of `T` is accepted (pandas and SQL exports write it that way).
 */
export function parseIsoTime(cell: string): number | string {
  const m = ISO.exec(cell);
  if (m === null) return `timestamp "${cell}" is not ISO 8601`;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number, number, number, number, number, number,
  ];
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 2024-02-30 over to March; a round trip catches impossible dates and times.
  const back = new Date(utc);
  if (
    back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day ||
    back.getUTCHours() !== hour || back.getUTCMinutes() !== minute || back.getUTCSeconds() !== second
  ) {
    return `timestamp "${cell}" is not a valid date`;
  }
  return utc - offsetMs(m[8]);
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return (zone.startsWith('-') ? -minutes : minutes) * 60_000;
}

/** Epoch number in any supported unit, or ISO 8601. */
export function parseTimestamp(cell: string): number | string {
  return /^\d+(\.\d+)?$/.test(cell) ? parseEpoch(cell) : parseIsoTime(cell);
}
