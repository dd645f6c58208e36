import { readFileSync } from 'node:fs';
import type { MarketState, RiskState, SymbolStats } from '../../src/state/index.js';

/** A calm, healthy state; tests override only what they are about. */
export function state(overrides: Partial<Omit<MarketState, 'risk'>> & { risk?: Partial<RiskState> } = {}): MarketState {
  const { risk, ...rest } = overrides;
  return {
    regime: 'TRENDING_UP',
    volatility: 'NORMAL',
    ...rest,
    risk: { daily_dd_pct: -0.005, open_positions: 2, exposure_pct: 0.04, losing_streak: 0, ...risk },
  };
}

export function symbolStats(overrides: Partial<SymbolStats> = {}): SymbolStats {
  return { win_rate: 0.55, avg_r: 1.1, pnl: 120.5, trades: 40, spread_pct: 0.0002, slippage_pct: 0.0003, ...overrides };
}

export const SCENARIO_FILES = {
  normal: 'test/fixtures/states/scenario-1-normal.json',
  highVolatility: 'test/fixtures/states/scenario-2-high-volatility.json',
  extremeVolatility: 'test/fixtures/states/scenario-3-extreme-volatility.json',
  dailyDrawdown: 'test/fixtures/states/scenario-4-daily-dd-limit.json',
} as const;

export function scenario(name: keyof typeof SCENARIO_FILES): MarketState {
  return JSON.parse(readFileSync(new URL(`../../${SCENARIO_FILES[name]}`, import.meta.url), 'utf8')) as MarketState;
}
