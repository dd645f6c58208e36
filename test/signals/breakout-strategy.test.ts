import { describe, expect, it } from 'vitest';
import { BreakoutStrategy, type BreakoutStrategyDoc } from '../../src/signals/index.js';
import { withSchemaDefaults } from '../../src/config/schema-defaults.js';
import { bars, run, SCALES } from './strategy-candles.js';

const params = (over: Partial<BreakoutStrategyDoc> = {}): BreakoutStrategyDoc => ({
  ...(withSchemaDefaults('breakout-strategy', { apiVersion: 'quantum-trader/v1', kind: 'BreakoutStrategy', version: '1.0.0' }) as BreakoutStrategyDoc),
  channel_bars: 3, exit_bars: 2, atr_period: 2, cooldown_bars: 0,
  confidence: { base: 0.5, strength: { weight: 0.3, to_atr: 4 }, min: 0.3, max: 0.95 },
  ...over,
});

// [high, low, close] relative to the scale: three quiet bars (range 2%), a breakout up by 2 ATR, a pause,
// a close below the 2-bar exit channel, then a breakdown below the 3-bar channel.
const story = [
  [1.01, 0.99, 1.0], [1.01, 0.99, 1.0], [1.01, 0.99, 1.0],
  [1.06, 1.0, 1.05],
  [1.07, 1.04, 1.06],
  [1.05, 0.99, 0.995],
  [0.99, 0.9, 0.91],
] as const;

describe.each(SCALES)('the breakout strategy at price scale %s', (scale) => {
  it('goes long on the first close above the previous 3 bars’ highest high, with confidence from the distance in ATRs', () => {
    const signals = run(new BreakoutStrategy(params()), bars('XUSDT', scale, story));
    // Bar 4 closes 0.04 above the channel top 1.01, 2 ATRs of 0.02: half of to_atr 4, so 0.5 + 0.3 × 0.5.
    expect(signals[0]).toMatchObject({ bar: 4, side: 'long', strategy: 'breakout' });
    expect(signals[0]!.confidence).toBeCloseTo(0.65, 3);
  });

  it('exits on a close below the 2-bar exit channel, then goes short on a close below the 3-bar channel', () => {
    const signals = run(new BreakoutStrategy(params()), bars('XUSDT', scale, story));
    expect(signals.map((s) => [s.bar, s.side])).toEqual([[4, 'long'], [6, 'exit'], [7, 'short']]);
    expect(signals[2]!.confidence).toBeGreaterThan(0.5);
    expect(signals[2]!.confidence).toBeLessThanOrEqual(0.8);
  });

  it('gives no entry within cooldown_bars of the last one, and no exit signals with exit_bars 0', () => {
    expect(run(new BreakoutStrategy(params({ cooldown_bars: 5 })), bars('XUSDT', scale, story)).map((s) => [s.bar, s.side])).toEqual([[4, 'long'], [6, 'exit']]);
    expect(run(new BreakoutStrategy(params({ exit_bars: 0 })), bars('XUSDT', scale, story)).map((s) => s.side)).toEqual(['long', 'short']);
  });

  it('clamps the confidence to max for a breakout far beyond to_atr', () => {
    const signals = run(new BreakoutStrategy(params({ confidence: { base: 0.5, strength: { weight: 0.6, to_atr: 0.5 }, min: 0.3, max: 0.9 } })), bars('XUSDT', scale, story));
    expect(signals[0]!.confidence).toBe(0.9);
  });
});

describe('the breakout strategy over several symbols', () => {
  it('keeps one channel per symbol: a breakout of one says nothing about another', () => {
    const strategy = new BreakoutStrategy(params());
    const a = bars('AUSDT', 0.00001, story);
    const quiet = bars('BUSDT', 50_000, story.map(() => [1.01, 0.99, 1.0] as const));
    const signals = a.flatMap((c, i) => strategy.signalsAt(c.closeTime, [c, quiet[i]!]));
    expect(signals.every((s) => s.symbol === 'AUSDT')).toBe(true);
    expect(signals).toHaveLength(3);
  });
});
