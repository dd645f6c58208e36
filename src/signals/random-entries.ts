import type { Candle } from '../market/candle.js';
import { createRng } from '../market/candles/rng.js';
import type { Signal } from './signal.js';
import type { SignalSource } from './signal-source.js';
import type { RandomEntriesDoc } from './strategy-docs.js';

/**
 * Signals without an edge (rules/strategies/*.yaml, kind RandomEntries): the model strategy runs over all the
 * candles first; then, per symbol, its signals are moved to closes drawn at random (without repeats) from
 * the symbol's first model signal to its last close, and keep their order, sides and confidences. So the
 * frequency, the side mix, the long/short/exit sequence and the confidence distribution are the model's;
 * only the timing, where any edge would be, is random. Needs the whole data up front (backtests, studies).
 */
export function randomEntries(params: RandomEntriesDoc, model: SignalSource, candles: readonly Candle[], seed = params.seed): ScheduledSignals {
  const bySymbol = new Map<string, Signal[]>();
  const closes = new Map<string, number[]>();
  const listOf = <T>(map: Map<string, T[]>, key: string): T[] => map.get(key) ?? (map.set(key, []), map.get(key)!);
  // Candles come in close-time order: each run of equal close times is one instant, as the replay sees it.
  for (let i = 0; i < candles.length; ) {
    const time = candles[i]!.closeTime;
    let j = i;
    while (j < candles.length && candles[j]!.closeTime === time) j++;
    const batch = candles.slice(i, j);
    for (const c of batch) listOf(closes, c.symbol).push(time);
    for (const s of model.signalsAt(time, batch)) listOf(bySymbol, s.symbol).push(s);
    i = j;
  }
  const schedule: Signal[] = [];
  for (const symbol of [...bySymbol.keys()].sort()) {
    const signals = bySymbol.get(symbol)!;
    const eligible = closes.get(symbol)!.filter((t) => t >= signals[0]!.timestamp);
    const times = drawDistinct(eligible, signals.length, `${seed}/${params.name}/${symbol}`).sort((a, b) => a - b);
    signals.forEach((s, i) => schedule.push({ symbol, side: s.side, confidence: s.confidence, timestamp: times[i]!, strategy: params.name }));
  }
  return new ScheduledSignals(`${params.name}(${model.name})`, schedule);
}

/** `count` of the values, drawn without repeats by a partial Fisher-Yates shuffle. */
function drawDistinct(values: readonly number[], count: number, seed: string): number[] {
  const rng = createRng(seed);
  const pool = [...values];
  // The model signals at most once per close, so there are always enough closes.
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = rng.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

/** Signals known in advance, released at their timestamps; `fresh()` starts again from the beginning. */
export class ScheduledSignals implements SignalSource {
  private readonly byTime: ReadonlyMap<number, readonly Signal[]>;

  constructor(
    readonly name: string,
    readonly signals: readonly Signal[],
  ) {
    const byTime = new Map<number, Signal[]>();
    for (const s of signals) byTime.set(s.timestamp, [...(byTime.get(s.timestamp) ?? []), s]);
    this.byTime = byTime;
  }

  /** The signals due at this close for the symbols whose candles closed then. */
  signalsAt(time: number, candles: readonly Candle[]): readonly Signal[] {
    return (this.byTime.get(time) ?? []).filter((s) => candles.some((c) => c.symbol === s.symbol));
  }
}
