import type { Order } from '../model.js';

/** What the executor needs to report an AccountEvent 'fill' (slippage) and to account the trade. */
export interface PaperFill {
  readonly order: Order;
  /** The price the order was expected to fill at: the caller's expected price, or the trigger price. */
  readonly expected_price: number;
  /** Gross PnL this fill realised (0 for a fill that only opens or adds); the fee is `order.fee`. */
  readonly realized_pnl: number;
}

export interface PaperBrokerHooks {
  /** Called after every fill, once the venue's state already includes it. */
  readonly onFill?: (fill: PaperFill) => void;
}
