import { describe, expect, it } from 'vitest';
import { ShadowBook } from '../../src/execution/shadow-trades.js';
import { SymbolBlocks } from '../../src/execution/symbol-blocks.js';
import type { Candle } from '../../src/market/candle.js';
import { PolicyEngine } from '../../src/policy/index.js';
import type { MarketState } from '../../src/state/index.js';
import { RiskTracker } from '../../src/state/risk/index.js';
import { captureLogger } from '../support/log-capture.js';
import { bundledRuleSet } from '../support/rule-sets.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1);
const sizing = { ok: true as const, quantity: 10, notional: 1_000, margin: 50, risk_usd: 20, risk_pct: 0.002, stop_distance: 2, expected_fill: 100, stop_price: 98, take_profit_price: 104, partial_tp_price: 103 };
const candle = (i: number, open: number, high: number, low: number, close: number, symbol = 'AAAUSDT'): Candle => ({ symbol, openTime: T0 + i * HOUR, closeTime: T0 + (i + 1) * HOUR, open, high, low, close, volume: 1 });

describe('shadow trades of blocked symbols', () => {
  it('close at the stop when a bar reaches both stop and target (the adverse extreme first), at the open on a gap', () => {
    const book = new ShadowBook();
    book.enter({ symbol: 'AAAUSDT', side: 'long', entry_price: 100, stop_price: 98, take_profit_price: 104, quantity: 10, opened_at: T0 + HOUR });
    expect(book.onCandles([candle(0, 100, 105, 97, 100)])).toEqual([]); // the entry bar itself does not count
    expect(book.onCandles([candle(1, 100, 105, 97, 101)])).toEqual([{ symbol: 'AAAUSDT', time: T0 + 2 * HOUR, pnl: -20, r_multiple: -1, exit: 'stop-loss' }]);
    book.enter({ symbol: 'AAAUSDT', side: 'short', entry_price: 100, stop_price: 102, take_profit_price: 96, quantity: 10, opened_at: T0 + 2 * HOUR });
    expect(book.onCandles([candle(2, 103, 104, 101, 102)])[0]).toMatchObject({ pnl: -30, r_multiple: -1.5 });
    book.enter({ symbol: 'AAAUSDT', side: 'long', entry_price: 100, stop_price: 98, take_profit_price: 104, quantity: 10, opened_at: T0 + 3 * HOUR });
    expect(book.onCandles([candle(3, 101, 104.5, 99, 104)])[0]).toMatchObject({ pnl: 40, r_multiple: 2, exit: 'take-profit' });
  });

  it('count for the symbol’s judgement, never for the account’s losing streak', () => {
    const tracker = new RiskTracker({ performance_window: 30 });
    tracker.apply({ type: 'trade-closed', time: T0, symbol: 'AAAUSDT', pnl: -20, r_multiple: -1, shadow: true });
    expect(tracker.snapshot().risk.losing_streak).toBe(0);
    expect(tracker.snapshot().symbols.AAAUSDT).toMatchObject({ trades: 1, avg_r: -1 });
  });
});

describe('Signal Filtering: poor performers blocked over a rolling window, and unblocked when the shadow record recovers', () => {
  it('a symbol blocked for poor performance (WR<35%, avgR<0.5) keeps a shadow record and the block lifts once its last 30 trades recover', async () => {
    const ruleSet = bundledRuleSet();
    const engine = new PolicyEngine(ruleSet);
    expect(ruleSet.profiles.get('SAFE')!.symbol_judgement.window).toEqual({ trades: 30 });
    const { logger, records } = captureLogger();
    const tracker = new RiskTracker({ performance_window: 30 });
    const blocks = new SymbolBlocks(logger);
    const evaluate = async (time: number) => {
      const snap = tracker.snapshot();
      const state: MarketState = { regime: 'TRENDING_UP', volatility: 'NORMAL', risk: snap.risk, symbols: snap.symbols };
      const evaluation = await engine.evaluate(state);
      blocks.note(evaluation, time);
      return evaluation;
    };
    for (let i = 0; i < 20; i++) tracker.apply({ type: 'trade-closed', time: T0 + i, symbol: 'AAAUSDT', pnl: -10, r_multiple: -1 });
    expect((await evaluate(T0 + HOUR)).policy.disallowed_symbols).toEqual(['AAAUSDT']);
    expect(blocks.blocked()).toEqual([{ symbol: 'AAAUSDT', reason: expect.stringMatching(/^AAAUSDT blocked: poor performance \(WR 0.00%, avg R -1\)/), since: T0 + HOUR }]);

    // Each blocked signal becomes a shadow trade; these ones reach their targets (+2R).
    let bar = 1;
    let lifted: number | undefined;
    for (let n = 0; n < 30 && lifted === undefined; n++) {
      blocks.shadow('AAAUSDT', 'long', sizing, T0 + bar * HOUR);
      for (const t of blocks.onCandles([candle(bar, 100, 105, 99, 104)])) tracker.apply(t);
      bar++;
      if ((await evaluate(T0 + bar * HOUR)).policy.disallowed_symbols.length === 0) lifted = n + 1;
    }
    // With 20 losers and N winners in the window, the win rate N / (20 + N) reaches 35% at N = 11
    // (a poor performer needs both WR < 35% and avg R < 0.5).
    expect(lifted).toBe(11);
    expect(blocks.blocked()).toEqual([]);
    expect(blocks.periods()).toEqual([{ symbol: 'AAAUSDT', reason: expect.stringContaining('poor performance'), from: T0 + HOUR, to: expect.any(Number) }]);
    expect(records.map((r) => r.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^AAAUSDT BLOCKED: /), expect.stringMatching(/^AAAUSDT block lifted/)]));
    expect(tracker.snapshot().risk.losing_streak).toBe(20);
  });

  it('judges over the last N days when the profile says days', () => {
    const tracker = new RiskTracker({ performance_days: 7 });
    tracker.apply({ type: 'trade-closed', time: T0, symbol: 'AAAUSDT', pnl: -10, r_multiple: -1 });
    tracker.apply({ type: 'trade-closed', time: T0 + 5 * 24 * HOUR, symbol: 'AAAUSDT', pnl: 10, r_multiple: 1 });
    expect(tracker.snapshot().symbols.AAAUSDT).toMatchObject({ trades: 2 });
    tracker.advanceTo(T0 + 8 * 24 * HOUR);
    expect(tracker.snapshot().symbols.AAAUSDT).toMatchObject({ trades: 1, avg_r: 1 });
    const restored = RiskTracker.restore(JSON.parse(JSON.stringify(tracker.toJSON())));
    expect(restored.snapshot().symbols.AAAUSDT).toEqual(tracker.snapshot().symbols.AAAUSDT);
  });
});
