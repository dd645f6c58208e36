import type { Candle } from '../market/candle.js';
import { CorrelationTracker, SymbolFeatures, resolveFeatureSettings, type FeatureSettings } from '../market/features/index.js';
import type { AccountEvent } from './account-events.js';
import type { Regime, Volatility } from './classification.js';
import type { MarketState, SymbolStats } from './market-state.js';
import { MarketClassifier, type MarketView } from './market-view.js';
import { RiskTracker, type ApplyResult, type RiskSnapshot } from './risk/index.js';
import type { StateSettings } from './state-settings.js';

/** Statistics of a symbol that has not closed a trade yet: the performance rules require a minimum count first. */
const NO_TRADES: SymbolStats = Object.freeze({ win_rate: 0, avg_r: 0, pnl: 0, trades: 0 });

export interface MarketStateBuilderOptions {
  /** The settings of the rule set in force, read at every instant so that hot reloads apply (policy's `stateSettings`). */
  readonly settings: () => StateSettings;
  /** A tracker to continue (e.g. restored from the store); default: a new one with the rule set's day start hour. */
  readonly risk?: RiskTracker;
}

/**
 * Assembles the policy's input, the MarketState, from candles and account events: indicators per symbol,
 * their classification by the YAML rules, the market's classes from the reference symbol, the risk state
 * and per-symbol performance. The live pipeline, the backtest and `watch` share it, so they cannot drift.
 *
 * Indicator periods (`market.features`) and the trading-day hour are read once, when the builder is
 * made: changing them means recomputing history, so a reload that changes them applies at the next start.
 */
export class MarketStateBuilder {
  readonly featureSettings: FeatureSettings;
  readonly risk: RiskTracker;
  readonly correlations: CorrelationTracker;
  private readonly features = new Map<string, SymbolFeatures>();
  private readonly classifier: MarketClassifier;
  private view: MarketView | undefined;
  private lastInstant: number | undefined;
  private cached: { readonly view: MarketView; readonly risk: RiskSnapshot; readonly state: MarketState } | undefined;
  private readonly classifiedStats = new Map<string, { readonly stats: SymbolStats; readonly value: SymbolStats }>();

  constructor(options: MarketStateBuilderOptions) {
    const { market, symbolWindow: window } = options.settings();
    this.featureSettings = resolveFeatureSettings(market.features ?? {});
    this.risk = options.risk ?? new RiskTracker({
      day_start_hour_utc: market.trading_day_start_hour_utc ?? 0,
      ...(window === undefined ? {} : 'trades' in window ? { performance_window: window.trades } : { performance_days: window.days }),
    });
    this.correlations = new CorrelationTracker(this.featureSettings);
    this.classifier = new MarketClassifier(options.settings);
  }

  /** The market's classes at the last instant, undefined while the reference symbol warms up. */
  get market(): MarketView | undefined {
    return this.view;
  }

  /**
   * Takes every candle that closed at one instant (all with the same closeTime, each symbol at most
   * once). Throws on a candle that is out of order or malformed: the source is expected to have repaired
   * or rejected bad data already, so one here is a programming error, not bad input.
   */
  async onCandles(candles: readonly Candle[]): Promise<MarketView | undefined> {
    if (candles.length === 0) return this.view;
    const time = candles[0]!.closeTime;
    // A cycle retried after a failure hands the same instant in again; it has been counted already.
    if (this.lastInstant !== undefined && time <= this.lastInstant) return this.view;
    this.lastInstant = time;
    const features = candles.map((candle) => {
      if (candle.closeTime !== time) throw new RangeError(`onCandles: candles of one instant must share closeTime (${candle.symbol} closes at ${new Date(candle.closeTime).toISOString()}, not ${new Date(time).toISOString()})`);
      let calculator = this.features.get(candle.symbol);
      if (calculator === undefined) {
        calculator = new SymbolFeatures(candle.symbol, this.featureSettings);
        this.features.set(candle.symbol, calculator);
      }
      this.correlations.update(candle);
      return calculator.update(candle);
    });
    this.risk.advanceTo(time);
    this.view = (await this.classifier.update(time, features)) ?? this.view;
    return this.view;
  }

  /** Folds one account event into the risk state; a rejected event changes nothing and says why. */
  onAccount(event: AccountEvent): ApplyResult {
    return this.risk.apply(event);
  }

  /** The policy input now: undefined until the market has been classified once. */
  state(): MarketState | undefined {
    const view = this.view;
    if (view === undefined) return undefined;
    const risk = this.risk.snapshot();
    if (this.cached?.view === view && this.cached.risk === risk) return this.cached.state;
    const symbols: Record<string, SymbolStats> = {};
    for (const [symbol, stats] of Object.entries(risk.symbols)) symbols[symbol] = stats;
    for (const [symbol, classes] of Object.entries(view.symbols)) {
      symbols[symbol] = this.classified(symbol, symbols[symbol] ?? NO_TRADES, classes.regime, classes.volatility);
    }
    const state: MarketState = Object.freeze({
      timestamp: Math.max(view.time, risk.time ?? view.time),
      regime: view.regime,
      volatility: view.volatility,
      risk: risk.risk,
      symbols: Object.freeze(symbols),
    });
    this.cached = { view, risk, state };
    return state;
  }

  /**
   * The symbol's stats with its classes, as `{ ...stats, regime, volatility }` would give them (same
   * fields, same order), and the same object as at the previous instant while none of the three changed:
   * on Node 20 a property added after a spread costs about a microsecond, and this runs per symbol per
   * instant.
   */
  private classified(symbol: string, stats: SymbolStats, regime: Regime, volatility: Volatility): SymbolStats {
    const previous = this.classifiedStats.get(symbol);
    if (previous !== undefined && previous.stats === stats && previous.value.regime === regime && previous.value.volatility === volatility) return previous.value;
    const value: { -readonly [K in keyof SymbolStats]: SymbolStats[K] } = {} as SymbolStats;
    for (const key in stats) (value as Record<string, unknown>)[key] = stats[key as keyof SymbolStats];
    value.regime = regime;
    value.volatility = volatility;
    this.classifiedStats.set(symbol, { stats, value });
    return value;
  }

  /** The latest indicators of a symbol (for sizing: ATR), undefined before its first candle. */
  latestFeatures(symbol: string) {
    return this.features.get(symbol)?.latest;
  }
}
