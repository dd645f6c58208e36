import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradingStore } from '../../src/store/index.js';
import { runCli, type CliResult } from '../support/cli.js';
import { RuleSetCopy } from '../support/rule-sets.js';
import { candlesOf } from '../support/trading.js';

const dir = mkdtempSync(join(tmpdir(), 'qt-backtest-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOMY_PROFILES = new RuleSetCopy().roomyLimits();
afterAll(() => ROOMY_PROFILES.remove());

const text = (out: string, file: string) => readFileSync(join(out, file), 'utf8');
const withoutClock = (out: string) => ({ ...JSON.parse(text(out, 'results.json')), generated_at: undefined });
function storeOf(out: string, run: string): unknown {
  const store = TradingStore.open(join(out, 'stores', `${run}.sqlite`), { readOnly: true });
  try {
    return { orders: store.orders(), trades: store.trades(), equity: store.equityCurve(), decisions: store.decisions(), cycles: store.cycles(), risk: store.loadRiskState(), venue: store.loadState('venue') };
  } finally {
    store.close();
  }
}

// The runs side by side in worker threads (each reading the candles as a stream of its own, the OFF run
// learning its warm-up end from ON as both go) give what the same runs give one after the other.
describe('quantum-trader backtest --workers', () => {
  const copy = new RuleSetCopy();
  const [inThread, inWorkers] = [join(dir, 'in-thread'), join(dir, 'in-workers')];
  let runs: CliResult[];
  beforeAll(async () => {
    copy.edit('rules/confidence.yaml', 'min_confidence: 0.45', 'min_confidence: 0.55');
    const args = ['backtest', '--symbols', 'BTCUSDT,ETHUSDT,SOLUSDT', '--bars', '600', '--vs-rules', copy.rulesDir, '--profiles', ROOMY_PROFILES.profilesDir, '--from', '2024-01-05'];
    runs = await Promise.all([runCli([...args, '--workers', '0', '--out', inThread]), runCli([...args, '--workers', '2', '--out', inWorkers])]);
  }, 120_000);
  afterAll(() => copy.remove());

  it('prints the same table and writes the same results, trades, report and stores as the runs in this process', () => {
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
    const table = (run: CliResult) => run.stdout.replace(/^report: .*$/m, '');
    expect(table(runs[1]!)).toBe(table(runs[0]!).replaceAll(inThread, inWorkers));
    expect(withoutClock(inWorkers)).toEqual(withoutClock(inThread));
    expect((withoutClock(inThread) as { runs: { metrics: { trades: number } }[] }).runs.some((r) => r.metrics.trades > 0)).toBe(true);
    expect(text(inWorkers, 'trades.csv')).toBe(text(inThread, 'trades.csv'));
    expect(text(inWorkers, 'report.html')).toBe(text(inThread, 'report.html'));
    for (const run of ['on', 'static', 'off', 'vs']) expect(storeOf(inWorkers, run)).toEqual(storeOf(inThread, run));
  });
});

// Signals known before the runs cross to the workers as a list: a --signals stream (stdin) and a
// RandomEntries schedule drawn from the whole data.
describe('quantum-trader backtest --workers with signals known before the runs', () => {
  it.each([['--signals', '-'], ['--strategy', 'random']])('%s %s: the same results side by side as one after the other', async (flag, value) => {
    const candles = await candlesOf({ bars: 600 });
    const times = [...new Set(candles.map((c) => c.closeTime))].filter((_, i) => i > 250 && i % 24 === 0);
    const input = times.map((t, i) => JSON.stringify({ symbol: 'BTCUSDT', side: i % 2 === 0 ? 'long' : 'exit', confidence: 0.8, timestamp: new Date(t).toISOString() })).join('\n');
    const outs = [join(dir, `${value}-0`), join(dir, `${value}-2`)] as const;
    const args = (workers: string, out: string) => ['backtest', '--symbols', 'BTCUSDT,ETHUSDT', '--bars', '600', flag, value, '--profiles', ROOMY_PROFILES.profilesDir, '--workers', workers, '--out', out];
    const runs = await Promise.all([runCli(args('0', outs[0]), { input }), runCli(args('2', outs[1]), { input })]);
    for (const run of runs) expect(run.status).toBe(0);
    expect(withoutClock(outs[1])).toEqual(withoutClock(outs[0]));
    expect(text(outs[1], 'trades.csv')).toBe(text(outs[0], 'trades.csv'));
    expect(text(outs[0], 'trades.csv').split('\n').filter(Boolean).length).toBeGreaterThan(1);
  }, 120_000);
});
