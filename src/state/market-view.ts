import type { MarketFeatures } from '../market/features/index.js';
import type { RuleSet } from '../policy/rule-set.js';
import type { Regime, Volatility } from '../policy/trading-policy.js';
import { Classifier, moreVolatile, type Classification } from './classifier.js';

/** One symbol's classes at its latest candle close, with the indicators they were decided from. */
export interface SymbolView extends Classification {
  readonly features: MarketFeatures;
}

/** The market at one instant: its classes (feeding the global policy) and every classified symbol's. */
export interface MarketView {
  readonly time: number;
  readonly regime: Regime;
  readonly volatility: Volatility;
  /** The symbol whose classes are the market's (see `referenceSymbol`). */
  readonly reference: string;
  readonly decided_by: { readonly regime: string; readonly volatility: string };
  /** Symbols whose indicators are warm, each as of its own latest candle. */
  readonly symbols: Readonly<Record<string, SymbolView>>;
}

/** Reference used when the rule set names none and no symbol is called BTCUSDT: the first in code-unit order. */
export const CONVENTIONAL_REFERENCE = 'BTCUSDT';

/**
 * The market-level classes come from one reference symbol: `market.reference_symbol` of the rule set,
 * else BTCUSDT when it is traded (crypto follows bitcoin), else the first symbol in sorted order, so the
 * choice never depends on arrival order.
 */
export function referenceSymbol(ruleSet: RuleSet, symbols: Iterable<string>): string | undefined {
  const configured = ruleSet.manifest.market?.reference_symbol;
  if (configured !== undefined) return configured;
  const all = [...symbols];
  if (all.includes(CONVENTIONAL_REFERENCE)) return CONVENTIONAL_REFERENCE;
  return all.sort()[0];
}

/**
 * Classifies each symbol at its candle closes with the rule set in force and derives the market's classes.
 * The classifier is rebuilt when the rule set's content changes, so a hot reload of the classification
 * rules applies from the next instant on.
 */
export class MarketClassifier {
  private compiled: { readonly hash: string; readonly classifier: Classifier } | undefined;
  private readonly views = new Map<string, SymbolView>();
  private readonly seen = new Set<string>();

  constructor(private readonly ruleSet: () => RuleSet) {}

  /**
   * Takes the features of the candles that closed at one instant. Returns the market view, or undefined
   * while the reference symbol is still warming up (the policy then has no market state to work on).
   */
  async update(time: number, features: readonly MarketFeatures[]): Promise<MarketView | undefined> {
    const ruleSet = this.ruleSet();
    const classifier = this.classifierFor(ruleSet);
    for (const f of features) {
      this.seen.add(f.symbol);
      if (!f.ready) continue;
      this.views.set(f.symbol, { ...(await classifier.classify(f as unknown as Record<string, unknown>)), features: f });
    }
    const reference = referenceSymbol(ruleSet, this.seen);
    const anchor = reference === undefined ? undefined : this.views.get(reference);
    if (reference === undefined || anchor === undefined) return undefined;
    const symbols = Object.freeze(Object.fromEntries([...this.views].sort(([a], [b]) => (a < b ? -1 : 1))));
    let volatility = anchor.volatility;
    let volatilityDecidedBy = `${reference}:${anchor.decided_by.volatility}`;
    if (ruleSet.manifest.market?.volatility_aggregate === 'max') {
      for (const [symbol, view] of Object.entries(symbols)) {
        if (moreVolatile(view.volatility, volatility) !== volatility) {
          volatility = view.volatility;
          volatilityDecidedBy = `${symbol}:${view.decided_by.volatility}`;
        }
      }
    }
    return Object.freeze({
      time,
      regime: anchor.regime,
      volatility,
      reference,
      decided_by: { regime: `${reference}:${anchor.decided_by.regime}`, volatility: volatilityDecidedBy },
      symbols,
    });
  }

  private classifierFor(ruleSet: RuleSet): Classifier {
    if (this.compiled?.hash !== ruleSet.contentHash) this.compiled = { hash: ruleSet.contentHash, classifier: new Classifier(ruleSet) };
    return this.compiled.classifier;
  }
}
