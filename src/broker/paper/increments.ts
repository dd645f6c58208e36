/**
 * Price ticks and quantity steps. Binary floating point cannot hold 0.1 exactly, so every comparison
 * with an increment allows a relative slack far below one increment, and every rounded result is
 * printed back through the increment's decimals so that 0.1 + 0.2 comes out as 0.3, not 0.30000000000000004.
 */

/** Slack in units of one increment: anything closer to a multiple than this is that multiple. */
const UNIT_SLACK = 1e-6;

/** Decimals needed to write a multiple of `increment` exactly (1e-7 → 7, 0.25 → 2, 5 → 0). */
export function decimalsOf(increment: number): number {
  const text = increment.toString();
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent !== null) {
    const mantissa = text.slice(0, text.indexOf('e'));
    const fraction = mantissa.includes('.') ? mantissa.split('.')[1]!.length : 0;
    return Number(exponent[1]) + fraction;
  }
  return text.includes('.') ? text.split('.')[1]!.length : 0;
}

/**
 * Whether `value` is a whole number of increments. The slack is relative to the increment, plus the
 * rounding error of the division itself, which grows with the number of increments: 63571.249429 is
 * 63,571,249,429 steps of 0.000001, and value / step comes out 7e-6 steps off, not 1e-6.
 */
export function isMultipleOf(value: number, increment: number): boolean {
  const units = value / increment;
  return Math.abs(units - Math.round(units)) <= UNIT_SLACK + Math.abs(units) * 8 * Number.EPSILON;
}

/** `value` as the nearest multiple of `increment`, written without float dust (the canonical float of that many steps). */
export function roundTo(value: number, increment: number): number {
  return Number((Math.round(value / increment) * increment).toFixed(Math.min(decimalsOf(increment), 100)));
}
