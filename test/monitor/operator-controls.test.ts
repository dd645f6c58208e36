import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { statusCommand } from '../../src/cli/status-command.js';
import { PaperBroker } from '../../src/broker/paper/index.js';
import { Executor } from '../../src/execution/executor.js';
import { silentLogger } from '../../src/logger.js';
import type { Candle } from '../../src/market/candle.js';
import { OperatorControls } from '../../src/monitor/operator-controls.js';
import type { Signal } from '../../src/signals/signal.js';
import { MarketStateBuilder } from '../../src/state/index.js';
import { TradingStore, type ControlAction } from '../../src/store/index.js';
import { roomyLimitsEngine } from '../support/rule-sets.js';
import { candlesOf, HOUR, long, TEST_BROKER } from '../support/trading.js';
import { stateSettings } from '../../src/policy/classification/index.js';

const who = { by: 'http 127.0.0.1' };

describe('the operator\'s switches on the executor', () => {
  let store: TradingStore;
  let broker: PaperBroker;
  let executor: Executor;
  let controls: OperatorControls;
  let changes: ControlAction[];
  let bars: Candle[];

  const operator = () => new OperatorControls(store, () => ({ status: 'unchanged' }), silentLogger(), (a) => changes.push(a));
  /** The next 1h bar of BTCUSDT, its extremes and close as fractions of the last close. */
  const nextBar = (high: number, low: number, close: number): Candle => {
    const last = bars.at(-1)!;
    const p = last.close;
    const bar = { symbol: 'BTCUSDT', openTime: last.closeTime, closeTime: last.closeTime + HOUR, open: p, high: p * (1 + high), low: p * (1 - low), close: p * (1 + close), volume: 1 };
    bars.push(bar);
    return bar;
  };
  const step = (bar: Candle, signals: Signal[]) => executor.step({ time: bar.closeTime, candles: [bar], signals, fills: [...broker.onCandle(bar)] });

  beforeEach(async () => {
    // A steady uptrend in normal volatility: the policy's gate is open.
    bars = await candlesOf({ symbols: ['BTCUSDT'], phases: [{ regime: 'uptrend', vol: 'normal', bars: 200 }], start: '2024-01-01T00:00:00Z' });
    store = TradingStore.open(':memory:');
    changes = [];
    controls = operator();
    broker = new PaperBroker(TEST_BROKER);
    const engine = roomyLimitsEngine();
    executor = new Executor({ broker, policy: { engine }, builder: new MarketStateBuilder({ settings: stateSettings(() => engine.ruleSet) }), logger: silentLogger(), journal: store, paused: () => controls.paused() });
    for (const bar of bars) await executor.step({ time: bar.closeTime, candles: [bar], signals: [], fills: [...broker.onCandle(bar)] });
  });

  it('a pause blocks new entries (PAUSED_BY_OPERATOR) while the stop of an open position still fires; resuming lets entries in again', async () => {
    const t1 = nextBar(0.002, 0.001, 0.001);
    const opened = await step(t1, [long('BTCUSDT', t1.closeTime)]);
    expect(opened.controls.gate_open).toBe(true);
    expect(opened.positions).toHaveLength(1);

    const pause = controls.pause({ reason: 'FOMC in ten minutes', ...who });
    expect(pause).toMatchObject({ action: 'pause', status: 'done', reason: 'FOMC in ten minutes', requested_by: 'http 127.0.0.1' });
    expect(controls.paused()).toMatch(/^FOMC in ten minutes \(paused by http 127\.0\.0\.1 at \d{4}-/);
    expect(changes.map((c) => c.action)).toEqual(['pause']);

    // The bar falls through the stop: the stop fills although entries are paused; the new long is refused.
    const t2 = nextBar(0.001, 0.08, -0.05);
    const paused = await step(t2, [long('BTCUSDT', t2.closeTime)]);
    expect(paused.trades).toMatchObject([{ symbol: 'BTCUSDT', exit_reason: 'stop-loss' }]);
    expect(paused.decisions.filter((d) => d.action === 'blocked')).toMatchObject([{ symbol: 'BTCUSDT', reason: 'PAUSED_BY_OPERATOR', detail: { detail: controls.paused() } }]);
    expect(paused.positions).toEqual([]);
    // The policy's own gate stayed open: the pause is the operator's, recorded apart from the policy.
    expect(paused.controls.gate_open).toBe(true);

    controls.resume({ reason: 'calm again', ...who });
    expect(controls.paused()).toBeUndefined();
    const t3 = nextBar(0.002, 0.001, 0.001);
    expect((await step(t3, [long('BTCUSDT', t3.closeTime)])).positions).toHaveLength(1);
    expect(store.controls.recent(10).map((a) => a.action)).toEqual(['resume', 'pause']);
  });

  it('a pause survives a restart: it is read from the store', async () => {
    controls.pause({ reason: 'exchange maintenance', ...who });
    controls = operator(); // a new daemon on the same store
    expect(controls.paused()).toMatch(/^exchange maintenance/);
    const t1 = nextBar(0.002, 0.001, 0.001);
    const report = await step(t1, [long('BTCUSDT', t1.closeTime)]);
    expect(report.decisions.map((d) => d.reason)).toContain('PAUSED_BY_OPERATOR');
    expect(report.positions).toEqual([]);
  });

  it('a close is queued and run by the loop through the normal exit path, with its outcome recorded', async () => {
    const t1 = nextBar(0.002, 0.001, 0.001);
    const [position] = (await step(t1, [long('BTCUSDT', t1.closeTime)])).positions;
    const done = controls.close({ reason: 'taking profit by hand', ...who }, position!.id);
    expect(controls.waiting()).toBe(true);
    expect(store.controls.queued()).toMatchObject([{ action: 'close-position', target: position!.id, status: 'queued' }]);
    expect(store.openPositions()).toHaveLength(1); // nothing happens outside the loop

    await controls.run(executor, t1.closeTime + 60_000);
    const action = await done;
    expect(action).toMatchObject({ action: 'close-position', status: 'done', outcome: { closed: [{ position_id: position!.id, symbol: 'BTCUSDT' }] } });
    expect(store.openPositions()).toEqual([]);
    expect(store.trades()).toMatchObject([{ position_id: position!.id, exit_reason: 'manual' }]);
    expect(store.openOrders()).toEqual([]); // its stop and take-profits went with it
    expect(store.controls.recent(1)).toMatchObject([{ id: action.id, status: 'done', finished_at: expect.any(Number) }]);
    expect(controls.waiting()).toBe(false);
  });

  it('an action still queued when the daemon stops is abandoned, never carried out after a restart', async () => {
    void controls.close({ reason: 'flatten', ...who });
    controls = operator();
    expect(controls.waiting()).toBe(false);
    expect(store.controls.recent(1)).toMatchObject([{ action: 'close-all', status: 'abandoned' }]);
  });

  it('a rule reload runs in the loop and records what came of it', async () => {
    controls = new OperatorControls(store, () => ({ status: 'rejected', problems: ['rules/gates.yaml:3:1 bad'] }), silentLogger(), (a) => changes.push(a));
    const done = controls.reload({ reason: 'edited gates.yaml', ...who });
    await controls.run(executor, bars.at(-1)!.closeTime + 1000);
    expect(await done).toMatchObject({ action: 'reload-rules', status: 'failed', outcome: { status: 'rejected', problems: ['rules/gates.yaml:3:1 bad'] } });
  });

  it('`status --store` tells of a pause in force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qt-pause-'));
    try {
      const file = TradingStore.open(join(dir, 's.sqlite'));
      new OperatorControls(file, () => ({ status: 'unchanged' }), silentLogger(), () => {}).pause({ reason: 'wallet migration', ...who });
      file.close();
      const out: string[] = [];
      await statusCommand({ store: join(dir, 's.sqlite'), format: 'pretty' }, { out: (t) => out.push(t), err: () => {} });
      expect(out.join('\n')).toMatch(/new entries PAUSED by the operator since \d{4}-\d\d-\d\dT[\d:.]+Z \(http 127\.0\.0\.1\): wallet migration/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
