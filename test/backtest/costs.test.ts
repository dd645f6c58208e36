import { beforeAll, describe, expect, it } from 'vitest';
import { runBacktest, type BacktestResult } from '../../src/backtest/backtest.js';
import { silentLogger } from '../../src/logger.js';
import type { Candle } from '../../src/market/candle.js';
import type { SignalSource } from '../../src/signals/index.js';
import { roomyLimitsEngine } from '../support/rule-sets.js';
import { candlesOf, independentSymbols, scriptedSignals } from '../support/trading.js';

// Cost Metrics: "spreads" feed the symbol blocking, in backtests as in `run`; funding of perpetuals.
describe('costs measured in a backtest', () => {
  let candles: Candle[];
  let result: BacktestResult;
  beforeAll(async () => {
    candles = await candlesOf({ symbols: independentSymbols(['AAAUSDT', 'BBBUSDT', 'CCCUSDT']), bars: 600 });
    const engine = roomyLimitsEngine();
    const config = {
      ...engine.ruleSet.backtest,
      spread_pct: { default: 0.0002, symbols: { CCCUSDT: 0.003 } }, // CCC: 0.3%, above SAFE's 0.1% ceiling
      funding: { rate_per_8h: 0.0001 },
    };
    result = await runBacktest({
      candles,
      runs: [
        { id: 'on', label: 'on', engine, orchestrator: { enable_orchestrator: true } },
        { id: 'off', label: 'off', engine, orchestrator: { enable_orchestrator: false } },
      ],
      signals: (): SignalSource => ({ name: 'scripted', signalsAt: (t, c) => scriptedSignals(t, c) }),
      config,
      logger: silentLogger(),
    });
  }, 60_000);

  it('the spread rule fires on the measured spread: a symbol quoted 0.3% wide is blocked (block-wide-spread)', () => {
    const on = result.runs[0]!;
    const blocked = on.decisions.filter((d) => d.symbol === 'CCCUSDT' && d.reason === 'BLOCKED_BY_POLICY_FILTER');
    expect(blocked.length).toBeGreaterThan(0);
    expect(on.decisions.filter((d) => d.symbol === 'CCCUSDT' && d.action === 'opened')).toEqual([]);
    expect(on.decisions.some((d) => d.symbol === 'AAAUSDT' && d.action === 'opened')).toBe(true);
  });

  it('fills pay the spread: a 0.3%-wide symbol traded by the baseline fills 0.17% from the close (half spread + slippage)', () => {
    const off = result.runs[1]!;
    const opened = off.decisions.filter((d) => d.symbol === 'CCCUSDT' && d.action === 'opened');
    expect(opened.length).toBeGreaterThan(0);
    const closes = new Map(candles.filter((c) => c.symbol === 'CCCUSDT').map((c) => [c.closeTime, c.close]));
    for (const d of opened) {
      const detail = d.detail as { side: string; entry_price: number };
      const close = closes.get(d.time)!;
      expect(Math.abs(detail.entry_price / close - 1)).toBeCloseTo(0.0017, 4);
    }
  });

  it('funding is charged and shown in the results, per symbol', () => {
    for (const run of result.runs) {
      expect(run.funding.total).not.toBe(0);
      expect(Object.keys(run.funding.by_symbol).length).toBeGreaterThan(0);
      expect(run.funding.total).toBeCloseTo(Object.values(run.funding.by_symbol).reduce((a, b) => a + b, 0), 9);
    }
    expect(result.runs[0]!.fallbacks).toBe(0);
  });
});
