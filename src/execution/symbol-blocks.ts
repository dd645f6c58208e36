import type { Logger } from '../logger.js';
import type { Candle } from '../market/candle.js';
import type { Evaluation } from '../policy/policy-engine.js';
import type { TradeClosed } from '../state/account-events.js';
import type { Sizing } from './position-sizer.js';
import { ShadowBook, type ShadowPosition } from './shadow-trades.js';

/** A symbol the policy blocks: why, and since when. */
export interface SymbolBlock {
  readonly symbol: string;
  readonly reason: string;
  readonly since: number;
}

/** A block that was in force from `from` to `to` (null: still in force). */
export interface BlockPeriod {
  readonly symbol: string;
  readonly reason: string;
  readonly from: number;
  readonly to: number | null;
}

export interface SymbolBlocksJSON {
  readonly blocks: readonly SymbolBlock[];
  readonly ended: readonly BlockPeriod[];
  readonly shadows: readonly ShadowPosition[];
}

/**
 * The symbols the policy blocks, with their reasons and since when, and their shadow record. A blocked
 * symbol cannot trade, so its record would never change and the block could never lift; instead each
 * entry signal the policy blocks only for the symbol is followed as a shadow trade (ShadowBook), whose
 * result counts for the symbol's judgement over the profile's window (symbol_judgement.window) and
 * never for the account. Checkpointed with every cycle.
 */
export class SymbolBlocks {
  private readonly current = new Map<string, SymbolBlock>();
  private readonly ended: BlockPeriod[] = [];
  private readonly book: ShadowBook;

  constructor(
    private readonly logger: Logger,
    saved?: unknown,
  ) {
    const json = parse(saved);
    for (const b of json.blocks) this.current.set(b.symbol, b);
    this.ended.push(...json.ended);
    this.book = new ShadowBook(json.shadows);
  }

  /** Takes the blocks of this cycle's evaluation; a failed evaluation (fallback policy) changes nothing. */
  note(evaluation: Evaluation | undefined, time: number): void {
    if (evaluation === undefined || evaluation.failure !== undefined) return;
    const now = new Set(evaluation.policy.disallowed_symbols);
    for (const [symbol, block] of this.current) {
      if (now.has(symbol)) continue;
      this.current.delete(symbol);
      this.ended.push({ symbol, reason: block.reason, from: block.since, to: time });
      this.logger.info({ symbol, since: new Date(block.since).toISOString() }, `${symbol} block lifted (${block.reason})`);
    }
    for (const symbol of now) {
      if (this.current.has(symbol)) continue;
      const block = { symbol, reason: reasonFor(symbol, evaluation), since: time };
      this.current.set(symbol, block);
      this.logger.info({ symbol, reason: block.reason }, `${symbol} BLOCKED: ${block.reason}`);
    }
  }

  blocked(): SymbolBlock[] {
    return [...this.current.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  }

  /** Every block so far, ended ones and those still in force. */
  periods(): BlockPeriod[] {
    return [...this.ended, ...this.blocked().map((b) => ({ symbol: b.symbol, reason: b.reason, from: b.since, to: null }))];
  }

  /** A signal blocked only because its symbol is blocked: followed as a shadow trade with the size and levels it would have had. */
  shadow(symbol: string, side: 'long' | 'short', sizing: Extract<Sizing, { ok: true }>, time: number): void {
    if (!this.current.has(symbol)) return;
    this.book.enter({ symbol, side, entry_price: sizing.expected_fill, stop_price: sizing.stop_price, take_profit_price: sizing.take_profit_price, quantity: sizing.quantity, opened_at: time });
  }

  /** The shadow trades the closed candles finished, as account events for the symbols' records. */
  onCandles(candles: readonly Candle[]): TradeClosed[] {
    return this.book.onCandles(candles).map((t) => ({ type: 'trade-closed', time: t.time, symbol: t.symbol, pnl: t.pnl, r_multiple: t.r_multiple, shadow: true }));
  }

  toJSON(): SymbolBlocksJSON {
    return { blocks: this.blocked(), ended: [...this.ended], shadows: this.book.positions() };
  }
}

/** The notes of the symbol rules that blocked it (they name it), else the rules that decided the list. */
function reasonFor(symbol: string, evaluation: Evaluation): string {
  const notes = evaluation.policy.note.split('; ').filter((n) => n.includes(symbol));
  if (notes.length > 0) return notes.join('; ');
  return `in disallowed_symbols (decided by ${evaluation.policy.decided_by.disallowed_symbols.join(', ')})`;
}

function parse(saved: unknown): SymbolBlocksJSON {
  const empty: SymbolBlocksJSON = { blocks: [], ended: [], shadows: [] };
  if (saved === undefined || saved === null) return empty;
  const s = saved as Partial<SymbolBlocksJSON>;
  if (!Array.isArray(s.blocks) || !Array.isArray(s.ended) || !Array.isArray(s.shadows)) throw new Error('symbol-blocks checkpoint: blocks, ended and shadows must be lists');
  return { blocks: s.blocks, ended: s.ended, shadows: s.shadows };
}
