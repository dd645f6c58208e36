import { BollingerBands } from 'trading-signals';
import type { Candle } from '../market/candle.js';
import { NOTHING_HELD, PerSymbolStrategy, type Holding } from './per-symbol-strategy.js';
import type { Signal } from './signal.js';
import { clampConfidence, ramp, type MeanReversionStrategyDoc } from './strategy-docs.js';

interface SymbolState extends Holding {
  readonly bands: BollingerBands;
  /** Where the previous close was: -1 below the lower band, +1 above the upper one, 0 inside. */
  outside: number;
}

/**
 * Bollinger-band mean reversion (rules/strategies/*.yaml, kind MeanReversionStrategy): long when the close
 * first falls below the lower band, short when it first rises above the upper one, exit once the close
 * is back within `exit_deviations` of the mean. Deterministic: the same candles give the same signals.
 */
export class MeanReversionStrategy extends PerSymbolStrategy<SymbolState> {
  constructor(private readonly params: MeanReversionStrategyDoc) {
    super();
  }

  get name(): string {
    return this.params.name;
  }

  protected fresh(): SymbolState {
    return { ...NOTHING_HELD, bands: new BollingerBands(this.params.bands.bars, this.params.bands.deviations), outside: 0 };
  }

  protected onBar(candle: Candle, s: SymbolState, time: number): Signal | undefined {
    const p = this.params;
    const bands = s.bands.update(candle.close, false);
    if (bands === null) return undefined;
    const deviation = (bands.upper - bands.middle) / p.bands.deviations;
    // A flat series has no deviation: nothing is stretched.
    const z = deviation > 0 ? (candle.close - bands.middle) / deviation : 0;
    const outside = z <= -p.bands.deviations ? -1 : z >= p.bands.deviations ? 1 : 0;
    const entered = outside !== 0 && outside !== s.outside;
    s.outside = outside;

    if (entered && this.cooledDown(s, p.cooldown_bars)) {
      const stretch = ramp(Math.abs(z), p.bands.deviations, p.confidence.stretch.to_deviations);
      return this.entry(s, candle, time, outside < 0 ? 'long' : 'short', clampConfidence(p.confidence.base + p.confidence.stretch.weight * stretch, p.confidence.min, p.confidence.max));
    }
    const reverted = (s.holding === 'long' && z >= -p.exit_deviations) || (s.holding === 'short' && z <= p.exit_deviations);
    if (reverted) return this.exit(s, candle, time);
    return undefined;
  }
}
