import type { TimeframeMs } from '../candle.js';

/** The four price behaviours a regime classifier has to tell apart. */
export type MarketRegime = 'uptrend' | 'downtrend' | 'range' | 'whipsaw';
export type VolatilityLevel = 'low' | 'normal' | 'high' | 'extreme';

export interface PhaseSpec {
  readonly regime: MarketRegime;
  readonly vol: VolatilityLevel;
  readonly bars: number;
  /** A sudden crash: a few bars of very large down moves with huge ranges (regime downtrend, vol extreme). */
  readonly crash?: boolean;
}

/** One stretch of the synthetic market's history, as ground truth for classifiers. */
export interface MarketPhase {
  readonly index: number;
  readonly regime: MarketRegime;
  readonly vol: VolatilityLevel;
  readonly crash: boolean;
  /** First bar index of the phase (0-based). */
  readonly fromBar: number;
  /** One past the last bar index. */
  readonly toBar: number;
  /** Open time of the first bar. */
  readonly fromTime: number;
  /** Close time of the last bar. */
  readonly toTime: number;
}

const CRASH_BARS = 4;

/**
 * The default story, in 1h bars (2520 = 105 days): a quiet range, a rally that overheats, a choppy top,
 * a crash and its aftershock, a slow recovery, a short squeeze, then a bleed and a calm. Every regime
 * appears at several volatility levels and every level appears more than once, so no classifier can
 * pass by equating a regime with a volatility level.
 */
export const DEFAULT_PHASES: readonly PhaseSpec[] = [
  { regime: 'range', vol: 'low', bars: 216 },
  { regime: 'uptrend', vol: 'normal', bars: 288 },
  { regime: 'uptrend', vol: 'high', bars: 144 },
  { regime: 'whipsaw', vol: 'high', bars: 168 },
  { regime: 'downtrend', vol: 'extreme', bars: CRASH_BARS, crash: true },
  { regime: 'downtrend', vol: 'extreme', bars: 44 },
  { regime: 'downtrend', vol: 'high', bars: 168 },
  { regime: 'range', vol: 'normal', bars: 240 },
  { regime: 'whipsaw', vol: 'extreme', bars: 96 },
  { regime: 'range', vol: 'high', bars: 120 },
  { regime: 'uptrend', vol: 'low', bars: 264 },
  { regime: 'uptrend', vol: 'extreme', bars: 48 },
  { regime: 'whipsaw', vol: 'normal', bars: 168 },
  { regime: 'downtrend', vol: 'normal', bars: 216 },
  { regime: 'downtrend', vol: 'low', bars: 144 },
  { regime: 'range', vol: 'normal', bars: 192 },
];

export const DEFAULT_BARS = DEFAULT_PHASES.reduce((sum, p) => sum + p.bars, 0);

/** Below this the shortest default phase would be too short to recognise. */
export const MIN_DEFAULT_BARS = 480;

/**
 * Stretches or shrinks the template to `bars`. Crash phases keep their length (a crash is a few bars at
 * any scale); the others share the rest in proportion, with cumulative rounding so the total is exact.
 */
export function scalePhases(template: readonly PhaseSpec[], bars: number): PhaseSpec[] {
  const fixed = template.reduce((sum, p) => sum + (p.crash === true ? p.bars : 0), 0);
  const flexible = template.reduce((sum, p) => sum + (p.crash === true ? 0 : p.bars), 0);
  const available = bars - fixed;
  let seen = 0;
  let given = 0;
  return template.map((p) => {
    if (p.crash === true) return p;
    seen += p.bars;
    const end = Math.round((seen * available) / flexible);
    const length = end - given;
    given = end;
    return { ...p, bars: length };
  });
}

export function buildSchedule(specs: readonly PhaseSpec[], start: number, timeframe: TimeframeMs): MarketPhase[] {
  let bar = 0;
  return specs.map((spec, index) => {
    if (!Number.isInteger(spec.bars) || spec.bars <= 0) {
      throw new RangeError(`phase ${index} must have a positive whole number of bars`);
    }
    // The schedule is ground truth for classifiers, so a crash must carry the labels it will produce.
    if (spec.crash === true && (spec.regime !== 'downtrend' || spec.vol !== 'extreme')) {
      throw new RangeError(`phase ${index}: a crash phase must be regime downtrend, vol extreme`);
    }
    const phase: MarketPhase = {
      index,
      regime: spec.regime,
      vol: spec.vol,
      crash: spec.crash === true,
      fromBar: bar,
      toBar: bar + spec.bars,
      fromTime: start + bar * timeframe,
      toTime: start + (bar + spec.bars) * timeframe,
    };
    bar += spec.bars;
    return phase;
  });
}
