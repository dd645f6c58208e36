import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/config/problem.js';
import { BUNDLED_STRATEGIES, readStrategies, SignalCatalogue } from '../../src/signals/index.js';
import { bundledRuleSet } from '../support/rule-sets.js';
import { candlesOf } from '../support/trading.js';

const dir = mkdtempSync(join(tmpdir(), 'qt-strategies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HEADER = 'apiVersion: quantum-trader/v1\nversion: 1.0.0\n';

/** A strategies folder holding the given files. */
function folder(name: string, files: Record<string, string>): string {
  const path = join(dir, name);
  mkdirSync(path);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return path;
}

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error.problems.map((p) => `${p.file.split('/').at(-1)}:${p.line}: ${p.message}`);
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('strategies/*.yaml', () => {
  it('the shipped folder holds a breakout, a mean-reversion and a random-entries source', () => {
    const docs = readStrategies(BUNDLED_STRATEGIES);
    expect(docs.map((d) => [d.kind, d.name])).toEqual([['BreakoutStrategy', 'breakout'], ['MeanReversionStrategy', 'mean-reversion'], ['RandomEntries', 'random']]);
  });

  it('fills every field a file leaves out with the schema’s default', () => {
    const [doc] = readStrategies(folder('minimal', { 'b.yaml': `${HEADER}kind: BreakoutStrategy\nchannel_bars: 55\nconfidence:\n  base: 0.6\n` }));
    expect(doc).toMatchObject({ name: 'breakout', channel_bars: 55, exit_bars: 10, atr_period: 14, cooldown_bars: 6, confidence: { base: 0.6, strength: { weight: 0.3, to_atr: 1 }, min: 0.3, max: 0.95 } });
  });

  it('reports a bad field, an unknown kind and a duplicate name with file and line', () => {
    const path = folder('broken', {
      'a.yaml': `${HEADER}kind: BreakoutStrategy\nchannel_bars: 1\n`,
      'b.yaml': `${HEADER}kind: Martingale\n`,
      'c.yaml': `${HEADER}kind: MeanReversionStrategy\nexit_deviations: 3\n`,
      'd.yaml': `${HEADER}kind: RandomEntries\nname: twin\n`,
      'e.yaml': `${HEADER}kind: BreakoutStrategy\nname: twin\n`,
    });
    expect(problemsOf(() => readStrategies(path))).toEqual([
      expect.stringMatching(/^a\.yaml:4: channel_bars 1 is outside its range/),
      expect.stringMatching(/^b\.yaml:3: kind must be one of BreakoutStrategy, MeanReversionStrategy, RandomEntries \(got "Martingale"\)/),
      'c.yaml:4: exit_deviations 3 must be below bands.deviations 2',
      expect.stringMatching(/^e\.yaml:4: name 'twin' is already used by another file of /),
    ]);
  });

  it('refuses random entries like a source that does not exist or is random itself', () => {
    const reference = bundledRuleSet().strategy;
    const unknown = readStrategies(folder('unknown-like', { 'r.yaml': `${HEADER}kind: RandomEntries\nlike: nothing\n` }));
    expect(() => new SignalCatalogue(reference, unknown)).toThrow(/strategy 'random': like 'nothing' is no signal source \(known: ema-cross, random\)/);
    const chained = readStrategies(folder('chained', { 'r.yaml': `${HEADER}kind: RandomEntries\n`, 's.yaml': `${HEADER}kind: RandomEntries\nname: again\nlike: random\n` }));
    expect(() => new SignalCatalogue(reference, chained)).toThrow(/like 'random' is itself random entries/);
  });
});

describe('the signal catalogue', () => {
  it('names the reference strategy and every file’s source, and gives fresh sources with the same signals', async () => {
    const catalogue = new SignalCatalogue(bundledRuleSet().strategy, readStrategies(BUNDLED_STRATEGIES));
    expect(catalogue.names()).toEqual(['ema-cross', 'breakout', 'mean-reversion', 'random']);
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
