import { describe, expect, it } from 'vitest';
import type { Position } from '../../src/broker/model.js';
import { PaperBroker } from '../../src/broker/paper/index.js';
import { ProtectiveOrders } from '../../src/execution/protective-orders.js';
import { silentLogger } from '../../src/logger.js';
import { TEST_BROKER } from '../support/trading.js';

const T = Date.parse('2024-01-01T00:00:00Z');
const position: Position = {
  id: 'BTCUSDT-1', symbol: 'BTCUSDT', side: 'long', quantity: 1, initial_quantity: 1, entry_price: 100, opened_at: T, risk_per_unit: 2, stop_price: 98,
  take_profit_price: 108, best_price: 100, exit_mode: 'TREND_FOLLOW', trail_pct: 0.03, partial_tp_fraction: 0.5, partial_tp_price: 103, partial_taken: false,
  realized_pnl: 0, fees: 0, entry_notional: 100,
};

async function venue(): Promise<PaperBroker> {
  const broker = new PaperBroker(TEST_BROKER);
  await broker.submit({ client_id: 'BTCUSDT-1-e', symbol: 'BTCUSDT', side: 'buy', type: 'market', purpose: 'entry', quantity: 1, reduce_only: false, position_id: 'BTCUSDT-1', expected_price: 100, time: T });
  return broker;
}

describe('protective orders', () => {
  it('replace a stop by placing the new one first, never reusing a client id', async () => {
    const broker = await venue();
    const orders = new ProtectiveOrders(broker, silentLogger());
    expect(await orders.place(position, 'stop', 'stop-loss', 98, 1, T)).toMatchObject({ ok: true, order: { client_id: 'BTCUSDT-1-s0' } });
    const { placement, cancelled } = await orders.replace(position, 'stop', 'trailing-stop', 99, 1, T + 1);
    expect(placement).toMatchObject({ ok: true, order: { client_id: 'BTCUSDT-1-s1', trigger_price: 99 } });
    expect(cancelled).toMatchObject({ client_id: 'BTCUSDT-1-s0', status: 'cancelled' });
    expect((await broker.openOrders()).map((o) => o.client_id)).toEqual(['BTCUSDT-1-s1']);
  });

  it('after a restart, skip ids the venue already used instead of colliding with them', async () => {
    const broker = await venue();
    const before = new ProtectiveOrders(broker, silentLogger());
    await before.place(position, 'stop', 'stop-loss', 98, 1, T);
    await broker.cancel('BTCUSDT-1-s0', 'BTCUSDT', T);
    const after = new ProtectiveOrders(broker, silentLogger()); // knows nothing of s0
    expect(await after.place(position, 'stop', 'trailing-stop', 98, 1, T + 1)).toMatchObject({ ok: true, order: { client_id: 'BTCUSDT-1-s1', status: 'new' } });
  });

  it('report a refused order instead of throwing, and free a slot when its order is done', async () => {
    const broker = await venue();
    const orders = new ProtectiveOrders(broker, silentLogger());
    expect(await orders.place(position, 'takeProfit', 'take-profit', 108, 0.00001, T)).toMatchObject({ ok: false, reason: 'ORDER_REJECTED' });
    const placed = await orders.place(position, 'takeProfit', 'take-profit', 108, 1, T);
    if (!placed.ok) throw new Error('not placed');
    orders.release({ ...placed.order, status: 'filled' });
    expect(orders.of('BTCUSDT-1').takeProfit).toBeUndefined();
    expect(await orders.cancelAll('BTCUSDT-1', T)).toEqual([]);
  });
});
