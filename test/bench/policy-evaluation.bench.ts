import { CompiledPolicy } from '../../src/policy/compiler/index.js';
import { BUNDLED, loadRuleSet, PolicyEngine, type RuleSet } from '../../src/policy/index.js';
import type { MarketState } from '../../src/state/index.js';
import { scenario, SCENARIO_FILES } from '../support/states.js';
import { handWrittenPolicy } from './hand-written-policy.js';
import type { BenchResult } from './measure.js';
import { sideBySide, type Contender } from './policy-evaluation-side-by-side.js';

const SYMBOLS = Array.from({ length: 50 }, (_, i) => `SYM${String(i).padStart(2, '0')}USDT`);

/** 50-symbol states of every regime and volatility, symbols of every record (a few are blocked per state). */
export function fiftySymbolStates(count: number): MarketState[] {
  const regimes = ['TRENDING_UP', 'TRENDING_DOWN', 'SIDEWAYS', 'CHOPPY'] as const;
  const vols = ['LOW', 'NORMAL', 'HIGH', 'EXTREME'] as const;
  return Array.from({ length: count }, (_, i) => ({
    regime: regimes[i % 4]!,
    volatility: vols[Math.floor(i / 4) % 4]!,
    risk: { daily_dd_pct: -((i % 30) / 1000), open_positions: i % 7, exposure_pct: (i % 12) / 100, losing_streak: i % 6 },
    symbols: Object.fromEntries(
      SYMBOLS.map((s, j) => [s, { win_rate: ((i + j) % 10) / 10, avg_r: ((i + j) % 7) / 5, pnl: (j - 25) * 13.7, trades: (i * j) % 60, spread_pct: 0.0005, slippage_pct: 0.0008 }]),
    ),
  }));
}

/** The design's four scenario states (test/fixtures/states). */
export function scenarioStates(): MarketState[] {
  return (Object.keys(SCENARIO_FILES) as (keyof typeof SCENARIO_FILES)[]).map((name) => scenario(name));
}

function contenders(ruleSet: RuleSet, states: readonly MarketState[]): Contender[] {
  const compiled = CompiledPolicy.compile(ruleSet);
  if (!(compiled instanceof CompiledPolicy)) throw new Error(`bundled rule set not compiled: ${compiled.unsupported.join('; ')}`);
  const engine = new PolicyEngine(ruleSet);
  const reference = new PolicyEngine(ruleSet, { evaluator: 'json-rules-engine' });
  const profile = engine.profile();
  const at = (i: number) => states[i % states.length]!;
  return [
    { name: 'compiled', body: (i) => compiled.evaluate(at(i), profile) },
    { name: 'hand-written TypeScript', body: (i) => handWrittenPolicy(at(i), profile, ruleSet) },
    { name: 'PolicyEngine.evaluate (compiled, async API)', body: (i) => engine.evaluate(at(i)), async: true },
    { name: 'json-rules-engine', body: (i) => reference.evaluate(at(i)), async: true },
  ];
}

/**
 * Policy evaluations per second of the same rule set (the shipped one, active profile) and the same
 * states, by the compiled evaluator, a hand-written TypeScript function making the same decisions, the
 * public async API, and json-rules-engine: measured side by side in one run, on the design's scenario
 * states and on 50-symbol states.
 */
export async function policyEvaluationBench(): Promise<BenchResult[]> {
  const loaded = loadRuleSet(BUNDLED);
  if (!loaded.ruleSet) throw new Error('bundled rule set invalid');
  const results: BenchResult[] = [];
  for (const [label, states] of [['scenario states', scenarioStates()], ['50 symbols', fiftySymbolStates(16)]] as const) {
    const measured = await sideBySide(contenders(loaded.ruleSet, states));
    const [compiled, hand, , reference] = measured;
    for (const r of measured) {
      const versus =
        r === compiled
          ? ` [${(hand!.perSecond / compiled!.perSecond).toFixed(1)}x the time of hand-written; ${Math.round(compiled!.perSecond / reference!.perSecond)}x json-rules-engine's rate]`
          : '';
      results.push({ ...r, name: `policy evaluation, ${label}: ${r.name}`, detail: `${Math.round(r.perCpuSecond).toLocaleString('en-US')} per CPU second${versus}` });
    }
  }
  return results;
}
