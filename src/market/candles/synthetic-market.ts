import type { Observable } from 'rxjs';
import type { Candle, TimeframeMs } from '../candle.js';
import { createRng, hashString, type Rng } from './rng.js';
import { emitCandles, mergeCandles, mergeSorted, type CandleSource, type EmitOptions } from './source.js';
import {
  buildSchedule, DEFAULT_BARS, DEFAULT_PHASES, MIN_DEFAULT_BARS, scalePhases,
  type MarketPhase, type PhaseSpec, type VolatilityLevel,
} from './synthetic-schedule.js';
import { parseTimeframe } from './timeframe.js';
import { parseIsoTime } from './timestamp.js';

export interface SyntheticSymbol {
  readonly symbol: string;
  readonly basePrice: number;
  /** Exposure to the common market factor; above 1 amplifies market moves (alts), below 1 dampens them. */
  readonly beta: number;
  /** Own noise, as a fraction of the market factor's volatility; lower means more correlated. */
  readonly idioVol: number;
  /** Typical volume of a normal-volatility 1h bar, in base units. */
  readonly baseVolume: number;
}

export const DEFAULT_SYNTHETIC_SYMBOLS: readonly SyntheticSymbol[] = [
  { symbol: 'BTCUSDT', basePrice: 42_000, beta: 1.0, idioVol: 0.35, baseVolume: 1_500 },
  { symbol: 'ETHUSDT', basePrice: 2_300, beta: 1.2, idioVol: 0.5, baseVolume: 18_000 },
  { symbol: 'SOLUSDT', basePrice: 95, beta: 1.5, idioVol: 0.7, baseVolume: 250_000 },
  { symbol: 'BNBUSDT', basePrice: 310, beta: 0.8, idioVol: 0.45, baseVolume: 40_000 },
  { symbol: 'XRPUSDT', basePrice: 0.62, beta: 1.1, idioVol: 0.6, baseVolume: 30_000_000 },
];

export interface SyntheticMarketOptions {
  /** Names (unknown ones get parameters derived from the name) or full descriptions. */
  readonly symbols?: readonly (string | SyntheticSymbol)[];
  /** Open time of the first bar: epoch ms or ISO 8601; default 2024-01-01T00:00:00Z. */
  readonly start?: number | string;
  /** Number of bars; default 2520 (105 days of 1h). The default phase story is scaled to fit. */
  readonly bars?: number;
  readonly timeframe?: string | number;
  readonly seed?: number | string;
  /** A custom phase story; its lengths then fix the bar count. */
  readonly phases?: readonly PhaseSpec[];
}

// Per-bar volatility of the market factor at 1h; scaled by sqrt(timeframe / 1h). Adjacent levels are more
// than 2x apart, more than the volatility clustering can bridge (see H_MIN/H_MAX), so levels stay distinct.
const LEVEL_SIGMA: Readonly<Record<VolatilityLevel, number>> = { low: 0.0015, normal: 0.004, high: 0.009, extreme: 0.02 };
const LEVEL_VOLUME: Readonly<Record<VolatilityLevel, number>> = { low: 0.6, normal: 1, high: 1.8, extreme: 3.5 };
// GARCH(1,1) on the market shock, unconditional variance 1, clamped so clustering never crosses a level.
const GARCH_A = 0.08;
const GARCH_B = 0.9;
const H_MIN = 0.7;
const H_MAX = 1.45;
const TREND_DRIFT = 0.25; // sigmas per bar: a net move of 0.25·n sigmas against noise of about sqrt(n)
const HOUR = 3_600_000;

/**
 * A seeded, deterministic multi-symbol market following a known phase schedule: the built-in data set
 * for demos and tests. Prices come from one market factor (trend, range, whipsaw or crash dynamics, with
 * clustered volatility), scaled by each symbol's beta, plus the symbol's own noise. Each symbol draws
 * from its own stream derived from (seed, symbol), so adding a symbol does not change the others.
 */
export class SyntheticMarket implements CandleSource {
  readonly symbols: readonly string[];
  readonly timeframe: TimeframeMs;
  readonly start: number;
  readonly bars: number;
  readonly seed: number | string;
  readonly schedule: readonly MarketPhase[];
  private readonly params: readonly SyntheticSymbol[];
  private generated: { bySymbol: Map<string, Candle[]>; ordered: Candle[] } | undefined;

  constructor(options: SyntheticMarketOptions = {}) {
    this.timeframe = parseTimeframe(options.timeframe ?? '1h');
    this.start = parseStart(options.start ?? '2024-01-01T00:00:00Z');
    this.seed = options.seed ?? 1;
    this.params = (options.symbols ?? DEFAULT_SYNTHETIC_SYMBOLS).map(symbolParams);
    this.symbols = this.params.map((p) => p.symbol);
    if (new Set(this.symbols).size !== this.symbols.length) throw new RangeError('synthetic market symbols must be unique');
    const specs = options.phases ?? defaultPhases(options.bars ?? DEFAULT_BARS);
    this.schedule = buildSchedule(specs, this.start, this.timeframe);
    this.bars = this.schedule.at(-1)?.toBar ?? 0;
    if (options.bars !== undefined && options.bars !== this.bars) {
      throw new RangeError(`bars ${options.bars} disagrees with the phases (${this.bars} bars)`);
    }
  }

  /** The phase a bar belongs to, by bar index. */
  phaseOfBar(bar: number): MarketPhase | undefined {
    return this.schedule.find((p) => bar >= p.fromBar && bar < p.toBar);
  }

  /** The phase of the bar open at `time` (epoch ms). */
  phaseAt(time: number): MarketPhase | undefined {
    return this.phaseOfBar(Math.floor((time - this.start) / this.timeframe));
  }

  /** All bars of one symbol, ascending. */
  series(symbol: string): readonly Candle[] {
    const series = this.generate().bySymbol.get(symbol);
    if (series === undefined) throw new RangeError(`unknown synthetic symbol ${symbol}`);
    return series;
  }

  /** All bars of all symbols in stream order (closeTime, then symbol). */
  toArray(): readonly Candle[] {
    return this.generate().ordered;
  }

  candles(options?: EmitOptions): Observable<Candle> {
    return emitCandles(this.toArray(), options);
  }

  /**
   * The same candles in the same order, generated as they are read and never held: each iteration
   * starts again from the first bar. For runs too long to keep in memory (a year of 1m bars).
   */
  stream(): Iterable<Candle> {
    return { [Symbol.iterator]: () => this.streamed() };
  }

  private *streamed(): Generator<Candle> {
    const factor = this.factor();
    yield* mergeSorted(this.params.map((p) => symbolBars(p, factor, this)));
  }

  // Generated on first use and kept: the market is immutable, and 12k candles are cheap to hold.
  private generate(): { bySymbol: Map<string, Candle[]>; ordered: Candle[] } {
    if (this.generated === undefined) {
      const factor = this.factor();
      const bySymbol = new Map(this.params.map((p): [string, Candle[]] => [p.symbol, [...symbolBars(p, factor, this)]]));
      this.generated = { bySymbol, ordered: mergeCandles([...bySymbol.values()]) };
    }
    return this.generated;
  }

  private factor(): FactorBar[] {
    return marketFactor(this.schedule, createRng(`${String(this.seed)}/market`), Math.sqrt(this.timeframe / HOUR));
  }
}

/** The common driver: one return per bar, plus what the per-symbol step needs to know about that bar. */
interface FactorBar {
  readonly ret: number;
  readonly sigma: number;
  readonly vol: VolatilityLevel;
  readonly crash: boolean;
}

function marketFactor(schedule: readonly MarketPhase[], rng: Rng, timeScale: number): FactorBar[] {
  const bars: FactorBar[] = [];
  const garch = { h: 1 };
  for (const phase of schedule) {
    const shocks = drawShocks(phase.toBar - phase.fromBar, LEVEL_SIGMA[phase.vol] * timeScale, rng, garch);
    phaseReturns(phase, shocks, rng, timeScale).forEach((ret, i) => {
      bars.push({ ret, sigma: shocks[i]!.sigma, vol: phase.vol, crash: phase.crash });
    });
  }
  return bars;
}

type Shock = { readonly z: number; readonly sigma: number };

function phaseReturns(phase: MarketPhase, shocks: readonly Shock[], rng: Rng, timeScale: number): number[] {
  if (phase.crash) {
    const size = Math.max(0.03, Math.min(0.12, 2.5 * LEVEL_SIGMA.extreme * timeScale));
    return shocks.map(() => -size * (0.7 + 0.6 * rng.next()));
  }
  if (phase.regime === 'uptrend' || phase.regime === 'downtrend') {
    // A bridge: the noise's own net move is taken out, so every trend phase, however short, moves by
    // exactly TREND_DRIFT sigmas per bar in its direction while wandering in between.
    const noiseNet = shocks.reduce((sum, s) => sum + s.sigma * s.z, 0);
    const drift = (phase.regime === 'uptrend' ? 1 : -1) * TREND_DRIFT * LEVEL_SIGMA[phase.vol] * timeScale - noiseNet / shocks.length;
    return shocks.map(({ sigma, z }) => drift + sigma * z);
  }
  // Range: noise pulled back to where the phase started. Whipsaw: runs of 1-4 bars in one direction,
  // then a reversal, pulled back harder so the swings go nowhere.
  let direction = rng.next() < 0.5 ? 1 : -1;
  let swingLeft = rng.int(1, 4);
  let offset = 0; // distance from the phase's starting level
  return shocks.map(({ sigma, z }) => {
    let ret: number;
    if (phase.regime === 'range') {
      ret = -0.08 * offset + sigma * z;
    } else {
      if (swingLeft === 0) {
        direction = -direction;
        swingLeft = rng.int(1, 4);
      }
      swingLeft--;
      ret = direction * 0.9 * sigma + 0.45 * sigma * z - 0.12 * offset;
    }
    offset += ret;
    return ret;
  });
}

/**
 * Unit shocks and the clustered volatility they drive: GARCH(1,1), clamped so no level is crossed. The
 * shocks of a phase are scaled to unit mean square, so even a ten-bar phase shows its level's volatility
 * rather than a lucky or unlucky sample of it.
 */
function drawShocks(count: number, levelSigma: number, rng: Rng, garch: { h: number }): Shock[] {
  const zs = standardised(Array.from({ length: count }, () => rng.normal()));
  return zs.map((z) => {
    const sigma = levelSigma * Math.sqrt(garch.h);
    garch.h = Math.min(H_MAX, Math.max(H_MIN, 1 - GARCH_A - GARCH_B + GARCH_A * z * z * garch.h + GARCH_B * garch.h));
    return { z, sigma };
  });
}

function standardised(values: readonly number[]): number[] {
  const meanSquare = values.reduce((sum, v) => sum + v * v, 0) / values.length;
  return meanSquare > 0 ? values.map((v) => v / Math.sqrt(meanSquare)) : [...values];
}

function* symbolBars(p: SyntheticSymbol, factor: readonly FactorBar[], market: SyntheticMarket): Generator<Candle> {
  const rng = createRng(`${String(market.seed)}/${p.symbol}`);
  const decimals = priceDecimals(p.basePrice);
  const round = (x: number): number => Number(x.toFixed(decimals));
  // Keeps prices far above the tick so rounding can never produce a zero or a collapsed bar.
  const floor = Number(`1e${3 - decimals}`); // a literal, because ** is not exactly specified
  const scale = Math.sqrt(p.beta * p.beta + p.idioVol * p.idioVol);
  const volumeScale = market.timeframe / HOUR;
  let close = round(p.basePrice);
  for (const phase of market.schedule) {
    // Own noise is bridged per phase (its net move over the phase is zero), so every symbol shows its
    // phase's regime however short the phase, and symbols do not drift apart over months.
    const zs = standardised(factor.slice(phase.fromBar, phase.toBar).map(() => rng.normal()));
    // In a crash everything falls together; own noise must not turn a panic bar into a calm one.
    const idioVol = phase.crash ? 0.2 * p.idioVol : p.idioVol;
    const own = zs.map((z, k) => idioVol * factor[phase.fromBar + k]!.sigma * z);
    const ownNet = own.reduce((sum, x) => sum + x, 0) / own.length;
    for (let i = phase.fromBar; i < phase.toBar; i++) {
      const bar = factor[i]!;
      const ret = Math.max(-0.5, p.beta * bar.ret + own[i - phase.fromBar]! - ownNet);
      const open = close;
      close = round(Math.max(floor, open * (1 + ret)));
      const sigma = bar.sigma * scale;
      let up = 0.5 * sigma * Math.abs(rng.normal());
      let down = 0.5 * sigma * Math.abs(rng.normal());
      if (bar.crash) {
        // Panic bars: long lower wicks (liquidation cascades) and some upper wick from dip buyers.
        down += Math.abs(ret) * (0.3 + 0.7 * rng.next());
        up += Math.abs(ret) * 0.2 * rng.next();
      }
      const high = round(Math.max(open, close) * (1 + up));
      const low = round(Math.max(floor / 2, Math.min(open, close) * (1 - Math.min(0.9, down))));
      const activity = 1 + (2 * Math.abs(ret)) / Math.max(sigma, 1e-12);
      const volume = Number((p.baseVolume * volumeScale * LEVEL_VOLUME[bar.vol] * activity * (0.7 + 0.6 * rng.next())).toFixed(3));
      const openTime = market.start + i * market.timeframe;
      yield { symbol: p.symbol, openTime, closeTime: openTime + market.timeframe, open, high, low, close, volume };
    }
  }
}

/** At least six significant digits: 42000 → 2 decimals, 95 → 4, 0.62 → 6. Counted, not log10'd: log10 is inexact. */
function priceDecimals(price: number): number {
  let digits = 0;
  for (let x = 1; x * 10 <= price; x *= 10) digits++;
  for (let x = 1; x > price && digits > -8; x /= 10) digits--;
  return Math.min(10, Math.max(2, 5 - digits));
}

function symbolParams(entry: string | SyntheticSymbol): SyntheticSymbol {
  if (typeof entry !== 'string') return entry;
  const known = DEFAULT_SYNTHETIC_SYMBOLS.find((s) => s.symbol === entry);
  if (known !== undefined) return known;
  // Unknown names still get stable, distinct parameters, derived from the name alone.
  const h = hashString(entry);
  return {
    symbol: entry,
    basePrice: 10 + (h % 990),
    beta: 0.8 + ((h >>> 10) % 8) / 10,
    idioVol: 0.4 + ((h >>> 16) % 4) / 10,
    baseVolume: 100_000,
  };
}

function defaultPhases(bars: number): readonly PhaseSpec[] {
  if (!Number.isInteger(bars) || bars < MIN_DEFAULT_BARS) {
    throw new RangeError(
      `the default phase story needs at least ${MIN_DEFAULT_BARS} bars (got ${bars}); pass phases for shorter markets`,
    );
  }
  return bars === DEFAULT_BARS ? DEFAULT_PHASES : scalePhases(DEFAULT_PHASES, bars);
}

function parseStart(start: number | string): number {
  const value = typeof start === 'number' ? start : parseIsoTime(start);
  if (typeof value === 'string' || !Number.isSafeInteger(value)) throw new RangeError(`invalid start ${String(start)}`);
  return value;
}
