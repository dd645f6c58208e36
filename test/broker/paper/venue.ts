// Shared vocabulary of the paper broker's specifications: one venue with round numbers, bars and requests.
import type { OrderRequest } from '../../../src/broker/broker.js';
import { PaperBroker, type PaperBrokerSettings, type PaperFill } from '../../../src/broker/paper/index.js';
import type { Candle } from '../../../src/market/candle.js';

export const T = Date.parse('2024-01-01T00:00:00Z');
export const H = 3_600_000;
export const RULES = { step_size: 0.001, tick_size: 0.1, min_quantity: 0.001, min_notional: 5 };

/** 10 000 USDT, 0.1% fee, 0.1% slippage, 10x: numbers a reader can check by hand. */
export const SETTINGS: Partial<PaperBrokerSettings> = { initial_balance: 10_000, taker_fee_rate: 0.001, slippage_pct: 0.001, leverage: 10, market_rules: RULES };

export function venue(overrides: Partial<PaperBrokerSettings> = {}): PaperBroker {
  return new PaperBroker({ ...SETTINGS, ...overrides });
}

/** A venue that records every fill its listener hears of. */
export function listenedVenue(overrides: Partial<PaperBrokerSettings> = {}): { broker: PaperBroker; heard: PaperFill[] } {
  const heard: PaperFill[] = [];
  return { broker: new PaperBroker({ ...SETTINGS, ...overrides }, { onFill: (fill) => heard.push(fill) }), heard };
}

export const bar = (i: number, open: number, high: number, low: number, close: number, symbol = 'BTCUSDT'): Candle => ({
  symbol, openTime: T + i * H, closeTime: T + (i + 1) * H, open, high, low, close, volume: 1,
});

let sequence = 0;
export const request = (r: Partial<OrderRequest>): OrderRequest => ({
  client_id: `o${sequence++}`, symbol: 'BTCUSDT', side: 'buy', type: 'market', purpose: 'entry', quantity: 1, reduce_only: false, position_id: 'p1', expected_price: 100, time: T, ...r,
});
export const market = (side: 'buy' | 'sell', quantity = 1, price = 100) => request({ side, quantity, expected_price: price });
export const exit = (side: 'buy' | 'sell', quantity = 1, price = 100) => request({ side, quantity, expected_price: price, reduce_only: true, purpose: 'exit' });
export const stop = (side: 'buy' | 'sell', trigger: number, quantity = 1) =>
  request({ side, type: 'stop-market', purpose: 'stop-loss', trigger_price: trigger, quantity, reduce_only: true, expected_price: trigger });
export const takeProfit = (side: 'buy' | 'sell', trigger: number, quantity = 1, purpose: OrderRequest['purpose'] = 'take-profit') =>
  request({ side, type: 'take-profit-market', purpose, trigger_price: trigger, quantity, reduce_only: true, expected_price: trigger });

/** The snapshot as the store would give it back: through JSON text. */
export const stored = (broker: PaperBroker): unknown => JSON.parse(JSON.stringify(broker.toJSON()));
