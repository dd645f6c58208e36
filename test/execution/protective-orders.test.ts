import { describe, expect, it } from 'vitest';
import { VenueUnavailable, type Broker } from '../../src/broker/broker.js';
import type { Position } from '../../src/broker/model.js';
import { PaperBroker } from '../../src/broker/paper/index.js';
import { ClientIds } from '../../src/execution/client-ids.js';
import { Ledger } from '../../src/execution/ledger.js';
import { OrderGateway } from '../../src/execution/order-gateway.js';
import { ProtectiveOrders } from '../../src/execution/protective-orders.js';
import { silentLogger } from '../../src/logger.js';
import { RiskTracker } from '../../src/state/risk/index.js';
import { TradingStore } from '../../src/store/index.js';
import { TEST_BROKER } from '../support/trading.js';

const T = Date.parse('2024-01-01T00:00:00Z');
const position: Position = {
  id: 'BTCUSDT-1', symbol: 'BTCUSDT', side: 'long', quantity: 1, initial_quantity: 1, entry_price: 100, opened_at: T, risk_per_unit: 2, stop_price: 98,
  take_profit_price: 108, best_price: 100, exit_mode: 'TREND_FOLLOW', trail_pct: 0.03, partial_tp_fraction: 0.5, partial_tp_price: 103, partial_taken: false,
  realized_pnl: 0, fees: 0, entry_notional: 100,
};

async function desk(store = TradingStore.open(':memory:'), broker: Broker = new PaperBroker(TEST_BROKER)) {
  await broker.submit({ client_id: 'entry', symbol: 'BTCUSDT', side: 'buy', type: 'market', purpose: 'entry', quantity: 1, reduce_only: false, position_id: 'BTCUSDT-1', expected_price: 100, time: T });
  const ids = ClientIds.restore(store, 'qt');
  const ledger = new Ledger(store, 'write-through', () => ({ risk: new RiskTracker().toJSON(), ids }));
  const gateway = new OrderGateway(broker, ledger, ids, silentLogger(), () => T, 0);
  return { store, broker, ids, gateway, orders: new ProtectiveOrders(gateway) };
}

describe('protective orders', () => {
  it('replace a stop by placing the new one first; the old one must go, and no client id is ever used twice', async () => {
    const { orders, broker } = await desk();
    const first = await orders.place(position, 'stop', 'stop-loss', 98, 1, T);
    expect(first).toMatchObject({ ok: true, order: { client_id: 'qt-1s', status: 'new' } });
    const second = await orders.replace(position, 'stop', 'trailing-stop', 99, 1, T + 1);
    expect(second).toMatchObject({ ok: true, order: { client_id: 'qt-2s', trigger_price: 99 } });
    expect(orders.of('BTCUSDT-1').stop?.client_id).toBe('qt-2s');
    expect(orders.isStale('qt-1s')).toBe(true);
    expect(orders.hasStale('BTCUSDT')).toBe(true);
    const outcomes = await orders.cancelStale(T + 1);
    expect(outcomes).toMatchObject([{ kind: 'gone', order: { client_id: 'qt-1s', status: 'cancelled' } }]);
    expect((await broker.openOrders()).map((o) => o.client_id)).toEqual(['qt-2s']);
    expect(orders.hasStale('BTCUSDT')).toBe(false);
  });

  it('commit every order to the store before it is sent, and continue the id sequence after a restart', async () => {
    const store = TradingStore.open(':memory:');
    const paper = new PaperBroker(TEST_BROKER);
    const seenAtSend: unknown[] = [];
    const watched: Broker = new Proxy(paper, {
      get(target, key, receiver) {
        if (key === 'submit') return (request: Parameters<Broker['submit']>[0]) => {
          seenAtSend.push(store.order(request.client_id)?.status);
          return target.submit(request);
        };
        return Reflect.get(target, key, receiver);
      },
    });
    const { orders } = await desk(store, watched);
    await orders.place(position, 'stop', 'stop-loss', 98, 1, T);
    expect(seenAtSend).toEqual([undefined, 'pending']); // the set-up entry bypasses the gateway; the stop does not
    const again = ClientIds.restore(store, 'other');
    expect(again.prefix).toBe('qt');
    expect(again.order('stop-loss')).toBe('qt-2s');
  });

  it('report a refused order instead of throwing, and free a slot when its order is done', async () => {
    const { orders } = await desk();
    expect(await orders.place(position, 'takeProfit', 'take-profit', 108, 0.00001, T)).toMatchObject({ ok: false, reason: 'ORDER_REJECTED' });
    const placed = await orders.place(position, 'takeProfit', 'take-profit', 108, 1, T);
    if (!placed.ok) throw new Error('not placed');
    orders.release({ ...placed.order, status: 'filled' });
    expect(orders.of('BTCUSDT-1').takeProfit).toBeUndefined();
  });

  it('keep the resting stop while its replacement is in flight (venue unreachable): a stop is never given up for one that may not exist', async () => {
    const paper = new PaperBroker(TEST_BROKER);
    let down = false;
    const flaky: Broker = new Proxy(paper, {
      get(target, key, receiver) {
        if (key === 'submit') return async (...args: Parameters<Broker['submit']>) => {
          if (down) throw new VenueUnavailable('exchange unreachable');
          return target.submit(...args);
        };
        return Reflect.get(target, key, receiver);
      },
    });
    const { orders, gateway, store } = await desk(TradingStore.open(':memory:'), flaky);
    await orders.place(position, 'stop', 'stop-loss', 98, 1, T);
    down = true;
    expect(await orders.replace(position, 'stop', 'trailing-stop', 99, 1, T + 1)).toMatchObject({ ok: false, reason: 'EXCHANGE_UNAVAILABLE' });
    expect(orders.of('BTCUSDT-1').stop?.client_id).toBe('qt-1s');
    expect(orders.isStale('qt-1s')).toBe(false);
    expect(gateway.pending().map((o) => o.client_id)).toEqual(['qt-2s']);
    expect(store.unresolvedOrders().map((o) => [o.client_id, o.status])).toEqual([['qt-2s', 'pending']]);
  });
});
