import { describe, expect, it } from 'vitest';
import { runPaperSession } from '../../src/backtest/paper-session.js';
import { silentLogger } from '../../src/logger.js';
import { MemoryJournal, TradingStore } from '../../src/store/index.js';
import { roomyLimitsEngine } from '../support/rule-sets.js';
import { TEST_BROKER, candlesOf, scriptedSignals } from '../support/trading.js';

const STATE_KEYS = ['venue', 'symbol-blocks', 'cursor', 'orders.client_prefix', 'orders.sequence'];

/** Everything a reader of a run's record sees, as JSON would show it. */
function record(journal: TradingStore | MemoryJournal) {
  const orders = journal instanceof TradingStore ? journal.orders() : journal.allOrders();
  return JSON.parse(JSON.stringify({
    orders, trades: journal.trades(), positions: journal.openPositions(), equity: journal.equityCurve(), decisions: journal.decisions(),
    cycles: journal.cycles(), risk: journal.loadRiskState(), state: STATE_KEYS.map((key) => journal.loadState(key)),
  })) as unknown;
}

describe('MemoryJournal (a backtest’s record, kept in memory)', () => {
  it('holds what the SQLite store holds after the same paper session, and copies into a store that reads the same', async () => {
    const candles = await candlesOf({ symbols: ['BTCUSDT', 'ETHUSDT'], bars: 480 });
    const options = () => ({ candles, signalsAt: scriptedSignals, policy: { engine: roomyLimitsEngine() }, broker: TEST_BROKER, logger: silentLogger() });
    const { store } = await runPaperSession(options());
    const { store: memory } = await runPaperSession(options(), new MemoryJournal());
    const copy = TradingStore.open(':memory:');
    try {
      const expected = record(store) as { trades: unknown[]; decisions: unknown[]; orders: unknown[] };
      expect(expected.trades.length).toBeGreaterThan(2);
      expect(expected.orders.length).toBeGreaterThan(expected.trades.length);
      expect(record(memory)).toEqual(expected);
      memory.copyInto(copy);
      expect(record(copy)).toEqual(expected);
    } finally {
      store.close();
      copy.close();
    }
  });

  it('keeps a store’s replacement rules: a closed position stays closed, a replayed decision keeps its place, the first trade record stands', () => {
    const journal = new MemoryJournal();
    const position = { id: 'BTCUSDT-1', opened_at: 1 } as Parameters<MemoryJournal['savePosition']>[0];
    const trade = { position_id: 'BTCUSDT-1', closed_at: 5, pnl: 1 } as Parameters<MemoryJournal['closePosition']>[0];
    expect(journal.savePosition(position)).toBe(true);
    expect(journal.closePosition(trade)).toBe(true);
    expect(journal.closePosition({ ...trade, pnl: 2 })).toBe(false);
    expect(journal.savePosition(position)).toBe(false);
    expect(journal.openPositions()).toEqual([]);
    expect(journal.trades().map((t) => t.pnl)).toEqual([1]);
    const decision = (id: string, time: number, reason: string) => ({ id, time, symbol: 'BTCUSDT', action: 'blocked', reason, mode: 'LIVE' });
    journal.recordDecision(decision('b', 2, 'first'));
    journal.recordDecision(decision('a', 2, 'second'));
    journal.recordDecision(decision('c', 1, 'earlier'));
    journal.recordDecision(decision('b', 2, 'replayed'));
    expect(journal.decisions().map((d) => d.reason)).toEqual(['earlier', 'replayed', 'second']);
  });

  it('keeps one object for a policy repeated from the previous cycle, and each changed policy as given', () => {
    const journal = new MemoryJournal();
    const cycle = (time: number, policy: unknown) => ({ time, mode: 'LIVE', gate_open: true, exit_mode: 'FAST_TP', stance: 'SAFE', min_confidence: 0.5, max_risk_pct: 0.01, policy });
    const policy = (note: string) => ({ allow_new_trades: true, allowed_symbols: ['BTCUSDT'], note });
    [cycle(1, policy('calm')), cycle(2, policy('calm')), cycle(3, policy('storm')), cycle(4, policy('storm')), cycle(5, undefined), cycle(6, { ...policy('storm'), extra: 1 })].forEach((c) => journal.recordCycle(c));
    const policies = journal.cycles().map((c) => c.policy);
    expect(policies).toEqual([policy('calm'), policy('calm'), policy('storm'), policy('storm'), undefined, { ...policy('storm'), extra: 1 }]);
    expect(policies[1]).toBe(policies[0]);
    expect(policies[3]).toBe(policies[2]);
    expect(policies[2]).not.toBe(policies[1]);
    expect(policies[5]).not.toBe(policies[3]);
  });
});
