import { firstValueFrom, from, Subject, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveRuleSet } from '../../src/policy/hot-reload.js';
import { evaluatePolicy, type PolicyDecision } from '../../src/policy/policy-stream.js';
import type { MarketState } from '../../src/state/index.js';
import { captureLogger } from '../support/log-capture.js';
import { bundledEngine, RuleSetCopy } from '../support/rule-sets.js';
import { state } from '../support/states.js';

const at = (minute: number, s: MarketState): MarketState => ({ ...s, timestamp: minute * 60_000 });

describe('policy$: evaluation of the market-state stream', () => {
  let copy: RuleSetCopy | undefined;
  afterEach(() => copy?.remove());

  it('logs a policy transition once, not every cycle, with old and new values and the deciding rules', async () => {
    const { logger, records } = captureLogger();
    const states = [
      at(1, state()),
      at(2, state({ risk: { daily_dd_pct: -0.006 } })),
      at(3, state({ volatility: 'HIGH' })),
      at(4, state({ volatility: 'HIGH' })),
    ];
    const decisions = await firstValueFrom(from(states).pipe(evaluatePolicy({ engine: bundledEngine() }, logger), toArray()));
    expect(decisions.map((d) => d.changed.length > 0)).toEqual([true, false, true, false]);
    const changes = records.filter((r) => r.msg === 'policy changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      candle_time: 180_000,
      old: { exit_mode: 'TREND_FOLLOW', min_confidence: 0.45 },
      new: { exit_mode: 'FAST_TP', min_confidence: 0.6 },
      decided_by: { exit_mode: ['exit-high-volatility'] },
    });
  });

  it('warns TRADE SHUTDOWN ACTIVE once when the gate closes, and says so once when it re-opens', async () => {
    const { logger, records } = captureLogger();
    const states = [
      at(1, state()),
      at(2, state({ volatility: 'EXTREME' })),
      at(3, state({ volatility: 'EXTREME', regime: 'CHOPPY' })),
      at(4, state({ volatility: 'EXTREME' })),
      at(5, state({ volatility: 'HIGH' })),
      at(6, state({ volatility: 'HIGH' })),
    ];
    const decisions = await firstValueFrom(from(states).pipe(evaluatePolicy({ engine: bundledEngine() }, logger), toArray()));
    expect(decisions.map((d) => d.policy.allow_new_trades)).toEqual([true, false, false, false, true, true]);
    const shutdowns = records.filter((r) => String(r.msg).startsWith('TRADE SHUTDOWN ACTIVE'));
    expect(shutdowns).toHaveLength(1);
    expect(shutdowns[0]).toMatchObject({ level: 40, candle_time: 120_000 });
    expect(records.filter((r) => r.msg === 'trading gate re-opened')).toEqual([expect.objectContaining({ candle_time: 300_000 })]);
  });

  it('uses the rule set in force at each state: an edit applies from the very next evaluation', async () => {
    copy = new RuleSetCopy();
    const { logger } = captureLogger();
    const live = LiveRuleSet.open({ rulesDir: copy.rulesDir, profilesDir: copy.profilesDir }, logger) as LiveRuleSet;
    const input = new Subject<MarketState>();
    const seen: PolicyDecision[] = [];
    const done = new Promise<void>((resolve) => input.pipe(evaluatePolicy(live, logger)).subscribe({ next: (d) => seen.push(d), complete: resolve }));
    input.next(at(1, state({ volatility: 'HIGH' })));
    await new Promise((r) => setTimeout(r, 10));
    copy.edit('rules/confidence.yaml', 'min_confidence: 0.60', 'min_confidence: 0.67');
    expect(live.reload().status).toBe('reloaded');
    input.next(at(2, state({ volatility: 'HIGH' })));
    input.complete();
    await done;
    await live.close();
    expect(seen.map((d) => d.policy.min_confidence)).toEqual([0.6, 0.67]);
    expect(seen[1]!.changed).toEqual(expect.arrayContaining(['min_confidence', 'rule_set_version']));
  });
});
