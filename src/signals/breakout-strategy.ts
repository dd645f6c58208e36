import { ATR, DonchianChannels } from 'trading-signals';
import type { Candle } from '../market/candle.js';
import { NOTHING_HELD, PerSymbolStrategy, type Holding } from './per-symbol-strategy.js';
import type { Signal } from './signal.js';
import { clampConfidence, ramp, type BreakoutStrategyDoc } from './strategy-docs.js';

interface SymbolState extends Holding {
  readonly entry: DonchianChannels;
  readonly exit: DonchianChannels | undefined;
  readonly atr: ATR;
  /** Channels and ATR of the bars before the current one (a breakout is judged against the past only). */
  entryChannel: { upper: number; lower: number } | null;
  exitChannel: { upper: number; lower: number } | null;
  atrBefore: number | null;
  /** Where the previous close was against its channel: +1 above, -1 below, 0 inside (a breakout is the first close outside). */
  outside: number;
}

/**
 * Donchian breakout (rules/strategies/*.yaml, kind BreakoutStrategy): long when a close first gets above the
 * highest high of the previous `channel_bars` bars, short when it first gets below their lowest low, exit when the close breaks the
 * `exit_bars` channel against the position. Deterministic: the same candles give the same signals.
 */
export class BreakoutStrategy extends PerSymbolStrategy<SymbolState> {
  constructor(private readonly params: BreakoutStrategyDoc) {
    super();
  }

  get name(): string {
    return this.params.name;
  }

  protected fresh(): SymbolState {
    const p = this.params;
    return { ...NOTHING_HELD, entry: new DonchianChannels(p.channel_bars), exit: p.exit_bars > 0 ? new DonchianChannels(p.exit_bars) : undefined, atr: new ATR(p.atr_period), entryChannel: null, exitChannel: null, atrBefore: null, outside: 0 };
  }

  protected onBar(candle: Candle, s: SymbolState, time: number): Signal | undefined {
    const p = this.params;
    const { entryChannel, exitChannel, atrBefore } = s;
    s.entryChannel = s.entry.update({ high: candle.high, low: candle.low }, false);
    s.exitChannel = s.exit?.update({ high: candle.high, low: candle.low }, false) ?? null;
    s.atrBefore = s.atr.update({ high: candle.high, low: candle.low, close: candle.close }, false);

    const outside = entryChannel === null ? 0 : candle.close > entryChannel.upper ? 1 : candle.close < entryChannel.lower ? -1 : 0;
    const broke = outside !== 0 && outside !== s.outside;
    s.outside = outside;
    if (entryChannel !== null && broke && this.cooledDown(s, p.cooldown_bars)) {
      const direction = outside > 0 ? 'long' : 'short';
      const beyond = direction === 'long' ? candle.close - entryChannel.upper : entryChannel.lower - candle.close;
      const strength = atrBefore === null || !(atrBefore > 0) ? 0 : ramp(beyond / atrBefore, 0, p.confidence.strength.to_atr);
      return this.entry(s, candle, time, direction, clampConfidence(p.confidence.base + p.confidence.strength.weight * strength, p.confidence.min, p.confidence.max));
    }
    if (exitChannel !== null && s.holding !== undefined) {
      const broken = s.holding === 'long' ? candle.close < exitChannel.lower : candle.close > exitChannel.upper;
      if (broken) return this.exit(s, candle, time);
    }
    return undefined;
  }
}
