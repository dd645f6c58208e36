import type { Candle } from '../candle.js';
import { checkCandle } from './candle-checks.js';
import { pearson } from './pearson.js';
import { RingBuffer } from './ring-buffer.js';
import { resolveFeatureSettings, type FeatureSettings } from './settings.js';

/**
 * One-bar log returns and the intervals they span, (from, to] in closeTime epoch ms, as three parallel
 * windows of numbers: an object per return, held for a whole window, was young garbage promoted to the
 * old generation at every bar of every symbol (it showed in backtest profiles).
 */
class SpanReturns {
  readonly from: RingBuffer<number>;
  readonly to: RingBuffer<number>;
  readonly value: RingBuffer<number>;

  constructor(window: number) {
    this.from = new RingBuffer(window);
    this.to = new RingBuffer(window);
    this.value = new RingBuffer(window);
  }

  get size(): number {
    return this.value.size;
  }

  push(from: number, to: number, value: number): void {
    this.from.push(from);
    this.to.push(to);
    this.value.push(value);
  }
}

interface SymbolReturns {
  lastClose: number;
  lastTime: number;
  readonly returns: SpanReturns;
}

/**
 * Rolling Pearson correlation of one-bar log returns between every pair of symbols, for limits such as
 * the risk profile's max_correlated_positions.
 *
 * Each symbol keeps only its last correlation_window returns (memory O(symbols x window)); pairs are
 * aligned when a correlation is asked for. Two returns align only if they span the same interval: same
 * closeTime and same previous closeTime. So a bar missing from one symbol drops the pair's return around
 * the gap (a two-bar move is not compared with a one-bar move), and symbols on different timeframes or
 * clocks never align at all. No timeframe has to be known, and symbols may arrive in any order relative
 * to each other; each symbol's own bars must be in time order.
 */
export class CorrelationTracker {
  readonly window: number;
  /** Aligned returns needed before a correlation is reported: half the window, at least 2. */
  readonly minAlignedBars: number;
  readonly #symbols = new Map<string, SymbolReturns>();

  constructor(settings: Partial<FeatureSettings> = {}) {
    this.window = resolveFeatureSettings(settings).correlation_window;
    this.minAlignedBars = Math.max(2, Math.ceil(this.window / 2));
  }

  update(candle: Candle): void {
    const state = this.#symbols.get(candle.symbol);
    checkCandle(candle, state?.lastTime);
    if (state === undefined) {
      this.#symbols.set(candle.symbol, {
        lastClose: candle.close,
        lastTime: candle.closeTime,
        returns: new SpanReturns(this.window),
      });
      return;
    }
    const value = Math.log(candle.close / state.lastClose);
    if (Number.isFinite(value)) state.returns.push(state.lastTime, candle.closeTime, value);
    state.lastClose = candle.close;
    state.lastTime = candle.closeTime;
  }

  /** Symbols seen so far, sorted. */
  symbols(): string[] {
    return [...this.#symbols.keys()].sort();
  }

  /** Returns held for a symbol (at most `window`); 0 for an unknown symbol. */
  retainedReturns(symbol: string): number {
    return this.#symbols.get(symbol)?.returns.size ?? 0;
  }

  /**
   * Correlation over the aligned returns among both symbols' last `window` returns; null for an unknown
   * symbol, fewer than minAlignedBars aligned returns, or a series without variance. correlation(a, a)
   * is 1 once a has enough varying returns.
   */
  correlation(a: string, b: string): number | null {
    const left = this.#symbols.get(a)?.returns;
    const right = this.#symbols.get(b)?.returns;
    if (left === undefined || right === undefined) return null;
    const xs: number[] = [];
    const ys: number[] = [];
    // Both buffers ascend in time: a merge walk finds the common spans in O(window).
    let i = 0;
    let j = 0;
    while (i < left.size && j < right.size) {
      const xTo = left.to.at(i)!;
      const yTo = right.to.at(j)!;
      if (xTo < yTo) i++;
      else if (xTo > yTo) j++;
      else {
        if (left.from.at(i) === right.from.at(j)) {
          xs.push(left.value.at(i)!);
          ys.push(right.value.at(j)!);
        }
        i++;
        j++;
      }
    }
    return xs.length >= this.minAlignedBars ? pearson(xs, ys) : null;
  }

  /**
   * Other symbols (of `among`, when given) whose correlation with `symbol` is at least `threshold` (signed: a strongly negative
   * correlation does not count), most correlated first. Whether a negatively correlated pair adds or
   * offsets risk depends on the positions' sides, which is the caller's business (see matrix()).
   */
  correlatedWith(symbol: string, threshold: number, among?: Iterable<string>): string[] {
    if (!Number.isFinite(threshold)) throw new RangeError(`correlation threshold must be finite, got ${threshold}`);
    const found: { symbol: string; r: number }[] = [];
    // `among`: only these candidates are compared (e.g. the symbols with an open position), not every symbol.
    const candidates = among === undefined ? this.symbols() : [...new Set(among)].filter((s) => this.#symbols.has(s));
    for (const other of candidates) {
      if (other === symbol) continue;
      const r = this.correlation(symbol, other);
      if (r !== null && r >= threshold) found.push({ symbol: other, r });
    }
    return found.sort((p, q) => q.r - p.r || (p.symbol < q.symbol ? -1 : 1)).map((p) => p.symbol);
  }

  /** Every pair (both orders, and the diagonal), keys sorted; each pair is computed once. */
  matrix(): Record<string, Record<string, number | null>> {
    const symbols = this.symbols();
    const result: Record<string, Record<string, number | null>> = {};
    for (const s of symbols) result[s] = {};
    symbols.forEach((a, i) => {
      for (const b of symbols.slice(i)) {
        const r = this.correlation(a, b);
        (result[a] as Record<string, number | null>)[b] = r;
        (result[b] as Record<string, number | null>)[a] = r;
      }
    });
    return result;
  }
}
