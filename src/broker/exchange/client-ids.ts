import type { OrderPurpose } from '../model.js';

/**
 * The executor's client order ids carry what the order is for: `<position id>-<kind><revision>`, e.g.
 * `BTCUSDT-1704067200000-s2` is the third stop of that position. So an order read back from the exchange
 * after a restart says which position it protects and how, without any local state; and the same id
 * sent twice (a retry, a restart mid-cycle) can never open a second position.
 */
const KIND: Readonly<Record<string, OrderPurpose>> = { e: 'entry', s: 'stop-loss', t: 'take-profit', p: 'partial-take-profit', x: 'exit' };

export function parseClientId(clientId: string): { positionId: string; purpose: OrderPurpose } | undefined {
  const match = /^(.+)-([estpx])(\d*)$/.exec(clientId);
  if (match === null) return undefined;
  const purpose = KIND[match[2]!]!;
  // A stop replaced at least once is a moved (trailing) stop.
  return { positionId: match[1]!, purpose: purpose === 'stop-loss' && Number(match[3] || 0) > 0 ? 'trailing-stop' : purpose };
}
