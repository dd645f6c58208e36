import type { AlgoOrder, BinanceVenue, RegularOrder } from './venue.js';

/** Binance's JSON shapes of the mock's state, as the REST endpoints return them. */

export function orderJson(o: RegularOrder): Record<string, unknown> {
  return {
    orderId: o.orderId, symbol: o.symbol, status: o.status, clientOrderId: o.clientOrderId, price: '0', avgPrice: String(o.avgPrice), origQty: String(o.origQty),
    executedQty: String(o.executedQty), cumQty: String(o.executedQty), cumQuote: String(o.executedQty * o.avgPrice), timeInForce: 'GTC', type: o.type, reduceOnly: o.reduceOnly,
    closePosition: false, side: o.side, positionSide: 'BOTH', stopPrice: '0', workingType: 'CONTRACT_PRICE', priceProtect: false, origType: o.type,
    time: o.time, updateTime: o.updateTime,
  };
}

export function algoJson(venue: BinanceVenue, o: AlgoOrder): Record<string, unknown> {
  const actual = o.actualOrderId === undefined ? undefined : venue.orders.get(o.actualOrderId);
  return {
    algoId: o.algoId, clientAlgoId: o.clientAlgoId, algoType: 'CONDITIONAL', orderType: o.orderType, symbol: o.symbol, side: o.side, positionSide: 'BOTH',
    timeInForce: 'GTC', quantity: String(o.quantity), algoStatus: o.algoStatus, triggerPrice: String(o.triggerPrice), price: '0', workingType: 'CONTRACT_PRICE',
    closePosition: o.closePosition, priceProtect: false, reduceOnly: o.reduceOnly, createTime: o.createTime, updateTime: o.updateTime, triggerTime: 0,
    ...(actual === undefined ? {} : { actualOrderId: String(actual.orderId), actualPrice: String(actual.avgPrice) }),
  };
}

export function exchangeInfoJson(venue: BinanceVenue): Record<string, unknown> {
  return {
    timezone: 'UTC', serverTime: venue.now(), futuresType: 'U_MARGINED', rateLimits: [], exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: [...venue.symbols.values()].map((s) => ({
      symbol: s.symbol, pair: s.symbol, contractType: 'PERPETUAL', deliveryDate: 4133404800000, onboardDate: 1569398400000, status: 'TRADING',
      maintMarginPercent: '2.5000', requiredMarginPercent: '5.0000', baseAsset: s.symbol.replace(/USDT$/, ''), quoteAsset: 'USDT', marginAsset: 'USDT',
      pricePrecision: decimals(s.tickSize), quantityPrecision: decimals(s.stepSize), baseAssetPrecision: 8, quotePrecision: 8, underlyingType: 'COIN', underlyingSubType: [],
      triggerProtect: '0.0500', liquidationFee: '0.012500', marketTakeBound: '0.05', maxMoveOrderLimit: 10000,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: s.tickSize, maxPrice: '10000000', tickSize: s.tickSize },
        { filterType: 'LOT_SIZE', stepSize: s.stepSize, minQty: s.minQty, maxQty: '100000000' },
        { filterType: 'MARKET_LOT_SIZE', stepSize: s.stepSize, minQty: s.minQty, maxQty: '100000000' },
        { filterType: 'MAX_NUM_ORDERS', limit: 200 },
        { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
        { filterType: 'MIN_NOTIONAL', notional: s.minNotional },
        { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
      ],
      orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    })),
  };
}

export function accountJson(venue: BinanceVenue): Record<string, unknown> {
  let unrealized = 0;
  for (const symbol of venue.positions.keys()) unrealized += venue.unrealized(symbol);
  const wallet = venue.balance;
  const available = venue.availableBalance();
  return {
    totalInitialMargin: '0', totalMaintMargin: '0', totalWalletBalance: String(wallet), totalUnrealizedProfit: String(unrealized),
    totalMarginBalance: String(wallet + unrealized), totalPositionInitialMargin: '0', totalOpenOrderInitialMargin: '0', totalCrossWalletBalance: String(wallet),
    totalCrossUnPnl: String(unrealized), availableBalance: String(available), maxWithdrawAmount: String(available),
    assets: [{ asset: 'USDT', walletBalance: String(wallet), unrealizedProfit: String(unrealized), marginBalance: String(wallet + unrealized), maintMargin: '0', initialMargin: '0',
      positionInitialMargin: '0', openOrderInitialMargin: '0', crossWalletBalance: String(wallet), crossUnPnl: String(unrealized), availableBalance: String(available), maxWithdrawAmount: String(available), updateTime: venue.now() }],
    positions: [...venue.positions].filter(([, p]) => p.qty !== 0).map(([symbol, p]) => ({ symbol, positionSide: 'BOTH', positionAmt: String(p.qty), unrealizedProfit: String(venue.unrealized(symbol)), isolatedMargin: '0', notional: String(p.qty * venue.symbol(symbol).price), isolatedWallet: '0', initialMargin: '0', maintMargin: '0', updateTime: venue.now() })),
  };
}

export function positionRiskJson(venue: BinanceVenue, symbol: string): Record<string, unknown> {
  const p = venue.positions.get(symbol) ?? { qty: 0, entry: 0, leverage: 20, marginType: 'cross' as const };
  const mark = venue.symbol(symbol).price;
  return {
    symbol, positionSide: 'BOTH', positionAmt: String(p.qty), entryPrice: String(p.entry), breakEvenPrice: String(p.entry), markPrice: String(mark),
    unRealizedProfit: String(venue.unrealized(symbol)), liquidationPrice: '0', isolatedMargin: '0', notional: String(p.qty * mark), marginAsset: 'USDT',
    isolatedWallet: '0', initialMargin: String((Math.abs(p.qty) * mark) / p.leverage), maintMargin: '0', positionInitialMargin: '0', openOrderInitialMargin: '0',
    adl: 0, bidNotional: '0', askNotional: '0', updateTime: venue.now(), leverage: String(p.leverage), marginType: p.marginType, isolated: p.marginType === 'isolated',
  };
}

function decimals(step: string): number {
  return step.includes('.') ? step.replace(/0+$/, '').split('.')[1]!.length : 0;
}
