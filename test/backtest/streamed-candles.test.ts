import { describe, expect, it } from 'vitest';
import { runBacktest, type BacktestOptions } from '../../src/backtest/backtest.js';
import { SyntheticMarket } from '../../src/market/candles/index.js';
import { mergeCandles, mergeSorted } from '../../src/market/candles/source.js';
import { silentLogger } from '../../src/logger.js';
import { ReferenceStrategy } from '../../src/signals/index.js';
import { bundledEngine } from '../support/rule-sets.js';

describe('a backtest over streamed candles (generated as read, never held)', () => {
  it('streams the synthetic market in the order, and with the values, of its array', () => {
    const market = new SyntheticMarket({ symbols: ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'NEWUSDT'], timeframe: '15m', bars: 600, seed: 'stream' });
    const stream = market.stream();
    expect([...stream]).toEqual(market.toArray());
    expect([...stream]).toEqual(market.toArray()); // each iteration starts again
    const series = ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'NEWUSDT'].map((s) => market.series(s));
    expect([...mergeSorted([series[2]!, [], series[0]!, series[3]!, series[1]!])]).toEqual(mergeCandles(series));
  });

  it('gives the results of the same candles passed as an array', async () => {
    const market = new SyntheticMarket({ symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], timeframe: '1h', bars: 600 });
    const engine = bundledEngine();
    const options = (candles: BacktestOptions['candles']): BacktestOptions => ({
      candles, signals: () => new ReferenceStrategy(() => engine.ruleSet.strategy), logger: silentLogger(),
      runs: [{ id: 'on', label: 'ON', engine, orchestrator: { enable_orchestrator: true } }, { id: 'off', label: 'OFF', engine, orchestrator: { enable_orchestrator: false } }],
    });
    const fromArray = await runBacktest(options(market.toArray()));
    const fromStream = await runBacktest(options(market.stream()));
    expect(fromArray.runs[1]!.trades.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(fromStream))).toEqual(JSON.parse(JSON.stringify(fromArray)));
  });
});
