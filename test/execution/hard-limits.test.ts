import { describe, expect, it } from 'vitest';
import { controlsFor } from '../../src/execution/controls.js';
import { HardLimits, renderHardLimits, summarizeHardLimits } from '../../src/execution/hard-limits.js';
import { PolicyEngine, type RuleSet } from '../../src/policy/index.js';
import type { LocatedRule, OrchestratorConfigDoc, RiskProfileDoc } from '../../src/policy/rule-set.js';
import type { MarketState } from '../../src/state/index.js';
import { RiskTracker } from '../../src/state/risk/index.js';
import { captureLogger } from '../support/log-capture.js';
import { bundledRuleSet } from '../support/rule-sets.js';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2024, 2, 4);
const at = (hour: number) => DAY0 + hour * HOUR;
const ruleSet = bundledRuleSet();
const safe = ruleSet.profiles.get('SAFE')!;
const config = (overrides: Partial<OrchestratorConfigDoc> = {}): OrchestratorConfigDoc => ({ ...ruleSet.orchestrator, ...overrides });

/** A rule set whose evaluation throws (a rule reads a fact no state has), so the fallback policy applies. */
function brokenRuleSet(): RuleSet {
  const template = ruleSet.rules.find((r) => r.scope === 'market')!;
  const broken: LocatedRule = {
    ...template,
    spec: { name: 'reads-a-missing-fact', priority: 1, description: 'injected failure', conditions: { all: [{ fact: 'order_book', operator: 'equal', value: 'thin' }] }, event: { type: 'policy', params: { note: 'x' } } },
  };
  return { ...ruleSet, rules: [...ruleSet.rules, broken] };
}

/** One executor cycle's control path: latch, evaluate, controls, hard limits. */
async function cycle(parts: { engine: PolicyEngine; limits: HardLimits; tracker: RiskTracker; time: number; equity?: number; volatility?: MarketState['volatility']; profile?: RiskProfileDoc; cfg?: OrchestratorConfigDoc; open_positions?: number; exposure_pct?: number }) {
  const { engine, limits, tracker, time } = parts;
  const profile = parts.profile ?? safe;
  const cfg = parts.cfg ?? config();
  tracker.advanceTo(time);
  if (parts.equity !== undefined) tracker.apply({ type: 'equity', time, equity: parts.equity });
  limits.observe(time, profile, cfg);
  const risk = tracker.snapshot().risk;
  const state: MarketState = { regime: 'TRENDING_UP', volatility: parts.volatility ?? 'NORMAL', risk: { ...risk, open_positions: parts.open_positions ?? risk.open_positions, exposure_pct: parts.exposure_pct ?? risk.exposure_pct } };
  const evaluation = await engine.evaluate(state, profile.name);
  const controls = limits.apply(controlsFor(evaluation.policy, profile, cfg, engine.ruleSet.exitModes), { time, profile, config: cfg, ruleSet: engine.ruleSet, evaluation, state });
  return { ...controls, evaluation, risk };
}

function setup(rules: RuleSet = ruleSet) {
  const { logger, records } = captureLogger();
  const tracker = new RiskTracker();
  const limits = new HardLimits(tracker, logger);
  return { engine: new PolicyEngine(rules), tracker, limits, records };
}

describe('Daily DD circuit (Trade Shutdown Gates: "Session shutdown", recovery "Next trading day")', () => {
  it('trading stops for the rest of the day: -3% at 09:00 closes the gate, back at -2% at 11:00 it stays closed', async () => {
    const rig = setup();
    await cycle({ ...rig, time: at(0), equity: 10_000 });
    const hit = await cycle({ ...rig, time: at(9), equity: 9_700 });
    expect(hit.enforced.gate_open).toBe(false);
    expect(hit.evaluation.policy.decided_by.allow_new_trades).toContain('gate-daily-drawdown');
    const recovered = await cycle({ ...rig, time: at(11), equity: 9_800 });
    expect(recovered.risk).toMatchObject({ daily_dd_pct: expect.closeTo(-0.02, 12), daily_dd_latched: true });
    expect(recovered.enforced.gate_open).toBe(false);
    expect(recovered.evaluation.policy).toMatchObject({ allow_new_trades: false, risk_profile: 'NO_NEW_TRADES' });
    expect(recovered.evaluation.policy.decided_by.allow_new_trades).toEqual(['gate-daily-drawdown-latched']);
    expect(rig.tracker.drawdownLatch).toEqual({ since: at(9), until: at(24), daily_dd_pct: expect.closeTo(-0.03, 12) });
  });

  it('recovers next trading day: the first close after the day roll reopens the gate', async () => {
    const rig = setup();
    await cycle({ ...rig, time: at(0), equity: 10_000 });
    await cycle({ ...rig, time: at(9), equity: 9_700 });
    expect((await cycle({ ...rig, time: at(23), equity: 9_900 })).enforced.gate_open).toBe(false);
    const nextDay = await cycle({ ...rig, time: at(24), equity: 9_900 });
    expect(nextDay.risk.daily_dd_latched).toBeUndefined();
    expect(nextDay.enforced.gate_open).toBe(true);
    expect(rig.records.map((r) => r.msg)).toContain('trading gate OPEN again: new trades allowed');
  });

  it('latches for the hours a profile sets in circuit_breakers.daily_dd_latch', async () => {
    const rig = setup();
    const fourHours: RiskProfileDoc = { ...safe, circuit_breakers: { ...safe.circuit_breakers, daily_dd_latch: 4 } };
    await cycle({ ...rig, profile: fourHours, time: at(0), equity: 10_000 });
    await cycle({ ...rig, profile: fourHours, time: at(9), equity: 9_700 });
    expect((await cycle({ ...rig, profile: fourHours, time: at(12), equity: 9_800 })).enforced.gate_open).toBe(false);
    expect((await cycle({ ...rig, profile: fourHours, time: at(13), equity: 9_800 })).enforced.gate_open).toBe(true);
  });

  it('survives a restart: the latch is part of the risk checkpoint', async () => {
    const rig = setup();
    await cycle({ ...rig, time: at(0), equity: 10_000 });
    await cycle({ ...rig, time: at(9), equity: 9_700 });
    const restored = RiskTracker.restore(JSON.parse(JSON.stringify(rig.tracker.toJSON())));
    expect(restored.drawdownLatch).toEqual(rig.tracker.drawdownLatch);
    const again = { ...rig, tracker: restored, limits: new HardLimits(restored, captureLogger().logger) };
    expect((await cycle({ ...again, time: at(11), equity: 9_800 })).enforced.gate_open).toBe(false);
    expect((await cycle({ ...again, time: at(24), equity: 9_800 })).enforced.gate_open).toBe(true);
  });
});

describe('hard limits outside the rules engine (GlobalRiskController)', () => {
  it('Fallback: "Orchestrator failed … using SAFE FALLBACK", logged at warn level with the reason, and counted', async () => {
    const rig = setup(brokenRuleSet());
    const result = await cycle({ ...rig, time: at(1), equity: 10_000 });
    expect(result.evaluation.policy.risk_profile).toBe('FALLBACK');
    const warning = rig.records.find((r) => String(r.msg).startsWith('Orchestrator failed'));
    expect(warning).toMatchObject({ level: 40, reason: expect.stringMatching(/order_book/) });
    expect(String(warning!.msg)).toMatch(/^Orchestrator failed \(.*order_book.*\): using SAFE FALLBACK policy$/);
    expect(rig.limits.fallbacks).toBe(1);
  });

  it('EXTREME volatility closes the gate under the fallback policy too', async () => {
    const rig = setup(brokenRuleSet());
    const calm = await cycle({ ...rig, time: at(1), equity: 10_000 });
    expect(calm.evaluation.policy).toMatchObject({ risk_profile: 'FALLBACK', allow_new_trades: true });
    expect(calm.enforced.gate_open).toBe(true);
    const extreme = await cycle({ ...rig, time: at(2), volatility: 'EXTREME' });
    expect(extreme.evaluation.policy).toMatchObject({ risk_profile: 'FALLBACK', allow_new_trades: true });
    expect(extreme).toMatchObject({ enforced: { gate_open: false }, stops: ['EXTREME volatility'] });
  });

  it('the daily-drawdown latch holds under the fallback policy too', async () => {
    const rig = setup(brokenRuleSet());
    await cycle({ ...rig, time: at(0), equity: 10_000 });
    const hit = await cycle({ ...rig, time: at(9), equity: 9_700 });
    expect(hit).toMatchObject({ enforced: { gate_open: false }, stops: ['daily drawdown circuit tripped'] });
    expect((await cycle({ ...rig, time: at(11), equity: 10_100 })).enforced.gate_open).toBe(false);
  });

  it('position count and exposure caps stay enforced under the fallback policy', async () => {
    const rig = setup(brokenRuleSet());
    const result = await cycle({ ...rig, time: at(1), equity: 10_000 });
    expect(result.enforced).toMatchObject({ source: 'policy', enforce_position_limits: true });
  });

  it('logs "TRADE SHUTDOWN ACTIVE" once on each transition of the gate to closed, with the reason', async () => {
    const rig = setup();
    await cycle({ ...rig, time: at(1), equity: 10_000 });
    await cycle({ ...rig, time: at(2), volatility: 'EXTREME' });
    await cycle({ ...rig, time: at(3), volatility: 'EXTREME' });
    await cycle({ ...rig, time: at(4) });
    await cycle({ ...rig, time: at(5), volatility: 'EXTREME' });
    const shutdowns = rig.records.filter((r) => String(r.msg).startsWith('🚨 TRADE SHUTDOWN ACTIVE'));
    expect(shutdowns.map((r) => r.msg)).toEqual(['🚨 TRADE SHUTDOWN ACTIVE: EXTREME volatility: trade shutdown', '🚨 TRADE SHUTDOWN ACTIVE: EXTREME volatility: trade shutdown']);
  });

  it('says "FULL LIVE MODE - Policy ENFORCED" at start-up when every switch is on, and otherwise which mode it is in', () => {
    const { logger, records } = captureLogger();
    const limits = new HardLimits(new RiskTracker(), logger);
    limits.announce(config());
    limits.announce(config({ mode: 'OBSERVE' }));
    limits.announce(config({ use_for_exit_mode: false }));
    expect(records.map((r) => r.msg)).toEqual(['FULL LIVE MODE - Policy ENFORCED', 'OBSERVE MODE - policy computed and recorded, not enforced', 'LIVE MODE - Policy ENFORCED on the switched-on controls only']);
  });

  it('use_for_position_limits: false turns off the position-count and exposure gates too', async () => {
    const rig = setup();
    const full = await cycle({ ...rig, time: at(1), equity: 10_000, open_positions: 5, exposure_pct: 0.2 });
    expect([...full.evaluation.policy.decided_by.allow_new_trades].sort()).toEqual(['gate-max-positions', 'gate-total-exposure']);
    expect(full.enforced.gate_open).toBe(false);
    const off = config({ use_for_position_limits: false });
    const limitsOff = await cycle({ ...rig, cfg: off, time: at(2), open_positions: 5, exposure_pct: 0.2 });
    expect(limitsOff.enforced).toMatchObject({ gate_open: true, enforce_position_limits: false });
    // …but not the other gates.
    const extreme = await cycle({ ...rig, cfg: off, time: at(3), open_positions: 5, volatility: 'EXTREME' });
    expect(extreme.enforced.gate_open).toBe(false);
  });

  it('changes nothing with the orchestrator off (the pre-orchestrator baseline)', async () => {
    const rig = setup();
    const off = config({ enable_orchestrator: false });
    await cycle({ ...rig, cfg: off, time: at(0), equity: 10_000 });
    const result = await cycle({ ...rig, cfg: off, time: at(9), equity: 9_700, volatility: 'EXTREME' });
    expect(result.enforced.gate_open).toBe(true);
    expect(rig.tracker.drawdownLatch).toBeNull();
  });
});

describe('explain shows the hard limits', () => {
  it('the latched drawdown, the exposure basis with the margin in use beside it, and whether the policy is the fallback', async () => {
    const state: MarketState = { regime: 'SIDEWAYS', volatility: 'HIGH', risk: { daily_dd_pct: -0.012, open_positions: 4, exposure_pct: 0.08, losing_streak: 0, daily_dd_latched: true } };
    const summary = summarizeHardLimits(state, await new PolicyEngine(ruleSet).evaluate(state), config());
    expect(summary).toMatchObject({ gate_open: false, daily_dd_latched: true, exposure_basis: 'notional', exposure_pct: 0.08, margin_pct: expect.closeTo(0.004, 12), fallback: false });
    const text = renderHardLimits(summary);
    expect(text).toContain('daily drawdown   -1.20% (limit -2.50%), circuit LATCHED: no new trades for the rest of the trading day');
    expect(text).toContain('exposure         8.00% of equity on the notional basis (caps 5.00% per symbol, 10.00% in total); margin in use 0.40%');
    const broken = summarizeHardLimits({ ...state, risk: { ...state.risk, daily_dd_latched: false } }, await new PolicyEngine(brokenRuleSet()).evaluate(state), config());
    expect(renderHardLimits(broken)).toContain('FALLBACK (evaluation failed); the hard limits still hold');
  });
});
