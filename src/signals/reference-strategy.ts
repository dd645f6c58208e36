import type { Candle } from '../market/candle.js';
import { SymbolFeatures, type OmittableFeature } from '../market/features/index.js';
import type { ReferenceStrategyDoc } from '../policy/rule-set.js';
import { NOTHING_HELD, PerSymbolStrategy, type Holding } from './per-symbol-strategy.js';
import type { Signal } from './signal.js';

interface SymbolState extends Holding {
  readonly features: SymbolFeatures;
  /** Sign of ema_fast − ema_slow at the previous bar (0 before both exist). */
  spread: number;
  /** Close relative to the slow EMA at the previous bar. */
  side: number;
}

/** What onBar does not read, so its SymbolFeatures need not compute it. */
const UNREAD_FEATURES: readonly OmittableFeature[] = ['choppiness', 'realized_vol', 'atr_pct_percentile'];

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
export class ReferenceStrategy extends PerSymbolStrategy<SymbolState> {
  constructor(private readonly params: () => ReferenceStrategyDoc) {
    super();
  }

  get name(): string {
    return this.params().name;
  }

  protected fresh(candle: Candle): SymbolState {
    const { indicators } = this.params();
    const features = new SymbolFeatures(candle.symbol, { ema_fast: indicators.ema_fast, ema_slow: indicators.ema_slow, adx_period: indicators.adx_period }, UNREAD_FEATURES);
    return { ...NOTHING_HELD, features, spread: 0, side: 0 };
  }

  protected onBar(candle: Candle, state: SymbolState, time: number): Signal | undefined {
    const p = this.params();
    const f = state.features.update(candle);
    if (f.ema_fast === null || f.ema_slow === null) return undefined;
    const spread = Math.sign(f.ema_fast - f.ema_slow);
    const side = Math.sign(candle.close - f.ema_slow);
    const crossed = state.spread !== 0 && spread !== 0 && spread !== state.spread;
    const brokeTrend = state.side !== 0 && side !== 0 && side !== state.side;
    state.spread = spread;
    state.side = side;

    if (crossed && this.cooledDown(state, p.cooldown_bars)) {
      const direction = spread > 0 ? 'long' : 'short';
      return this.entry(state, candle, time, direction, confidenceOf(p, direction, f.adx, f.ema_slope_pct, f.atr_pct_ratio));
    }
    const against = (state.holding === 'long' && side < 0) || (state.holding === 'short' && side > 0);
    if (p.exit_on_slow_ema_cross && brokeTrend && against) return this.exit(state, candle, time);
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
