import type { Fill, Quote } from '../account-events.js';

/** Bid-ask spread as a fraction of the mid price: what a round trip at the touch costs. */
export function spreadFraction(quote: Pick<Quote, 'bid' | 'ask'>): number {
  const mid = (quote.bid + quote.ask) / 2;
  return (quote.ask - quote.bid) / mid;
}

/**
 * How much worse than expected a fill was, as a fraction of the expected price. Favourable slippage
 * counts as 0: the figure feeds a cost ceiling, and letting lucky fills offset unlucky ones would hide a
 * symbol whose fills are erratic behind an average near zero.
 */
export function adverseSlippage(fill: Pick<Fill, 'side' | 'expected_price' | 'fill_price'>): number {
  const worse = fill.side === 'buy' ? fill.fill_price - fill.expected_price : fill.expected_price - fill.fill_price;
  return Math.max(0, worse / fill.expected_price);
}
