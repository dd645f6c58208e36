import { describe, expect, it } from 'vitest';
import { OrderRejected } from '../../../src/broker/broker.js';
import { PaperBroker, type PaperBrokerJSON } from '../../../src/broker/paper/index.js';
import { bar, H, market, request, SETTINGS, stop, stored, T, takeProfit, venue } from './venue.js';

/** A venue with a bit of everything: two positions, resting orders, a fill, a rejection, marks and a processed bar. */
async function busyVenue(): Promise<{ broker: PaperBroker; entry: string; refused: string; tp: string }> {
  const broker = venue();
  const entry = (await broker.submit(market('buy', 1, 100))).client_id;
  await broker.submit(stop('sell', 95));
  await broker.submit(takeProfit('sell', 104, 0.5, 'partial-take-profit'));
  const tp = (await broker.submit(takeProfit('sell', 108))).client_id;
  await broker.submit({ ...market('sell', 2, 50), symbol: 'ETHUSDT' });
  await broker.submit({ ...stop('buy', 55, 2), symbol: 'ETHUSDT' });
  const refused = request({ quantity: Number.NaN });
  await broker.submit(refused).catch(() => undefined);
  broker.onCandle(bar(0, 100, 105, 99, 104));
  return { broker, entry, refused: refused.client_id, tp };
}

/** The same story told to a venue: returns everything it answered. */
async function continueTrading(broker: PaperBroker, ids: { entry: string; refused: string; tp: string }) {
  const answers: unknown[] = [];
  answers.push(await broker.submit({ ...market('buy', 1, 100), client_id: ids.entry }));
  answers.push(await broker.submit(request({ client_id: ids.refused })).catch((e: OrderRejected) => e.reason));
  answers.push(broker.onCandle(bar(0, 100, 105, 99, 104)));
  answers.push(broker.onCandle({ ...bar(1, 52, 56, 51, 54), symbol: 'ETHUSDT' }));
  answers.push(await broker.cancel(ids.tp, 'BTCUSDT', T + 5 * H));
  answers.push(broker.onCandle(bar(1, 104, 104, 94, 95)));
  answers.push(await broker.balance(), broker.equity(), await broker.positions(), await broker.openOrders());
  return answers;
}

describe('paper broker: snapshot and restore', () => {
  it('restores from its JSON a venue that continues exactly as the original would have', async () => {
    const original = await busyVenue();
    const copy = PaperBroker.restore(stored(original.broker), SETTINGS);
    expect(copy.toJSON()).toEqual(original.broker.toJSON());
    const expected = await continueTrading(original.broker, original);
    // The story is not empty: the ETH stop and the rest of the BTC position's stop fill after the restore.
    expect([expected[3], expected[5]]).toMatchObject([[{ symbol: 'ETHUSDT', status: 'filled' }], [{ symbol: 'BTCUSDT', purpose: 'stop-loss', status: 'filled', filled_quantity: 0.5 }]]);
    expect(await continueTrading(copy, original)).toEqual(expected);
    expect(copy.toJSON()).toEqual(original.broker.toJSON());
  });

  it('still knows every client id after a restore: a fill answers with the fill, a rejection with the same rejection', async () => {
    const { broker, entry, refused } = await busyVenue();
    const copy = PaperBroker.restore(stored(broker), SETTINGS);
    expect(await copy.submit({ ...market('buy'), client_id: entry })).toEqual(await broker.order(entry, 'BTCUSDT'));
    await expect(copy.submit(request({ client_id: refused }))).rejects.toThrow('quantity must be a positive number, got NaN');
    expect(await copy.positions()).toEqual(await broker.positions());
  });

  it('restores a snapshot written before processed bars were recorded', async () => {
    const { broker } = await busyVenue();
    const { bars: _bars, ...older } = stored(broker) as PaperBrokerJSON;
    expect(PaperBroker.restore(older, SETTINGS).equity()).toBe(broker.equity());
  });

  const good = async () => stored((await busyVenue()).broker) as Record<string, unknown> & PaperBrokerJSON;
  it.each<[string, (s: Record<string, unknown> & PaperBrokerJSON) => unknown, string]>([
    ['not an object', () => 'venue', 'must be an object, got "venue"'],
    ['another format', (s) => ({ ...s, format: 'quantum-trader/paper-broker@0' }), 'format must be quantum-trader/paper-broker@1, got "quantum-trader/paper-broker@0"'],
    ['a balance that was NaN (null in JSON)', (s) => ({ ...s, balance: null }), 'balance must be a finite number, got null'],
    ['positions that are not a list', (s) => ({ ...s, positions: {} }), 'positions must be a list, got {}'],
    ['a flat position', (s) => ({ ...s, positions: [{ ...s.positions[0], quantity: 0 }] }), 'positions[0].quantity must be a non-zero signed quantity, got 0'],
    ['a position without entry price', (s) => ({ ...s, positions: [{ symbol: 'BTCUSDT', quantity: 1 }] }), 'positions[0].entry_price must be a positive price, got undefined'],
    ['two positions of one symbol', (s) => ({ ...s, positions: [s.positions[0], s.positions[0]] }), 'positions[1].symbol BTCUSDT appears twice'],
    ['an order of unknown status', (s) => ({ ...s, orders: [{ ...s.orders[0], status: 'open' }] }), 'orders[0].status must be one of new, filled, cancelled, rejected, got "open"'],
    ['a client id used twice', (s) => ({ ...s, orders: [s.orders[0], s.orders[0]] }), 'orders[1].client_id'],
    ['a fill without a price', (s) => ({ ...s, orders: [{ ...s.orders[0], fill_price: undefined }] }), 'orders[0] is filled but lacks a positive fill_price'],
    ['a resting stop without trigger', (s) => ({ ...s, orders: [{ ...s.orders[1], trigger_price: undefined }] }), 'orders[0].trigger_price is required for a stop-market order'],
    ['a resting market order', (s) => ({ ...s, orders: [{ ...s.orders[0], status: 'new' }] }), 'orders[0].status new is impossible for a market order'],
    ['a mark that is not a price', (s) => ({ ...s, marks: [{ symbol: 'BTCUSDT', price: -1 }] }), 'marks[0].price must be a positive price, got -1'],
    ['a processed bar without time', (s) => ({ ...s, bars: [{ symbol: 'BTCUSDT' }] }), 'bars[0].close_time must be epoch milliseconds, got undefined'],
  ])('refuses %s with an error naming the field', async (_label, spoil, message) => {
    const bad = spoil(await good());
    expect(() => PaperBroker.restore(bad, SETTINGS)).toThrow(`paper broker snapshot: ${message}`);
  });
});
