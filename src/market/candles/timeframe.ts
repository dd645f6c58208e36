import type { TimeframeMs } from '../candle.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  H: 3_600_000,
  d: 86_400_000,
  D: 86_400_000,
  w: 604_800_000,
  W: 604_800_000,
};

/**
 * Accepts Binance-style interval names (`1m`, `15m`, `4h`, `1d`, `1w`) or a bar length in ms. `M` (month)
 * is refused rather than approximated: months have no fixed length, and closeTime = openTime + timeframe
 * would then be wrong for most bars.
 */
export function parseTimeframe(value: string | number): TimeframeMs {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`timeframe must be a positive whole number of milliseconds, got ${value}`);
    }
    return value;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) return parseTimeframe(Number(text));
  const match = /^(\d+)([a-zA-Z])$/.exec(text);
  const unit = match?.[2];
  if (match === null || unit === undefined) {
    throw new RangeError(`unrecognised timeframe "${value}" (expected e.g. 1m, 15m, 1h, 4h, 1d, 1w or milliseconds)`);
  }
  if (unit === 'M') throw new RangeError(`timeframe "${value}": monthly bars have no fixed length and are not supported`);
  const unitMs = UNIT_MS[unit];
  const count = Number(match[1]);
  if (unitMs === undefined || count <= 0) {
    throw new RangeError(`unrecognised timeframe "${value}" (expected e.g. 1m, 15m, 1h, 4h, 1d, 1w or milliseconds)`);
  }
  return count * unitMs;
}

/** Shortest exact name for a bar length: 3_600_000 → `1h`, 5_400_000 → `90m`, 1_500 → `1500ms`. */
export function formatTimeframe(ms: TimeframeMs): string {
  for (const [unit, size] of [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * The most common positive step between consecutive open times. The mode (not the minimum) is used so
 * that a stray early row does not halve the timeframe, and missing bars (weekends, halts) only add larger
 * steps that lose the vote. Ties go to the smaller step. Undefined when there is no positive step.
 */
export function inferTimeframe(openTimes: readonly number[]): TimeframeMs | undefined {
  const counts = new Map<number, number>();
  for (let i = 1; i < openTimes.length; i++) {
    const step = openTimes[i]! - openTimes[i - 1]!;
    if (step > 0) counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}
