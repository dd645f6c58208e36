import { BUNDLED, loadRuleSet, PolicyEngine } from '../../src/policy/index.js';
import type { MarketState } from '../../src/state/index.js';
import { measure, type BenchResult } from './measure.js';

const SYMBOLS = Array.from({ length: 50 }, (_, i) => `SYM${String(i).padStart(2, '0')}USDT`);

function states(count: number, withSymbols: boolean): MarketState[] {
  const regimes = ['TRENDING_UP', 'TRENDING_DOWN', 'SIDEWAYS', 'CHOPPY'] as const;
  const vols = ['LOW', 'NORMAL', 'HIGH', 'EXTREME'] as const;
  return Array.from({ length: count }, (_, i) => ({
    regime: regimes[i % 4]!,
    volatility: vols[Math.floor(i / 4) % 4]!,
    risk: { daily_dd_pct: -((i % 30) / 1000), open_positions: i % 7, exposure_pct: (i % 12) / 100, losing_streak: i % 6 },
    ...(withSymbols
      ? {
          symbols: Object.fromEntries(
            SYMBOLS.map((s, j) => [s, { win_rate: ((i + j) % 10) / 10, avg_r: ((i + j) % 7) / 5, trades: (i * j) % 60, spread_pct: 0.0005, slippage_pct: 0.0008 }]),
          ),
        }
      : {}),
  }));
}

/** Policy evaluations per second through json-rules-engine, market rules alone and with 50 symbols. */
export async function policyEvaluationBench(): Promise<BenchResult[]> {
  const loaded = loadRuleSet(BUNDLED);
  if (!loaded.ruleSet) throw new Error('bundled rule set invalid');
  const engine = new PolicyEngine(loaded.ruleSet);
  const marketOnly = states(64, false);
  const fiftySymbols = states(16, true);
  return [
    await measure('policy evaluation, market rules only', 'evaluations', async (i) => {
      await engine.evaluate(marketOnly[i % marketOnly.length]!);
    }),
    await measure('policy evaluation, 50 symbols', 'evaluations', async (i) => {
      await engine.evaluate(fiftySymbols[i % fiftySymbols.length]!);
    }),
  ];
}
