import { EMA } from 'trading-signals';
import type { Candle } from '../candle.js';
import { checkCandle } from './candle-checks.js';
import { ChoppinessIndex } from './choppiness.js';
import { DirectionalMovementIndex } from './directional-movement.js';
import { AverageTrueRange } from './wilder-smoothing.js';
import type { MarketFeatures } from './market-features.js';
import { percentileRankInWindow } from './percentile-rank.js';
import { RingBuffer } from './ring-buffer.js';
import { SortedWindow } from './sorted-window.js';
import { resolveFeatureSettings, type FeatureSettings } from './settings.js';

/**
 * A percentile over a handful of values says little, so atr_pct_percentile waits for this many ATR%
 * values (or the whole lookback, if that is shorter) and then ranks over whatever history exists.
 */
export const MIN_PERCENTILE_SAMPLES = 20;

/**
 * Fields a caller may go without: their indicators are then not computed and the fields stay null (so
 * `ready` stays false). The reference strategy reads neither, and computing them for it showed in
 * backtest profiles.
 */
export type OmittableFeature = 'choppiness' | 'realized_vol' | 'atr_pct_percentile';

/** Sizes of the rolling windows, for checking that memory stays bounded. */
export interface FeatureBufferSizes {
  readonly returns: number;
  readonly atr_pct: number;
  readonly ema_slow: number;
}

/**
 * Streaming features of ONE symbol: feed its closed candles in time order, get its MarketFeatures at
 * each close. Memory is fixed by the settings; each update costs O(realized_vol_window) arithmetic plus
 * a binary search and a memmove of the ATR% window (atr_percentile_lookback), for its rank and median.
 */
export class SymbolFeatures {
  readonly symbol: string;
  readonly settings: FeatureSettings;
  readonly #atr: AverageTrueRange;
  readonly #dmi: DirectionalMovementIndex;
  readonly #emaFast: EMA;
  readonly #emaSlow: EMA;
  readonly #chop: ChoppinessIndex | undefined;
  // The slow EMA now and ema_slope_bars bars ago are this buffer's newest and oldest entries.
  readonly #emaSlowHistory: RingBuffer<number>;
  readonly #returns: RingBuffer<number>;
  readonly #atrPctHistory: SortedWindow;
  readonly #minPercentileSamples: number;
  readonly #percentile: boolean;
  readonly #realizedVol: boolean;
  #bars = 0;
  #previous: Candle | undefined;
  #latest: MarketFeatures | undefined;

  constructor(symbol: string, settings: Partial<FeatureSettings> = {}, omit: readonly OmittableFeature[] = []) {
    this.symbol = symbol;
    this.settings = resolveFeatureSettings(settings);
    const s = this.settings;
    this.#atr = new AverageTrueRange(s.atr_period);
    this.#dmi = new DirectionalMovementIndex(s.adx_period);
    this.#emaFast = new EMA(s.ema_fast);
    this.#emaSlow = new EMA(s.ema_slow);
    this.#chop = omit.includes('choppiness') ? undefined : new ChoppinessIndex(s.chop_period);
    this.#percentile = !omit.includes('atr_pct_percentile');
    this.#realizedVol = !omit.includes('realized_vol');
    this.#emaSlowHistory = new RingBuffer(s.ema_slope_bars + 1);
    this.#returns = new RingBuffer(s.realized_vol_window);
    this.#atrPctHistory = new SortedWindow(s.atr_percentile_lookback);
    this.#minPercentileSamples = Math.min(MIN_PERCENTILE_SAMPLES, s.atr_percentile_lookback);
  }

  /** The features at the last candle, undefined before the first. */
  get latest(): MarketFeatures | undefined {
    return this.#latest;
  }

  update(candle: Candle): MarketFeatures {
    if (candle.symbol !== this.symbol) {
      throw new RangeError(`SymbolFeatures for ${this.symbol} was given a ${candle.symbol} candle`);
    }
    checkCandle(candle, this.#previous?.closeTime);
    const previous = this.#previous;
    this.#previous = candle;
    this.#bars++;

    const atr = finite(this.#atr.update(candle));
    const atrPct = atr === null ? null : finite(atr / candle.close);
    let atrPctPercentile: number | null = null;
    let atrPctRatio: number | null = null;
    if (atrPct !== null) {
      this.#atrPctHistory.push(atrPct);
      if (this.#atrPctHistory.size >= this.#minPercentileSamples) {
        if (this.#percentile) atrPctPercentile = percentileRankInWindow(this.#atrPctHistory, atrPct);
        atrPctRatio = finite(ratioToTypical(atrPct, this.#atrPctHistory));
      }
    }

    const { adx, plusDi, minusDi } = this.#dmi.update(candle);

    this.#emaFast.update(candle.close, false);
    this.#emaSlow.update(candle.close, false);
    // trading-signals' EMA returns a value from the first price on; it means something only once stable.
    const emaFast = this.#emaFast.isStable ? finite(this.#emaFast.getResult()) : null;
    const emaSlow = this.#emaSlow.isStable ? finite(this.#emaSlow.getResult()) : null;
    let emaSlopePct: number | null = null;
    if (emaSlow !== null) {
      this.#emaSlowHistory.push(emaSlow);
      const then = this.#emaSlowHistory.at(0);
      if (this.#emaSlowHistory.full && then !== undefined) {
        emaSlopePct = finite((emaSlow / then - 1) / this.settings.ema_slope_bars);
      }
    }

    const choppiness = this.#chop === undefined ? null : finite(this.#chop.update(candle));

    let return1: number | null = null;
    let realizedVol: number | null = null;
    if (previous !== undefined) {
      return1 = finite(Math.log(candle.close / previous.close));
      if (return1 !== null && this.#realizedVol) this.#returns.push(return1);
      if (this.#returns.full) realizedVol = finite(standardDeviation(this.#returns));
    }

    // One literal in the field order of MarketFeatures (no intermediate object spread into it, no closure
    // for `ready`): this runs per symbol per candle, twice with the reference strategy.
    const latest = {
      symbol: this.symbol,
      time: candle.closeTime,
      close: candle.close,
      ready: false,
      bars: this.#bars,
      atr,
      atr_pct: atrPct,
      atr_pct_percentile: atrPctPercentile,
      atr_pct_ratio: atrPctRatio,
      adx: finite(adx),
      plus_di: finite(plusDi),
      minus_di: finite(minusDi),
      ema_fast: emaFast,
      ema_slow: emaSlow,
      ema_slope_pct: emaSlopePct,
      choppiness: choppiness === null ? null : Math.min(100, Math.max(0, choppiness)),
      realized_vol: realizedVol,
      return_1: return1,
    };
    // Every field of INDICATOR_FIELDS, compared one by one: a loop of keyed reads showed in profiles.
    latest.ready =
      latest.atr !== null && latest.atr_pct !== null && latest.atr_pct_percentile !== null && latest.atr_pct_ratio !== null &&
      latest.adx !== null && latest.plus_di !== null && latest.minus_di !== null && latest.ema_fast !== null && latest.ema_slow !== null &&
      latest.ema_slope_pct !== null && latest.choppiness !== null && latest.realized_vol !== null && latest.return_1 !== null;
    this.#latest = latest;
    return this.#latest;
  }

  bufferSizes(): FeatureBufferSizes {
    return { returns: this.#returns.size, atr_pct: this.#atrPctHistory.size, ema_slow: this.#emaSlowHistory.size };
  }
}

/**
 * value / median(history). The median ignores the spikes being measured; when more than half the history
 * is a dead market (zero), the mean stands in, and a market dead throughout is at its usual level (1).
 */
function ratioToTypical(value: number, history: SortedWindow): number {
  const median = history.median();
  if (median > 0) return value / median;
  // Summed in ascending order, as the mean always was (over the sorted history).
  const mean = history.sorted().reduce((sum, x) => sum + x, 0) / history.size;
  return mean > 0 ? value / mean : 1;
}

/**
 * The population standard deviation as trading-signals' getStandardDeviation computes it (mean, then the
 * mean of squared differences, summed oldest first), without copying the window into arrays every bar.
 */
function standardDeviation(window: RingBuffer<number>): number {
  let sum = 0;
  for (let i = 0; i < window.size; i++) sum += window.at(i)!;
  const mean = sum / window.size;
  let squares = 0;
  for (let i = 0; i < window.size; i++) {
    const difference = window.at(i)! - mean;
    squares += difference * difference;
  }
  return Math.sqrt(squares / window.size);
}

// Inputs are validated, so a non-finite value can only come from overflow at absurd prices; reporting it
// as "not available" keeps the promise that every number downstream is finite.
function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
