import type { Candle } from '../market/candle.js';
import { SymbolFeatures } from '../market/features/index.js';
import type { ReferenceStrategyDoc } from '../policy/rule-set.js';
import type { Signal } from './signal.js';
import type { SignalSource } from './signal-source.js';

interface SymbolState {
  readonly features: SymbolFeatures;
  /** Sign of ema_fast − ema_slow at the previous bar (0 before both exist). */
  spread: number;
  /** Close relative to the slow EMA at the previous bar. */
  side: number;
  bars: number;
  /** Direction of the last entry signal still in force (exit signals clear it). */
  holding: 'long' | 'short' | undefined;
  lastEntryBar: number;
}

/**
 * The built-in reference strategy (rules/strategy.yaml): a long when the fast EMA crosses above the slow
 * one, a short when it crosses below, an exit when the close crosses the slow EMA against the last entry.
 * The confidence grades how much the market backs a cross (trend strength, slope, volatility), so the
 * policy's confidence threshold filters it the way it would filter a model's signals. Deterministic: the
 * same candles give the same signals.
 *
 * Parameters are read at every bar (hot reload), except the indicator periods, fixed per symbol when its
 * first candle arrives: changing them means recomputing history, which a restart does.
 */
export class ReferenceStrategy implements SignalSource {
  private readonly symbols = new Map<string, SymbolState>();

  constructor(private readonly params: () => ReferenceStrategyDoc) {}

  get name(): string {
    return this.params().name;
  }

  signalsAt(time: number, candles: readonly Candle[]): Signal[] {
    const params = this.params();
    const signals: Signal[] = [];
    for (const candle of candles) {
      const signal = this.onCandle(candle, params, time);
      if (signal !== undefined) signals.push(signal);
    }
    return signals;
  }

  private onCandle(candle: Candle, p: ReferenceStrategyDoc, time: number): Signal | undefined {
    let state = this.symbols.get(candle.symbol);
    if (state === undefined) {
      const features = new SymbolFeatures(candle.symbol, { ema_fast: p.indicators.ema_fast, ema_slow: p.indicators.ema_slow, adx_period: p.indicators.adx_period });
      state = { features, spread: 0, side: 0, bars: 0, holding: undefined, lastEntryBar: Number.NEGATIVE_INFINITY };
      this.symbols.set(candle.symbol, state);
    }
    const f = state.features.update(candle);
    state.bars++;
    if (f.ema_fast === null || f.ema_slow === null) return undefined;
    const spread = Math.sign(f.ema_fast - f.ema_slow);
    const side = Math.sign(candle.close - f.ema_slow);
    const crossed = state.spread !== 0 && spread !== 0 && spread !== state.spread;
    const brokeTrend = state.side !== 0 && side !== 0 && side !== state.side;
    state.spread = spread;
    state.side = side;
    const base = { symbol: candle.symbol, timestamp: time, strategy: p.name };

    if (crossed && state.bars - state.lastEntryBar > p.cooldown_bars) {
      const direction = spread > 0 ? 'long' : 'short';
      state.holding = direction;
      state.lastEntryBar = state.bars;
      return { ...base, side: direction, confidence: confidenceOf(p, direction, f.adx, f.ema_slope_pct, f.atr_pct_ratio) };
    }
    const against = (state.holding === 'long' && side < 0) || (state.holding === 'short' && side > 0);
    if (p.exit_on_slow_ema_cross && brokeTrend && against) {
      state.holding = undefined;
      return { ...base, side: 'exit', confidence: 1 };
    }
    return undefined;
  }
}

/** base + trend strength + slope in the signal's direction − volatility penalty, clamped to [min, max]. */
export function confidenceOf(p: ReferenceStrategyDoc, direction: 'long' | 'short', adx: number | null, slope: number | null, volatilityRatio: number | null): number {
  const c = p.confidence;
  const ramp = (x: number | null, from: number, to: number) => (x === null ? 0 : Math.min(1, Math.max(0, (x - from) / (to - from))));
  const withTrend = slope === null ? null : (direction === 'long' ? 1 : -1) * slope;
  const raw =
    c.base +
    c.trend_strength.weight * ramp(adx, c.trend_strength.from, c.trend_strength.to) +
    c.slope.weight * ramp(withTrend, 0, c.slope.to) -
    c.volatility_penalty.weight * ramp(volatilityRatio, c.volatility_penalty.from, c.volatility_penalty.to);
  return Math.round(Math.min(c.max, Math.max(c.min, raw)) * 1000) / 1000;
}
