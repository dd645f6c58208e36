import { describe, expect, it } from 'vitest';
import { SignalCatalogue } from '../../src/signals/index.js';
import { bundledRuleSet } from '../support/rule-sets.js';
import { candlesOf } from '../support/trading.js';

describe('the signal catalogue', () => {
  it('names the reference strategy and every source of rules/strategies/, and gives fresh sources with the same signals', async () => {
    const catalogue = SignalCatalogue.of(bundledRuleSet());
    expect(catalogue.names()).toEqual(['ema-cross', 'breakout', 'mean-reversion', 'random']);
    expect(catalogue.isRandom('random')).toBe(true);
    expect(catalogue.isRandom('breakout')).toBe(false);
    expect(() => catalogue.check(['breakout', 'turtle'], '--sources')).toThrow('--sources: no signal source turtle (known: ema-cross, breakout, mean-reversion, random)');
    const candles = await candlesOf({ symbols: ['BTCUSDT'], bars: 480 });
    const signalsOf = (name: string, seed?: number) => {
      const source = catalogue.factory(name, candles, seed)();
      return candles.flatMap((c) => source.signalsAt(c.closeTime, [c]));
    };
    for (const name of catalogue.names()) expect(signalsOf(name, 1)).toEqual(signalsOf(name, 1));
    // Random entries have the reference strategy's count and sides, at other times for another seed.
    const [model, random] = [signalsOf('ema-cross'), signalsOf('random', 1)];
    expect(model.length).toBeGreaterThan(4);
    expect(random.map((s) => s.side)).toEqual(model.map((s) => s.side));
    expect(signalsOf('random', 2).map((s) => s.timestamp)).not.toEqual(random.map((s) => s.timestamp));
  });
});
