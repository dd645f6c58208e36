import { InputError } from '../config/problem.js';
import type { Candle } from '../market/candle.js';
import type { ReferenceStrategyDoc, RuleSet } from '../policy/rule-set.js';
import { BreakoutStrategy } from './breakout-strategy.js';
import { MeanReversionStrategy } from './mean-reversion-strategy.js';
import { randomEntries } from './random-entries.js';
import { ReferenceStrategy } from './reference-strategy.js';
import type { SignalSource } from './signal-source.js';
import type { StrategyDoc } from './strategy-docs.js';

/**
 * The signal sources a backtest or study can choose by name: the rule set's reference strategy
 * (rules/strategy.yaml) and its other sources (rules/strategies/*.yaml). Names are unique and every
 * RandomEntries source is `like` a strategy: lint checks both (src/policy/lint/strategy.ts).
 */
export class SignalCatalogue {
  constructor(
    private readonly reference: ReferenceStrategyDoc,
    private readonly docs: readonly StrategyDoc[],
  ) {}

  static of(ruleSet: Pick<RuleSet, 'strategy' | 'signalSources'>): SignalCatalogue {
    return new SignalCatalogue(ruleSet.strategy, ruleSet.signalSources);
  }

  /** True for a RandomEntries source: its signals depend on the seed. */
  isRandom(name: string): boolean {
    return this.docs.some((d) => d.name === name && d.kind === 'RandomEntries');
  }

  names(): string[] {
    return [this.reference.name, ...this.docs.map((d) => d.name)];
  }

  /** Throws an InputError naming the known sources when `name` is none of them. */
  check(names: readonly string[], flag: string): void {
    const unknown = names.filter((n) => !this.names().includes(n));
    if (unknown.length > 0) throw new InputError(`${flag}: no signal source ${unknown.join(', ')} (known: ${this.names().join(', ')})`);
  }

  /**
   * A fresh source of `name` per call, all giving the same signals for these candles. `seed` replaces a
   * RandomEntries document's own; strategies ignore it (they are deterministic).
   */
  factory(name: string, candles: readonly Candle[], seed?: number): () => SignalSource {
    this.check([name], 'signal source');
    const doc = this.docs.find((d) => d.name === name);
    if (doc?.kind === 'RandomEntries') {
      const scheduled = randomEntries(doc, this.factory(doc.like, candles)(), candles, seed ?? doc.seed);
      return () => scheduled;
    }
    return () => this.strategy(doc);
  }

  private strategy(doc: StrategyDoc | undefined): SignalSource {
    if (doc === undefined) {
      const reference = this.reference;
      return new ReferenceStrategy(() => reference);
    }
    if (doc.kind === 'BreakoutStrategy') return new BreakoutStrategy(doc);
    if (doc.kind === 'MeanReversionStrategy') return new MeanReversionStrategy(doc);
    throw new RangeError(`strategy ${doc.name}: random entries are no strategy of their own`);
  }
}
