import { ATR, DonchianChannels } from 'trading-signals';
import type { Candle } from '../market/candle.js';
import type { Signal } from './signal.js';
import type { SignalSource } from './signal-source.js';
import { clampConfidence, ramp, type BreakoutStrategyDoc } from './strategy-docs.js';

interface SymbolState {
  readonly entry: DonchianChannels;
  readonly exit: DonchianChannels | undefined;
  readonly atr: ATR;
  /** Channels and ATR of the bars before the current one (a breakout is judged against the past only). */
  entryChannel: { upper: number; lower: number } | null;
  exitChannel: { upper: number; lower: number } | null;
  atrBefore: number | null;
  /** Where the previous close was against its channel: +1 above, -1 below, 0 inside (a breakout is the first close outside). */
  outside: number;
  bars: number;
  lastEntryBar: number;
  holding: 'long' | 'short' | undefined;
}

/**
 * Donchian breakout (rules/strategies/*.yaml, kind BreakoutStrategy): long when a close first gets above the
 * highest high of the previous `channel_bars` bars, short when it first gets below their lowest low, exit when the close breaks the
 * `exit_bars` channel against the position. Deterministic: the same candles give the same signals.
 */
export class BreakoutStrategy implements SignalSource {
  private readonly symbols = new Map<string, SymbolState>();

  constructor(private readonly params: BreakoutStrategyDoc) {}

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
      s = { entry: new DonchianChannels(p.channel_bars), exit: p.exit_bars > 0 ? new DonchianChannels(p.exit_bars) : undefined, atr: new ATR(p.atr_period), entryChannel: null, exitChannel: null, atrBefore: null, outside: 0, bars: 0, lastEntryBar: Number.NEGATIVE_INFINITY, holding: undefined };
      this.symbols.set(candle.symbol, s);
    }
    const { entryChannel, exitChannel, atrBefore } = s;
    s.entryChannel = s.entry.update({ high: candle.high, low: candle.low }, false);
    s.exitChannel = s.exit?.update({ high: candle.high, low: candle.low }, false) ?? null;
    s.atrBefore = s.atr.update({ high: candle.high, low: candle.low, close: candle.close }, false);
    s.bars++;
    const base = { symbol: candle.symbol, timestamp: time, strategy: p.name };

    const outside = entryChannel === null ? 0 : candle.close > entryChannel.upper ? 1 : candle.close < entryChannel.lower ? -1 : 0;
    const broke = outside !== 0 && outside !== s.outside;
    s.outside = outside;
    if (entryChannel !== null && broke && s.bars - s.lastEntryBar > p.cooldown_bars) {
      const direction = outside > 0 ? 'long' : 'short';
      {
        s.holding = direction;
        s.lastEntryBar = s.bars;
        const beyond = direction === 'long' ? candle.close - entryChannel.upper : entryChannel.lower - candle.close;
        const strength = atrBefore === null || !(atrBefore > 0) ? 0 : ramp(beyond / atrBefore, 0, p.confidence.strength.to_atr);
        return { ...base, side: direction, confidence: clampConfidence(p.confidence.base + p.confidence.strength.weight * strength, p.confidence.min, p.confidence.max) };
      }
    }
    if (exitChannel !== null && s.holding !== undefined) {
      const broken = s.holding === 'long' ? candle.close < exitChannel.lower : candle.close > exitChannel.upper;
      if (broken) {
        s.holding = undefined;
        return { ...base, side: 'exit', confidence: 1 };
      }
    }
    return undefined;
  }
}
