import type { MarketFeatures } from '../market/features/index.js';
import { moreVolatile, VOLATILITIES, type Classification, type Regime, type Volatility } from './classification.js';
import type { MarketSettings, StateSettings } from './state-settings.js';

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
export function referenceSymbol(market: MarketSettings, symbols: Iterable<string>): string | undefined {
  const configured = market.reference_symbol;
  if (configured !== undefined) return configured;
  const all = [...symbols];
  if (all.includes(CONVENTIONAL_REFERENCE)) return CONVENTIONAL_REFERENCE;
  return all.sort()[0];
}

/**
 * Classifies each symbol at its candle closes with the settings in force and derives the market's classes.
 * The settings are read at every instant, so a hot reload of the classification rules applies from the
 * next instant on.
 */
export class MarketClassifier {
  private readonly views = new Map<string, SymbolView>();
  private readonly pending = new Map<string, { regime?: { value: Regime; bars: number }; volatility?: { value: Volatility; bars: number } }>();
  private readonly seen = new Set<string>();
  /** The keys of `views` in code-unit order, kept until a symbol is added (sorting them every instant showed in profiles). */
  private sortedSymbols: string[] | undefined;

  constructor(private readonly settings: () => StateSettings) {}

  /**
   * Takes the features of the candles that closed at one instant. Returns the market view, or undefined
   * while the reference symbol is still warming up (the policy then has no market state to work on).
   */
  async update(time: number, features: readonly MarketFeatures[]): Promise<MarketView | undefined> {
    const { market, classifier } = this.settings();
    for (const f of features) {
      this.seen.add(f.symbol);
      if (!f.ready) continue;
      const raw = await classifier.classify(f as unknown as Record<string, unknown>);
      if (!this.views.has(f.symbol)) this.sortedSymbols = undefined;
      this.views.set(f.symbol, this.held(f.symbol, raw, market.classification_hold_bars ?? 1, f));
    }
    const reference = referenceSymbol(market, this.seen);
    const anchor = reference === undefined ? undefined : this.views.get(reference);
    if (reference === undefined || anchor === undefined) return undefined;
    this.sortedSymbols ??= [...this.views.keys()].sort((a, b) => (a < b ? -1 : 1));
    const byName: Record<string, SymbolView> = {};
    for (const symbol of this.sortedSymbols) byName[symbol] = this.views.get(symbol)!;
    const symbols = Object.freeze(byName);
    let volatility = anchor.volatility;
    let volatilityDecidedBy = `${reference}:${anchor.decided_by.volatility}`;
    if (market.volatility_aggregate === 'max') {
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

  /**
   * Applies market.classification_hold_bars: a class the rules call differently from the current one
   * takes over after `hold` consecutive calls. A rise in volatility takes over at once: the gates that
   * depend on it must not wait.
   */
  private held(symbol: string, raw: Classification, hold: number, features: MarketFeatures): SymbolView {
    const current = this.views.get(symbol);
    // Literals rather than `{ ...classes, features }`: on Node 20 a property added after a spread costs
    // about a microsecond (a new hidden class each time), and this runs per symbol per instant.
    if (current === undefined || hold <= 1) return { volatility: raw.volatility, regime: raw.regime, decided_by: raw.decided_by, features };
    const pending = this.pending.get(symbol) ?? {};
    this.pending.set(symbol, pending);
    const settle = <K extends 'regime' | 'volatility'>(what: K, immediate: boolean): { value: Classification[K]; rule: string } => {
      if (raw[what] === current[what] || immediate) {
        delete pending[what];
        return { value: raw[what], rule: raw.decided_by[what] };
      }
      const bars = pending[what]?.value === raw[what] ? pending[what]!.bars + 1 : 1;
      if (bars >= hold) {
        delete pending[what];
        return { value: raw[what], rule: raw.decided_by[what] };
      }
      pending[what] = { value: raw[what], bars } as never;
      return { value: current[what], rule: current.decided_by[what] };
    };
    const regime = settle('regime', false);
    const volatility = settle('volatility', VOLATILITIES.indexOf(raw.volatility) > VOLATILITIES.indexOf(current.volatility));
    return { regime: regime.value, volatility: volatility.value, decided_by: { regime: regime.rule, volatility: volatility.rule }, features };
  }

}
