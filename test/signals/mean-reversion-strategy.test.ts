import { describe, expect, it } from 'vitest';
import { withSchemaDefaults } from '../../src/config/schema-defaults.js';
import { MeanReversionStrategy, type MeanReversionStrategyDoc } from '../../src/signals/index.js';
import { closes, run, SCALES } from './strategy-candles.js';

const params = (over: Partial<MeanReversionStrategyDoc> = {}): MeanReversionStrategyDoc => ({
  ...(withSchemaDefaults('mean-reversion-strategy', { apiVersion: 'quantum-trader/v1', kind: 'MeanReversionStrategy', version: '1.0.0' }) as MeanReversionStrategyDoc),
  bands: { bars: 3, deviations: 1 }, exit_deviations: 0, cooldown_bars: 0,
  confidence: { base: 0.5, stretch: { weight: 0.3, to_deviations: 2 }, min: 0.3, max: 0.95 },
  ...over,
});

// Closes relative to the scale. Bar 4: window 1, 1, 0.97 has mean 0.99 and (population) deviation √0.0002,
// so the close is √2 ≈ 1.414 deviations below: a long. Bar 5: back above the mean, an exit. Bar 6: window
// 0.97, 1.00, 1.03, mean 1.00, deviation √0.0006: the close is 1.2247 deviations above, a short.
const story = [1, 1, 1, 0.97, 1.0, 1.03];

describe.each(SCALES)('the mean-reversion strategy at price scale %s', (scale) => {
  it('goes long below the lower band, exits at the mean, goes short above the upper band', () => {
    const signals = run(new MeanReversionStrategy(params()), closes('XUSDT', scale, story));
    expect(signals.map((s) => [s.bar, s.side])).toEqual([[4, 'long'], [5, 'exit'], [6, 'short']]);
    expect(signals[0]!.strategy).toBe('mean-reversion');
  });

  it('grades the confidence by the stretch: base + weight × (|z| − deviations) / (to_deviations − deviations)', () => {
    const [long, , short] = run(new MeanReversionStrategy(params()), closes('XUSDT', scale, story));
    expect(long!.confidence).toBeCloseTo(0.5 + 0.3 * (Math.SQRT2 - 1), 3);
    expect(short!.confidence).toBeCloseTo(0.5 + 0.3 * (Math.sqrt(1.5) - 1), 3);
  });

  it('says nothing on a flat series (no deviation, nothing stretched) and nothing before the bands exist', () => {
    expect(run(new MeanReversionStrategy(params()), closes('XUSDT', scale, [1, 1, 1, 1, 1]))).toEqual([]);
    expect(run(new MeanReversionStrategy(params({ bands: { bars: 5, deviations: 1 } })), closes('XUSDT', scale, story.slice(0, 4)))).toEqual([]);
  });

  it('waits for the close to come within exit_deviations of the mean before exiting', () => {
    const signals = run(new MeanReversionStrategy(params({ exit_deviations: 0.8 })), closes('XUSDT', scale, [1, 1, 1, 0.97, 0.975]));
    // Bar 5: window 1, 0.97, 0.975: mean 0.98167, deviation 0.013123, the close 0.508 deviations below the
    // mean: within 0.8 (an exit), not yet back at the mean (no exit with exit_deviations 0).
    expect(signals.map((s) => [s.bar, s.side])).toEqual([[4, 'long'], [5, 'exit']]);
    expect(run(new MeanReversionStrategy(params()), closes('XUSDT', scale, [1, 1, 1, 0.97, 0.975])).map((s) => s.side)).toEqual(['long']);
  });
});
