import type { MarketRules, Order } from '../model.js';
import type { NetPosition } from './net-position.js';

/** What the account checks of an order read: the open positions, the leverage and the equity. */
export interface AccountView {
  readonly positions: ReadonlyMap<string, NetPosition>;
  readonly leverage: number;
  /** Cash plus unrealised PnL; asked only when an order needs margin. */
  readonly equity: () => number;
}

/** Why the account refuses a well-formed order (undefined when it takes it). */
export function accountProblem(order: Order, price: number, rules: MarketRules, account: AccountView): string | undefined {
  const held = account.positions.get(order.symbol)?.quantity ?? 0;
  const sign = order.side === 'buy' ? 1 : -1;
  if (order.reduce_only) {
    if (held === 0) return `reduce-only ${order.side} would open a position: there is no ${order.symbol} position to reduce`;
    if (Math.sign(held) === sign) return `reduce-only ${order.side} would increase the ${held > 0 ? 'long' : 'short'} ${order.symbol} position instead of reducing it`;
    return undefined;
  }
  const notional = order.quantity * price;
  if (notional < rules.min_notional) return `notional ${notional.toFixed(2)} is under the minimum notional ${rules.min_notional}`;
  return marginProblem(order, price, account);
}

/**
 * Margin is notional / leverage at the entry price, against equity (cash plus unrealised PnL). Only the
 * part of an order that opens or adds needs margin; closing never does. Resting orders reserve none;
 * a resting entry is checked again when it triggers.
 */
export function marginProblem(order: Order, price: number, account: AccountView): string | undefined {
  const leverage = account.leverage;
  const before = account.positions.get(order.symbol);
  const signed = (order.side === 'buy' ? 1 : -1) * order.quantity;
  const held = before?.quantity ?? 0;
  const opening = held === 0 || Math.sign(held) === Math.sign(signed) ? order.quantity : Math.max(0, order.quantity - Math.abs(held));
  if (opening === 0) return undefined;
  let used = 0;
  for (const [symbol, p] of account.positions) if (symbol !== order.symbol) used += (Math.abs(p.quantity) * p.entry_price) / leverage;
  // What stays of this symbol's position before the new part: all of it when adding, nothing when flipping.
  if (before !== undefined && Math.sign(held) === Math.sign(signed)) used += (Math.abs(held) * before.entry_price) / leverage;
  const needed = (opening * price) / leverage;
  const free = account.equity() - used;
  return needed > free ? `insufficient margin: ${needed.toFixed(2)} USDT needed at ${leverage}x leverage, ${Math.max(0, free).toFixed(2)} free` : undefined;
}
