import { BollingerBands } from 'trading-signals';
import type { Candle } from '../market/candle.js';
import type { Signal } from './signal.js';
import type { SignalSource } from './signal-source.js';
import { clampConfidence, ramp, type MeanReversionStrategyDoc } from './strategy-docs.js';

interface SymbolState {
  readonly bands: BollingerBands;
  /** Where the previous close was: -1 below the lower band, +1 above the upper one, 0 inside. */
  outside: number;
  bars: number;
  lastEntryBar: number;
  holding: 'long' | 'short' | undefined;
}

/**
 * Bollinger-band mean reversion (rules/strategies/*.yaml, kind MeanReversionStrategy): long when the close
 * first falls below the lower band, short when it first rises above the upper one, exit once the close
 * is back within `exit_deviations` of the mean. Deterministic: the same candles give the same signals.
 */
export class MeanReversionStrategy implements SignalSource {
  private readonly symbols = new Map<string, SymbolState>();

  constructor(private readonly params: MeanReversionStrategyDoc) {}

  get name(): string {
    return this.params.name;
  }

  signalsAt(time: number, candles: readonly Candle[]): Signal[] {
    return candles.flatMap((c) => this.onCandle(c, time) ?? []);
  }

  private onCandle(candle: Candle, time: number): Signal | undefined {
    const p = this.params;
    let s = this.symbols.get(candle.symbol);
    if (s === undefined) {
      s = { bands: new BollingerBands(p.bands.bars, p.bands.deviations), outside: 0, bars: 0, lastEntryBar: Number.NEGATIVE_INFINITY, holding: undefined };
      this.symbols.set(candle.symbol, s);
    }
    s.bars++;
    const bands = s.bands.update(candle.close, false);
    if (bands === null) return undefined;
    const deviation = (bands.upper - bands.middle) / p.bands.deviations;
    // A flat series has no deviation: nothing is stretched.
    const z = deviation > 0 ? (candle.close - bands.middle) / deviation : 0;
    const outside = z <= -p.bands.deviations ? -1 : z >= p.bands.deviations ? 1 : 0;
    const entered = outside !== 0 && outside !== s.outside;
    s.outside = outside;
    const base = { symbol: candle.symbol, timestamp: time, strategy: p.name };

    if (entered && s.bars - s.lastEntryBar > p.cooldown_bars) {
      const direction = outside < 0 ? 'long' : 'short';
      s.holding = direction;
      s.lastEntryBar = s.bars;
      const stretch = ramp(Math.abs(z), p.bands.deviations, p.confidence.stretch.to_deviations);
      return { ...base, side: direction, confidence: clampConfidence(p.confidence.base + p.confidence.stretch.weight * stretch, p.confidence.min, p.confidence.max) };
    }
    const reverted = (s.holding === 'long' && z >= -p.exit_deviations) || (s.holding === 'short' && z <= p.exit_deviations);
    if (reverted) {
      s.holding = undefined;
      return { ...base, side: 'exit', confidence: 1 };
    }
    return undefined;
  }
}
