import type { Candle } from '../market/candle.js';
import type { Signal } from './signal.js';
import type { SignalSource } from './signal-source.js';

/** What every bar-by-bar strategy keeps per symbol besides its indicators. */
export interface Holding {
  /** Bars seen for the symbol, this one included. */
  bars: number;
  /** The bar of the last entry signal (cooldowns count from it). */
  lastEntryBar: number;
  /** Direction of the last entry signal still in force (an exit signal clears it). */
  holding: 'long' | 'short' | undefined;
}

export const NOTHING_HELD: Holding = { bars: 0, lastEntryBar: Number.NEGATIVE_INFINITY, holding: undefined };

/**
 * A strategy that reads each symbol's candles one by one with state of its own per symbol, and signals an
 * entry at most once per `cooldown` bars and an exit of what it last entered. Deterministic: the same
 * candles give the same signals.
 */
export abstract class PerSymbolStrategy<S extends Holding> implements SignalSource {
  private readonly symbols = new Map<string, S>();

  abstract get name(): string;

  signalsAt(time: number, candles: readonly Candle[]): Signal[] {
    const signals: Signal[] = [];
    for (const candle of candles) {
      let state = this.symbols.get(candle.symbol);
      if (state === undefined) {
        state = this.fresh(candle);
        this.symbols.set(candle.symbol, state);
      }
      state.bars++;
      const signal = this.onBar(candle, state, time);
      if (signal !== undefined) signals.push(signal);
    }
    return signals;
  }

  /** The state of a symbol whose first candle this is. */
  protected abstract fresh(candle: Candle): S;

  /** The signal this bar gives, if any (`state.bars` already counts it). */
  protected abstract onBar(candle: Candle, state: S, time: number): Signal | undefined;

  /** True when the last entry is more than `cooldownBars` bars ago. */
  protected cooledDown(state: S, cooldownBars: number): boolean {
    return state.bars - state.lastEntryBar > cooldownBars;
  }

  protected entry(state: S, candle: Candle, time: number, side: 'long' | 'short', confidence: number): Signal {
    state.holding = side;
    state.lastEntryBar = state.bars;
    return { symbol: candle.symbol, timestamp: time, strategy: this.name, side, confidence };
  }

  protected exit(state: S, candle: Candle, time: number): Signal {
    state.holding = undefined;
    return { symbol: candle.symbol, timestamp: time, strategy: this.name, side: 'exit', confidence: 1 };
  }
}
