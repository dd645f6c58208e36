import { roundTo } from './increments.js';

/** One-way mode: one net position per symbol. */
export interface NetPosition {
  /** Signed: negative is short. */
  readonly quantity: number;
  /** Average entry price of what is open. */
  readonly entry_price: number;
}

export interface FillEffect {
  /** The position after the fill; undefined when flat. */
  readonly position: NetPosition | undefined;
  /** Gross PnL of the part that closed (fees are separate). */
  readonly realized: number;
}

/**
 * What a fill does to a net position. A fill against the position closes up to its size at the average
 * entry and realises the difference; whatever is left over opens the other way at the fill price (only
 * possible for an order that is not reduce-only). The result is snapped to the step grid (a whole number
 * of steps, written as its canonical float), as the executor snaps its own copy: both sides hold the same
 * number of steps, so a close of "the position" closes exactly what the venue holds. What is left under
 * half a step (1e-12 of a coin from 0.3 − 0.1 − 0.2) counts as flat.
 */
export function applyFill(before: NetPosition | undefined, signedQuantity: number, price: number, stepSize: number): FillEffect {
  const held = before?.quantity ?? 0;
  const sum = held + signedQuantity;
  const next = roundTo(sum, stepSize);
  if (held === 0 || Math.sign(held) === Math.sign(signedQuantity)) {
    if (next === 0) return { position: undefined, realized: 0 };
    const entry = (Math.abs(held) * (before?.entry_price ?? 0) + Math.abs(signedQuantity) * price) / Math.abs(next);
    return { position: { quantity: next, entry_price: entry }, realized: 0 };
  }
  const closed = Math.min(Math.abs(signedQuantity), Math.abs(held));
  const realized = (price - before!.entry_price) * closed * Math.sign(held);
  if (next === 0) return { position: undefined, realized };
  if (Math.sign(next) === Math.sign(held)) return { position: { quantity: next, entry_price: before!.entry_price }, realized };
  return { position: { quantity: next, entry_price: price }, realized };
}

/** Unrealised PnL of a position at a mark price. */
export function unrealized(position: NetPosition, mark: number): number {
  return (mark - position.entry_price) * position.quantity;
}
