import type { Candle } from '../candle.js';

/** Market rules a symbol's own data implies: its price tick, and its quantity step when volumes show one. */
export interface DataPrecision {
  readonly tick_size: number;
  readonly step_size?: number;
}

/** More decimals than this are float noise (0.30000000000000004), not a price written by an exchange. */
const MAX_DECIMALS = 12;

/**
 * The finest increments the data was written with, per symbol: the tick is 10^-d for the most decimals
 * any open/high/low/close of the symbol has, the step likewise from its volumes (absent without a volume
 * column). A CSV of a pair priced 0.000103 written with 7 decimals gets a tick of 0.0000001, not a global
 * default that would round every fill by up to half a percent. Values with float noise are ignored; a
 * symbol whose every price is noisy (computed, not recorded) gets no inferred tick.
 */
export function inferPrecision(candles: Iterable<Candle>): Map<string, DataPrecision> {
  const tally = new PrecisionTally();
  for (const c of candles) tally.add(c);
  return tally.result();
}

/** inferPrecision folded one candle at a time, for data read as a stream. */
export class PrecisionTally {
  private readonly prices = new Map<string, number>();
  private readonly volumes = new Map<string, number>();

  add(c: Candle): void {
    for (const v of [c.open, c.high, c.low, c.close]) widen(this.prices, c.symbol, v);
    widen(this.volumes, c.symbol, c.volume);
  }

  result(): Map<string, DataPrecision> {
    const out = new Map<string, DataPrecision>();
    for (const [symbol, d] of this.prices) {
      const step = this.volumes.get(symbol);
      out.set(symbol, { tick_size: increment(d), ...(step === undefined ? {} : { step_size: increment(step) }) });
    }
    return out;
  }
}

function widen(into: Map<string, number>, symbol: string, value: number | null): void {
  if (value === null || !Number.isFinite(value)) return;
  const d = decimalsWritten(value);
  if (d <= MAX_DECIMALS) into.set(symbol, Math.max(into.get(symbol) ?? 0, d));
}

/** Decimals of the shortest text that reads back as `value` (1e-7 → 7, 0.000103 → 6, 42000 → 0). */
export function decimalsWritten(value: number): number {
  const text = Math.abs(value).toString();
  const exponent = /e([+-]\d+)$/.exec(text);
  const mantissa = exponent === null ? text : text.slice(0, text.indexOf('e'));
  const fraction = mantissa.includes('.') ? mantissa.split('.')[1]!.length : 0;
  return Math.max(0, fraction - (exponent === null ? 0 : Number(exponent[1])));
}

function increment(decimals: number): number {
  return Number(`1e-${decimals}`);
}
