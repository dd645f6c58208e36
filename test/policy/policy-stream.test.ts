import { concatMap, firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger.js';
import { policyDecisions } from '../../src/policy/policy-stream.js';
import type { MarketState } from '../../src/state/index.js';
import { captureLogger } from '../support/log-capture.js';
import { bundledEngine } from '../support/rule-sets.js';
import { state } from '../support/states.js';

const at = (minute: number, s: MarketState): MarketState => ({ ...s, timestamp: minute * 60_000 });

/** Each state evaluated by the bundled rules, then through the decisions operator. */
function decide(states: readonly MarketState[], logger: Logger) {
  const engine = bundledEngine();
  return firstValueFrom(from(states).pipe(concatMap(async (s) => ({ state: s, evaluation: await engine.evaluate(s) })), policyDecisions(logger), toArray()));
}

describe('policyDecisions: the policy stream of the state → policy stage', () => {
  it('logs a policy transition once, not every cycle, with old and new values and the deciding rules', async () => {
    const { logger, records } = captureLogger();
    const states = [
      at(1, state()),
      at(2, state({ risk: { daily_dd_pct: -0.006 } })),
      at(3, state({ volatility: 'HIGH' })),
      at(4, state({ volatility: 'HIGH' })),
    ];
    const decisions = await decide(states, logger);
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
    const decisions = await decide(states, logger);
    expect(decisions.map((d) => d.policy.allow_new_trades)).toEqual([true, false, false, false, true, true]);
    const shutdowns = records.filter((r) => String(r.msg).startsWith('TRADE SHUTDOWN ACTIVE'));
    expect(shutdowns).toHaveLength(1);
    expect(shutdowns[0]).toMatchObject({ level: 40, candle_time: 120_000 });
    expect(records.filter((r) => r.msg === 'trading gate re-opened')).toEqual([expect.objectContaining({ candle_time: 300_000 })]);
  });
});
