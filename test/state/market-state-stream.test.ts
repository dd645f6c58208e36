import { from, lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SyntheticMarket } from '../../src/market/candles/index.js';
import type { Candle } from '../../src/market/candle.js';
import { silentLogger } from '../../src/logger.js';
import { assessments, PolicyStage } from '../../src/policy/policy-stage.js';
import { policyDecisions, type PolicyDecision } from '../../src/policy/policy-stream.js';
import type { EquityMark } from '../../src/state/account-events.js';
import { MarketStateBuilder, marketInstants, type MarketInput } from '../../src/state/index.js';
import { bundledEngine, bundledRuleSet } from '../support/rule-sets.js';
import { stateSettings } from '../../src/policy/classification/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function replay(inputs: readonly MarketInput[], engine = bundledEngine()): Promise<PolicyDecision[]> {
  const builder = new MarketStateBuilder({ settings: stateSettings(() => engine.ruleSet) });
  return lastValueFrom(from(inputs).pipe(marketInstants(), assessments(new PolicyStage(builder, { engine })), policyDecisions(silentLogger()), toArray()));
}

/** Merges candles and account events the way a live feed delivers them: in time order, candles first at a tie. */
function timeline(candles: readonly Candle[], events: readonly EquityMark[]): MarketInput[] {
  const items: MarketInput[] = [...candles, ...events];
  const time = (i: MarketInput) => ('closeTime' in i ? i.closeTime : i.time);
  return items.sort((a, b) => time(a) - time(b) || ('closeTime' in a ? -1 : 1) - ('closeTime' in b ? -1 : 1));
}

/** Consecutive distinct values, e.g. the exit modes in the order the policy went through them. */
function runs<T>(values: readonly T[]): T[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

describe('market state stream over the synthetic market (candles → indicators → classification → policy)', () => {
  const market = new SyntheticMarket();
  let decisions: PolicyDecision[];
  beforeAll(async () => {
    decisions = await replay(await lastValueFrom(market.candles().pipe(toArray())));
  });

  const phaseAt = (time: number) => market.schedule.find((p) => time > p.fromTime && time <= p.toTime)!;
  const timeOf = (d: PolicyDecision) => d.state.timestamp as number;

  it('evaluates once per candle close after the indicators warm up', () => {
    expect(decisions.length).toBeGreaterThan(market.bars * 0.9);
    expect(decisions.length).toBeLessThanOrEqual(market.bars);
    const times = decisions.map(timeOf);
    expect(new Set(times).size).toBe(times.length);
  });

  it('goes TREND_FOLLOW → FAST_TP → DEFENSIVE_TRAIL and back to TREND_FOLLOW', () => {
    const modes = runs(decisions.map((d) => d.policy.exit_mode)).join(' ');
    expect(modes).toMatch(/TREND_FOLLOW FAST_TP DEFENSIVE_TRAIL( FAST_TP)* TREND_FOLLOW/);
  });

  it('derives every regime and every volatility level from the candles', () => {
    expect(new Set(decisions.map((d) => d.state.regime))).toEqual(new Set(['TRENDING_UP', 'TRENDING_DOWN', 'SIDEWAYS', 'CHOPPY']));
    expect(new Set(decisions.map((d) => d.state.volatility))).toEqual(new Set(['LOW', 'NORMAL', 'HIGH', 'EXTREME']));
  });

  it('follows the known story: trends are mostly called trends, the crash is EXTREME, calm phases never are', () => {
    const share = (truth: (time: number) => boolean, called: (d: PolicyDecision) => boolean) => {
      const inPhase = decisions.filter((d) => truth(timeOf(d)));
      return inPhase.filter(called).length / inPhase.length;
    };
    expect(share((t) => phaseAt(t).regime === 'uptrend', (d) => d.state.regime === 'TRENDING_UP')).toBeGreaterThan(0.6);
    expect(share((t) => phaseAt(t).regime === 'downtrend', (d) => d.state.regime === 'TRENDING_DOWN')).toBeGreaterThan(0.6);
    expect(share((t) => phaseAt(t).vol === 'extreme', (d) => d.state.volatility === 'EXTREME')).toBeGreaterThan(0.6);
    expect(share((t) => phaseAt(t).vol === 'low', (d) => d.state.volatility === 'EXTREME')).toBe(0);
  });

  it('closes the gate on EXTREME volatility and re-opens it when volatility falls back', () => {
    const gate = decisions.map((d) => d.policy.allow_new_trades);
    const closedOnExtreme = decisions.filter((d) => !d.policy.allow_new_trades && d.policy.decided_by.allow_new_trades.includes('gate-extreme-volatility'));
    expect(closedOnExtreme.length).toBeGreaterThan(0);
    expect(closedOnExtreme.every((d) => d.state.volatility === 'EXTREME' && d.policy.exit_mode === 'DEFENSIVE_TRAIL')).toBe(true);
    const crash = market.schedule.find((p) => p.crash)!;
    expect(decisions.some((d) => timeOf(d) > crash.fromTime && timeOf(d) <= crash.toTime + 2 * HOUR && !d.policy.allow_new_trades)).toBe(true);
    expect(runs(gate).length).toBeGreaterThan(2);
    expect(gate.at(-1)).toBe(true);
  });

  it('gives each symbol its own classes and takes the market’s from the reference symbol (BTCUSDT)', () => {
    const last = decisions.at(-1)!.state;
    expect(Object.keys(last.symbols ?? {}).sort()).toEqual([...market.symbols].sort());
    expect(last.regime).toBe(last.symbols!.BTCUSDT!.regime);
    expect(last.volatility).toBe(last.symbols!.BTCUSDT!.volatility);
    expect(last.symbols!.ETHUSDT).toMatchObject({ trades: 0, win_rate: 0, avg_r: 0 });
  });

  it('is deterministic: the same candles give the same decisions', async () => {
    const again = await replay(await lastValueFrom(new SyntheticMarket().candles().pipe(toArray())));
    expect(again.map((d) => [d.state.regime, d.state.volatility, d.policy.exit_mode, d.policy.allow_new_trades])).toEqual(
      decisions.map((d) => [d.state.regime, d.state.volatility, d.policy.exit_mode, d.policy.allow_new_trades]),
    );
  });
});

describe('market-level classes', () => {
  it('uses market.reference_symbol, and with volatility_aggregate: max the most volatile symbol', async () => {
    const base = bundledRuleSet();
    const candles = await lastValueFrom(new SyntheticMarket({ bars: 600 }).candles().pipe(toArray()));
    const withMarket = (market: object) => ({ ...base, manifest: { ...base.manifest, market: { ...base.manifest.market, ...market } } });
    const viewsOf = async (ruleSet: typeof base) => {
      const builder = new MarketStateBuilder({ settings: stateSettings(() => ruleSet) });
      const views = [];
      for (let i = 0; i < candles.length; ) {
        const time = candles[i]!.closeTime;
        const batch = [];
        while (i < candles.length && candles[i]!.closeTime === time) batch.push(candles[i++]!);
        const view = await builder.onCandles(batch);
        if (view) views.push(view);
      }
      return views;
    };
    const eth = await viewsOf(withMarket({ reference_symbol: 'ETHUSDT' }));
    expect(eth.every((v) => v.reference === 'ETHUSDT' && v.regime === v.symbols.ETHUSDT!.regime)).toBe(true);
    const max = await viewsOf(withMarket({ volatility_aggregate: 'max' }));
    const order = ['LOW', 'NORMAL', 'HIGH', 'EXTREME'];
    for (const v of max) {
      expect(order.indexOf(v.volatility)).toBe(Math.max(...Object.values(v.symbols).map((s) => order.indexOf(s.volatility))));
      expect(v.regime).toBe(v.symbols.BTCUSDT!.regime);
    }
    expect(max.filter((v) => v.volatility === 'EXTREME').length).toBeGreaterThan(eth.filter((v) => v.volatility === 'EXTREME').length);
  });
});

describe('daily drawdown gate on a calm market', () => {
  // A quiet range throughout: the volatility gate never fires, so every gate change below is the drawdown's.
  const market = new SyntheticMarket({ symbols: ['BTCUSDT'], phases: [{ regime: 'range', vol: 'low', bars: 24 * 14 }] });
  const day = market.start + 10 * DAY; // a trading day well after the indicators warmed up (UTC midnight start)
  const equity = (time: number, value: number): EquityMark => ({ type: 'equity', time, equity: value });

  it('closes on the limit, re-opens on recovery, and re-opens with the next trading day', async () => {
    const candles = await lastValueFrom(market.candles().pipe(toArray()));
    const events = [
      equity(day - 12 * HOUR, 10_000), // the day starts from the last equity known at midnight
      equity(day + 6 * HOUR, 9_740), // -2.60%: beyond SAFE's -2.5%
      equity(day + 10 * HOUR, 9_900), // -1.00%: recovered
      equity(day + 14 * HOUR, 9_700), // -3.00%: hit again, and it stays there until midnight
    ];
    const decisions = await replay(timeline(candles, events));
    const at = (time: number) => decisions.find((d) => d.state.timestamp === time)!;
    expect(decisions.filter((d) => d.state.volatility === 'EXTREME')).toEqual([]);

    expect(at(day + 5 * HOUR).policy.allow_new_trades).toBe(true);
    expect(at(day + 6 * HOUR).policy).toMatchObject({ allow_new_trades: false, risk_profile: 'NO_NEW_TRADES', exit_mode: 'FAST_TP' });
    expect(at(day + 6 * HOUR).policy.note).toContain('Daily DD limit hit (-2.60%)');
    expect(at(day + 6 * HOUR).policy.decided_by.allow_new_trades).toContain('gate-daily-drawdown');
    expect(at(day + 9 * HOUR).policy.allow_new_trades).toBe(false);
    expect(at(day + 10 * HOUR).policy.allow_new_trades).toBe(true);
    expect(at(day + 14 * HOUR).policy.allow_new_trades).toBe(false);
    expect(at(day + 23 * HOUR).policy.allow_new_trades).toBe(false);
    // No account event at midnight: the candle close starts the new day, whose baseline is 9,700.
    expect(at(day + DAY).state.risk.daily_dd_pct).toBe(0);
    expect(at(day + DAY).policy.allow_new_trades).toBe(true);
  });
});
