import type { Order as CcxtOrder } from 'ccxt';
import type { OrderRequest, VenueOrder } from '../broker.js';
import type { Order, OrderStatus } from '../model.js';

/**
 * A ccxt order (regular, or Binance's algo order for conditional ones) as the venue's view of our order.
 * A conditional order that fired arrives as the market order it became, carrying the algo order in
 * `info.algo`. Fees are estimated from the taker rate: the order endpoints do not report them.
 */
export function venueOrderOf(o: CcxtOrder, context: { readonly symbolId: string; readonly takerFeeRate: number; readonly request?: OrderRequest }): VenueOrder {
  const { request } = context;
  const info = o.info as { algoStatus?: string; orderType?: string; triggerPrice?: string; algo?: { orderType?: string; triggerPrice?: string } };
  const filled = Number(o.filled ?? 0);
  const average = Number(o.average ?? 0);
  const status = statusOf(o, info.algoStatus, filled);
  const typeName = (info.algo?.orderType ?? info.orderType ?? o.type ?? '').toUpperCase();
  const type: Order['type'] = typeName.startsWith('STOP') ? 'stop-market' : typeName.startsWith('TAKE_PROFIT') ? 'take-profit-market' : 'market';
  const trigger = Number(o.triggerPrice ?? info.algo?.triggerPrice ?? info.triggerPrice ?? Number.NaN);
  const time = o.lastUpdateTimestamp ?? o.timestamp ?? request?.time ?? Date.now();
  return {
    client_id: o.clientOrderId ?? request?.client_id ?? '',
    symbol: context.symbolId,
    side: (o.side ?? request?.side) as Order['side'],
    type: request?.type ?? type,
    quantity: Number(o.amount ?? request?.quantity ?? 0),
    ...(Number.isFinite(trigger) && trigger > 0 ? { trigger_price: trigger } : request?.trigger_price === undefined ? {} : { trigger_price: request.trigger_price }),
    reduce_only: Boolean(o.reduceOnly ?? request?.reduce_only ?? false),
    status,
    updated_at: time,
    ...(status === 'filled' ? { fill_price: average, filled_quantity: filled, fee: average * filled * context.takerFeeRate } : {}),
    ...(request === undefined ? {} : { purpose: request.purpose, position_id: request.position_id, created_at: request.time }),
  };
}

function statusOf(o: CcxtOrder, algoStatus: string | undefined, filled: number): OrderStatus {
  if (algoStatus === 'NEW' || algoStatus === 'TRIGGERING' || algoStatus === 'TRIGGERED') return 'new';
  if (algoStatus === 'CANCELED' || algoStatus === 'EXPIRED' || algoStatus === 'REJECTED') return 'cancelled';
  if (o.status === 'open') return 'new';
  if (o.status === 'closed') return 'filled';
  if (o.status === 'rejected') return 'rejected';
  // A market order that expired or was cancelled after filling part of its size filled that part.
  return filled > 0 ? 'filled' : 'cancelled';
}
