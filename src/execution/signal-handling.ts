import { signalId, type Signal } from '../signals/signal.js';
import type { CycleContext, Desk } from './desk.js';
import { enter, type EntrySignal } from './entries.js';
import { exitAtMarket } from './exits.js';

/**
 * A cycle's signals, each at most once (one the ledger has handled is skipped): exit signals and
 * reversals close their position first, then entries go through the filter chain, the most confident
 * first (ties by symbol, so a replay decides in the same order). `maxAgeMs`: how old an entry may be.
 */
export async function actOnSignals(desk: Desk, signals: readonly Signal[], ctx: CycleContext, maxAgeMs: number): Promise<void> {
  const fresh = signals.filter((s) => !desk.ledger.signalHandled(signalId(s)));
  for (const signal of fresh) {
    const position = desk.book.of(signal.symbol);
    const reversal = position !== undefined && signal.side !== 'exit' && signal.side !== position.side;
    if (signal.side === 'exit') desk.ledger.recordSignal({ id: signalId(signal), symbol: signal.symbol, side: signal.side, time: signal.timestamp, handled_at: ctx.time, outcome: position === undefined ? 'nothing-to-exit' : 'exited' });
    if (position !== undefined && (signal.side === 'exit' || reversal)) await exitAtMarket(desk, position, 'exit-signal', ctx, `${signal.side} signal (confidence ${signal.confidence.toFixed(2)})`);
  }
  const entries = fresh
    .filter((s): s is EntrySignal => s.side !== 'exit')
    .sort((a, b) => b.confidence - a.confidence || (a.symbol < b.symbol ? -1 : 1));
  for (const signal of entries) await enter(desk, signal, ctx, maxAgeMs);
}
