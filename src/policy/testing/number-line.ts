/**
 * The values of a numeric fact worth trying, given the thresholds rules compare it with: every threshold,
 * and one value just beyond each side of it. Comparisons with constants (<, <=, >, >=, =, in) give the same
 * result for every value between two neighbouring thresholds, so these values stand for the whole number
 * line: enumerating them is exact, not sampling.
 */

/** What a candidate value stands for: itself (a threshold) or the open stretch between two thresholds. */
export interface Stretch {
  /** Undefined: unbounded below (or the fact's own minimum). */
  readonly lo?: number;
  readonly loIncluded: boolean;
  readonly hi?: number;
  readonly hiIncluded: boolean;
}

export interface NumberCandidate {
  readonly value: number;
  readonly stretch: Stretch;
}

export interface Domain {
  readonly min?: number;
  readonly max?: number;
  readonly integer: boolean;
}

export function numberCandidates(thresholds: readonly number[], domain: Domain, fallback: number): NumberCandidate[] {
  const inside = (v: number) => (domain.min === undefined || v >= domain.min) && (domain.max === undefined || v <= domain.max);
  // On whole numbers a threshold of 2.5 splits them like 2 and 3 do.
  const whole = domain.integer ? thresholds.flatMap((t) => (Number.isInteger(t) ? [t] : [Math.floor(t), Math.ceil(t)])) : thresholds;
  const points = [...new Set(whole.filter((t) => Number.isFinite(t) && inside(t)))].sort((a, b) => a - b);
  if (points.length === 0) return [{ value: clamp(fallback, domain), stretch: { loIncluded: false, hiIncluded: false } }];
  const out: NumberCandidate[] = [];
  const first = points[0]!;
  // Below the lowest threshold, down to the fact's minimum.
  if (domain.min === undefined || domain.min < first) {
    const value = domain.integer ? first - 1 : Math.max(stepAway(first, -1, undefined), domain.min ?? -Infinity);
    if (inside(value) && value < first) out.push({ value, stretch: { loIncluded: false, hi: first, hiIncluded: false } });
  }
  points.forEach((t, i) => {
    const next = points[i + 1];
    out.push({ value: t, stretch: { lo: t, loIncluded: true, hi: t, hiIncluded: true } });
    // Between this threshold and the next (or up to the fact's maximum).
    const value = domain.integer ? t + 1 : Math.min(stepAway(t, +1, next), domain.max ?? Infinity);
    const beforeNext = next === undefined || value < next;
    if (value > t && inside(value) && beforeNext) {
      out.push({ value, stretch: { lo: t, loIncluded: false, ...(next !== undefined ? { hi: next } : {}), hiIncluded: false } });
    }
  });
  return out;
}

/**
 * A value just beyond `t`: one unit of the decimal after t's last one (-0.025 → -0.0249 / -0.0251,
 * 5 → 5.1), or the midpoint when the next threshold is closer than that.
 */
function stepAway(t: number, direction: 1 | -1, neighbour: number | undefined): number {
  const digits = decimals(t) + 1;
  const unit = 10 ** -digits;
  const candidate = Number((t + direction * unit).toFixed(Math.min(digits, 20)));
  if (neighbour === undefined || Math.abs(candidate - t) < Math.abs(neighbour - t)) return candidate;
  return (t + neighbour) / 2;
}

function decimals(value: number): number {
  for (let d = 0; d < 15; d++) {
    const scaled = value * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled))) return d;
  }
  return 15;
}

function clamp(value: number, domain: Domain): number {
  const low = Math.max(value, domain.min ?? -Infinity);
  return Math.min(low, domain.max ?? Infinity);
}
