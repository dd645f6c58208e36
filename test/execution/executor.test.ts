import { beforeAll, describe, expect, it } from 'vitest';
import type { ClosedTrade } from '../../src/broker/model.js';
import type { CycleReport } from '../../src/execution/executor.js';
import type { DecisionRecord } from '../../src/execution/journal.js';
import type { Candle } from '../../src/market/candle.js';
import { RuleSetCopy } from '../support/rule-sets.js';
import { candlesOf, independentSymbols, long, rig, scriptedSignals } from '../support/trading.js';

const NAMES = ['AAAUSDT', 'BBBUSDT', 'CCCUSDT', 'DDDUSDT', 'EEEUSDT', 'FFFUSDT'];
const decisionsOf = (cycles: readonly CycleReport[], time?: number): DecisionRecord[] => cycles.filter((c) => time === undefined || c.time === time).flatMap((c) => c.decisions);

// Six daily-bar symbols moving mostly on their own, in a quiet range: the gate is open, FAST_TP, SAFE stance.
describe('executor controls on one cycle (SAFE, six quiet symbols)', () => {
  let candles: Candle[];
  let at: number;
  beforeAll(async () => {
    candles = await candlesOf({ symbols: independentSymbols(NAMES), timeframe: '1d', phases: [{ regime: 'range', vol: 'normal', bars: 300 }] });
    at = candles[200 * NAMES.length]!.closeTime;
  });

  it('the policy at the chosen instant lets trades through', async () => {
    const { cycles } = await rig(candles).run(() => []);
    expect(cycles.find((c) => c.time === at)!.policy).toMatchObject({ allow_new_trades: true, exit_mode: 'FAST_TP', risk_profile: 'SAFE', min_confidence: 0.45 });
  });

  it('blocks a signal under min_confidence, with the design’s reason', async () => {
    const { cycles } = await rig(candles).run((t) => (t === at ? [long('AAAUSDT', t, 0.4), long('BBBUSDT', t, 0.46)] : []));
    const decisions = decisionsOf(cycles, at);
    expect(decisions.find((d) => d.symbol === 'AAAUSDT')).toMatchObject({ action: 'blocked', reason: 'BLOCKED_BY_CONFIDENCE', mode: 'LIVE', detail: { detail: 'confidence 0.40 < min_confidence 0.45' } });
    expect(decisions.find((d) => d.symbol === 'BBBUSDT')).toMatchObject({ action: 'opened' });
  });

  it('blocks a symbol a trader disallowed in YAML', async () => {
    const copy = new RuleSetCopy().roomyLimits();
    try {
      copy.write('rules/blocklist.yaml', [
        'apiVersion: quantum-trader/v1', 'kind: PolicyRules', 'version: 1.0.0', 'scope: market', 'rules:',
        '  - name: block-ccc', '    priority: 10', '    description: CCC is being delisted.',
        '    conditions:', '      all:', '        - fact: risk', '          path: $.open_positions', '          operator: greaterThanInclusive', '          value: 0',
        '    event:', '      type: policy', '      params:', '        disallowed_symbols: [CCCUSDT]', '',
      ].join('\n'));
      const { cycles } = await rig(candles, { engine: copy.engine() }).run((t) => (t === at ? [long('CCCUSDT', t), long('AAAUSDT', t, 0.8)] : []));
      const decisions = decisionsOf(cycles, at);
      expect(decisions.find((d) => d.symbol === 'CCCUSDT')).toMatchObject({ action: 'blocked', reason: 'BLOCKED_BY_POLICY_FILTER', detail: { detail: 'CCCUSDT is in disallowed_symbols' } });
      expect(decisions.find((d) => d.symbol === 'AAAUSDT')).toMatchObject({ action: 'opened' });
    } finally {
      copy.remove();
    }
  });

  it('refuses the sixth position under SAFE, then closes the gate while five are open', async () => {
    const next = at + 86_400_000;
    const { cycles } = await rig(candles).run((t) =>
      t === at ? NAMES.map((n, i) => long(n, t, 0.9 - i * 0.01)) : t === next ? [long('FFFUSDT', t, 0.95)] : [],
    );
    const decisions = decisionsOf(cycles, at);
    expect(decisions.filter((d) => d.action === 'opened').map((d) => d.symbol)).toEqual(NAMES.slice(0, 5));
    expect(decisions.find((d) => d.symbol === 'FFFUSDT')).toMatchObject({ action: 'blocked', reason: 'BLOCKED_BY_MAX_POSITIONS', detail: { detail: '5/5 positions open' } });
    const following = cycles.find((c) => c.time === next)!;
    if (following.positions.length === 5) {
      expect(following.policy).toMatchObject({ allow_new_trades: false });
      expect(following.policy!.decided_by.allow_new_trades).toContain('gate-max-positions');
      expect(decisionsOf(cycles, next).find((d) => d.symbol === 'FFFUSDT')).toMatchObject({ action: 'blocked', reason: 'TRADE SHUTDOWN ACTIVE' });
    }
  });

  it('sizes positions down under the REDUCED stance after a losing streak (×0.7 of the policy’s risk)', async () => {
    const normal = await rig(candles).run((t) => (t === at ? [long('AAAUSDT', t)] : []));
    const streak = rig(candles);
    const reduced = await streak.run((t) => {
      if (t !== at) return [];
      for (let i = 0; i < 3; i++) streak.builder.onAccount({ type: 'trade-closed', time: t, symbol: 'BBBUSDT', pnl: -50, r_multiple: -1 });
      return [long('AAAUSDT', t)];
    });
    const before = decisionsOf(normal.cycles, at).find((d) => d.action === 'opened')!.detail as Record<string, number | string>;
    const after = decisionsOf(reduced.cycles, at).find((d) => d.action === 'opened')!.detail as Record<string, number | string>;
    const policy = reduced.cycles.find((c) => c.time === at)!.policy!;
    expect(policy.risk_profile).toBe('REDUCED');
    expect(after.stance).toBe('REDUCED');
    expect(after.risk_pct).toBeCloseTo(policy.max_risk_pct * 0.7, 12);
    expect(before.risk_pct).toBe(0.01);
    expect(after.quantity as number).toBeLessThan(before.quantity as number);
  });
});

// The default synthetic market (5 symbols, 105 days of 1h bars, every regime) with a long and a short
// signal per symbol every 12 hours: enough trades for every control to act.
describe('executor over the synthetic market', () => {
  let candles: Candle[];
  const signals = scriptedSignals;
  let live: { cycles: CycleReport[]; trades: ClosedTrade[] };
  beforeAll(async () => {
    candles = await candlesOf({});
    live = await rig(candles).run(signals);
  });

  it('trades, and every trade has an exit reason and a PnL consistent with its R', () => {
    expect(live.trades.length).toBeGreaterThan(50);
    for (const t of live.trades) {
      expect(['stop-loss', 'trailing-stop', 'take-profit', 'exit-signal', 'end-of-data']).toContain(t.exit_reason);
      expect(Math.sign(t.r_multiple)).toBe(Math.sign(t.pnl));
    }
  });

  it('switches the exit mode of open positions with the regime, never loosening their stops', () => {
    const changes = decisionsOf(live.cycles).filter((d) => d.action === 'exit-mode-changed');
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((d) => d.reason)).size).toBeGreaterThan(2);
    const positions = new Map(decisionsOf(live.cycles).filter((d) => d.action === 'opened').map((d) => [(d.detail as { position_id: string }).position_id, d.detail as { side: string }]));
    for (const change of changes) {
      const detail = change.detail as { position_id: string; stop_price: [number, number]; take_profit_price: [number, number] };
      const isLong = positions.get(detail.position_id)!.side === 'long';
      const [oldStop, newStop] = detail.stop_price;
      const [oldTp, newTp] = detail.take_profit_price;
      expect(isLong ? newStop >= oldStop : newStop <= oldStop).toBe(true);
      expect(isLong ? newTp <= oldTp : newTp >= oldTp).toBe(true);
    }
  });

  it('closes the gate (no entries, TRADE SHUTDOWN ACTIVE) and reopens it, while open positions keep being managed', () => {
    const closed = live.cycles.filter((c) => c.policy !== undefined && !c.policy.allow_new_trades);
    expect(closed.length).toBeGreaterThan(0);
    const inClosed = closed.flatMap((c) => c.decisions);
    expect(inClosed.some((d) => d.action === 'opened')).toBe(false);
    expect(inClosed.some((d) => d.action === 'blocked' && d.reason === 'TRADE SHUTDOWN ACTIVE')).toBe(true);
    // Monitoring, TP/SL, exits and PnL go on with the gate closed.
    expect(inClosed.some((d) => d.action === 'closed' || d.action === 'exit-mode-changed' || d.action === 'reduced')).toBe(true);
    const lastClosed = closed.at(-1)!.time;
    expect(live.cycles.some((c) => c.time > lastClosed && c.decisions.some((d) => d.action === 'opened'))).toBe(true);
  });

  it('OBSERVE trades exactly like OFF while recording what the policy would have done', async () => {
    const observe = await rig(candles, { orchestrator: { mode: 'OBSERVE' } }).run(signals);
    const off = await rig(candles, { orchestrator: { enable_orchestrator: false } }).run(signals);
    expect(observe.trades).toEqual(off.trades);
    expect(observe.cycles.every((c) => c.mode === 'OBSERVE')).toBe(true);
    expect(off.cycles.every((c) => c.mode === 'OFF' && c.policy === undefined)).toBe(true);
    const entries = decisionsOf(observe.cycles).filter((d) => d.action === 'opened' || d.action === 'blocked');
    expect(entries.every((d) => (d.detail as { would?: unknown }).would !== undefined)).toBe(true);
    expect(entries.some((d) => d.action === 'opened' && (d.detail as { would: { action: string } }).would.action === 'blocked')).toBe(true);
    expect(observe.cycles.filter((c) => c.policy !== undefined).length).toBeGreaterThan(observe.cycles.length * 0.9);
    // And the policy does change trading when it is enforced.
    expect(live.trades).not.toEqual(off.trades);
  });
});
