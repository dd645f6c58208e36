import { lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Candle } from '../../src/market/candle.js';
import { SyntheticMarket } from '../../src/market/candles/index.js';
import { PolicyEngine } from '../../src/policy/policy-engine.js';
import { PolicyStage, type Assessment } from '../../src/policy/policy-stage.js';
import type { AccountEvent } from '../../src/state/account-events.js';
import { MarketStateBuilder } from '../../src/state/index.js';
import { bundledEngine, bundledRuleSet } from '../support/rule-sets.js';
import { stateSettings } from '../../src/policy/classification/index.js';

/** One candle per instant: a single symbol, long enough for the reference symbol to warm up. */
let instants: Candle[][];
beforeAll(async () => {
  const candles = await lastValueFrom(new SyntheticMarket({ symbols: ['BTCUSDT'], phases: [{ regime: 'range', vol: 'normal', bars: 300 }] }).candles().pipe(toArray()));
  instants = candles.map((c) => [c]);
});

const timeOf = (i: number) => instants[i]![0]!.closeTime;

async function runUpTo(stage: PolicyStage, to: number, events: (time: number) => AccountEvent[] = () => []): Promise<Assessment[]> {
  const out: Assessment[] = [];
  for (let i = 0; i < to; i++) out.push(await stage.run({ time: timeOf(i), candles: instants[i]!, events: events(timeOf(i)) }));
  return out;
}

describe('PolicyStage: the state → policy stage shared by watch and the executor', () => {
  it('gives no state while the reference symbol warms up, then the policy the engine gives for each state', async () => {
    const engine = bundledEngine();
    const stage = new PolicyStage(new MarketStateBuilder({ settings: stateSettings(() => engine.ruleSet) }), { engine });
    const out = await runUpTo(stage, 300);
    const first = out.findIndex((a) => a.state !== undefined);
    expect(first).toBeGreaterThan(0);
    expect(out.slice(0, first).every((a) => a.evaluation === undefined)).toBe(true);
    for (const a of out.slice(first, first + 20)) expect(a.evaluation?.policy).toEqual((await engine.evaluate(a.state!)).policy);
    expect(await stage.assess()).toEqual({ state: out.at(-1)!.state, evaluation: expect.objectContaining({ policy: out.at(-1)!.evaluation!.policy }) });
  });

  it('folds the candles and the account events, then runs the circuit check, then reads the state', async () => {
    const engine = bundledEngine();
    const builder = new MarketStateBuilder({ settings: stateSettings(() => engine.ruleSet) });
    const seen: { time: number; view?: number; equity: number | null }[] = [];
    const stage = new PolicyStage(builder, { engine }, {
      beforeEvaluation: (time) => {
        seen.push({ time, ...(builder.market === undefined ? {} : { view: builder.market.time }), equity: builder.risk.snapshot().equity });
        if (time === timeOf(299)) builder.risk.latchDrawdown({ since: time, until: time + 3_600_000, daily_dd_pct: -0.05 });
      },
    });
    const out = await runUpTo(stage, 300, (time) => [{ type: 'equity', time, equity: 10_000 + (time % 7_919) / 100 }]);
    expect(seen.map((s) => s.time)).toEqual(instants.map((_, i) => timeOf(i)));
    for (const s of seen) expect(s.equity).toBe(10_000 + (s.time % 7_919) / 100);
    expect(seen.at(-1)!.view).toBe(timeOf(299));
    expect(out.at(-2)!.state!.risk.daily_dd_latched).toBeUndefined();
    expect(out.at(-1)!.state!.risk.daily_dd_latched).toBe(true);
  });

  it('reports an account event the risk state refuses, and goes on without it', async () => {
    const engine = bundledEngine();
    const refused: string[] = [];
    const stage = new PolicyStage(new MarketStateBuilder({ settings: stateSettings(() => engine.ruleSet) }), { engine }, { onRejected: (event, reason) => refused.push(`${event.type}: ${reason}`) });
    const out = await runUpTo(stage, 300, (time) => (time === timeOf(299) ? [{ type: 'quote', time, symbol: 'BTCUSDT', bid: 101.5, ask: 100.25 }] : []));
    expect(refused).toEqual([expect.stringMatching(/^quote: .*ask 100\.25 is below bid 101\.5$/)]);
    expect(out.at(-1)!.state!.symbols!.BTCUSDT!.spread_pct).toBeUndefined();
  });

  it('folds the input but evaluates nothing while told not to (the orchestrator off)', async () => {
    const engine = bundledEngine();
    let evaluates = false;
    const stage = new PolicyStage(new MarketStateBuilder({ settings: stateSettings(() => engine.ruleSet) }), { engine }, { evaluates: () => evaluates });
    const out = await runUpTo(stage, 300);
    expect(out.at(-1)!.state).toBeDefined();
    expect(out.every((a) => a.evaluation === undefined)).toBe(true);
    evaluates = true;
    expect((await stage.assess()).evaluation?.policy).toBeDefined();
  });

  it('evaluates with the engine in force at that moment (a hot reload applies from the next instant)', async () => {
    const source = { engine: bundledEngine() };
    const stage = new PolicyStage(new MarketStateBuilder({ settings: stateSettings(() => source.engine.ruleSet) }), source);
    const before = (await runUpTo(stage, 300)).at(-1)!.evaluation!.policy;
    source.engine = new PolicyEngine({ ...bundledRuleSet(), activeProfile: 'AGGRESSIVE' });
    const after = (await stage.assess()).evaluation!.policy;
    expect([before.profile, after.profile]).toEqual(['SAFE', 'AGGRESSIVE']);
  });
});
