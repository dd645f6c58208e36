import type { FundingPayment } from '../exchange/funding.js';
import type { Logger } from '../logger.js';
import type { TradingStore } from '../store/index.js';

const CURSOR = 'funding.cursor';

/** A venue that reports the funding it charged or paid (the exchange adapter). */
export interface FundingVenue {
  fundingSince(since: number): Promise<FundingPayment[]>;
}

/**
 * Funding on an exchange is settled by the exchange itself (the balance, and so equity, already include
 * it); this records each payment from the account's income history in the store, once, as a decision
 * (`funding`), with a running total in `funding.total`, so `status` and the store show what funding cost.
 */
export async function recordFunding(venue: FundingVenue, store: TradingStore, logger: Logger, start: number): Promise<void> {
  const cursor = store.loadState<{ after: number; total: number }>(CURSOR) ?? { after: start, total: 0 };
  const payments = (await venue.fundingSince(cursor.after + 1)).filter((p) => p.time > cursor.after);
  if (payments.length === 0) return;
  let total = cursor.total;
  store.transaction(() => {
    for (const p of payments) {
      total += p.amount;
      store.recordDecision({ id: `${p.time}:${p.symbol}:funding`, time: p.time, symbol: p.symbol, action: 'funding', reason: p.amount < 0 ? 'FUNDING_PAID' : 'FUNDING_RECEIVED', mode: 'LIVE', detail: { amount: p.amount } });
    }
    store.saveState(CURSOR, { after: payments.at(-1)!.time, total });
    store.saveState('funding.total', total);
  });
  logger.info({ payments: payments.length, total: Math.round(total * 100) / 100 }, 'funding payments recorded');
}
