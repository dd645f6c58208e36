import { NOTE_FILTERS } from '../../src/policy/note-template.js';
import type { RiskProfileDoc, RuleSet } from '../../src/policy/rule-set.js';
import type { PolicyField, RiskStance, TradingPolicy } from '../../src/policy/trading-policy.js';
import { RISK_STANCES } from '../../src/policy/trading-policy.js';
import type { MarketState } from '../../src/state/market-state.js';

/**
 * The shipped rules (rules/*.yaml, market and symbol scope) written by hand in TypeScript: the yardstick
 * for the compiled evaluator in `npm run bench`. It returns the same TradingPolicy, decided_by and notes
 * included (test/policy/compiler/hand-written-policy.test.ts holds it to the engine), so the two do the
 * same work. It knows the shipped rules and nothing else: an edit of the YAML is not reflected here.
 */
export function handWrittenPolicy(state: MarketState, profile: RiskProfileDoc, ruleSet: RuleSet): TradingPolicy {
  const { regime, volatility, risk } = state;
  const pct = NOTE_FILTERS.pct;
  const calm = volatility === 'LOW' || volatility === 'NORMAL';
  const trending = regime === 'TRENDING_UP' || regime === 'TRENDING_DOWN';
  const extreme = volatility === 'EXTREME';
  const high = volatility === 'HIGH';
  const drawdown = risk.daily_dd_pct <= profile.circuit_breakers.daily_dd_limit_pct;
  const positions = risk.open_positions >= profile.limits.max_open_positions;
  const exposure = risk.exposure_pct >= profile.limits.max_total_exposure_pct;
  const streak = risk.losing_streak >= profile.circuit_breakers.losing_streak_threshold;
  const uncertain = (regime === 'SIDEWAYS' || regime === 'CHOPPY') && calm;
  const favourable = trending && calm;
  const defaults = profile.static_policy;

  const gate: string[] = [];
  if (extreme) gate.push('gate-extreme-volatility');
  if (drawdown) gate.push('gate-daily-drawdown');
  if (positions) gate.push('gate-max-positions');
  if (exposure) gate.push('gate-total-exposure');

  // Canonical order of the setters: gate-daily-drawdown (95), then the confidence rules (10) by name.
  const confidence: [string, number][] = [];
  if (drawdown) confidence.push(['gate-daily-drawdown', 0.6]);
  if (calm) confidence.push(['confidence-calm-market', 0.45]);
  if (extreme) confidence.push(['confidence-extreme-volatility', 0.7]);
  if (high) confidence.push(['confidence-high-volatility', 0.6]);
  const min_confidence = confidence.length === 0 ? defaults.min_confidence : Math.max(...confidence.map(([, v]) => v));

  const riskCaps: [string, number][] = [];
  if (extreme) riskCaps.push(['gate-extreme-volatility', 0.005]);
  if (drawdown) riskCaps.push(['gate-daily-drawdown', 0.005]);
  if (high) riskCaps.push(['stance-high-volatility', 0.008]);
  if (uncertain) riskCaps.push(['stance-uncertain-market', 0.01]);
  if (favourable) riskCaps.push(['stance-favourable-market', profile.stance.favourable_risk_pct]);
  const max_risk_pct = riskCaps.length === 0 ? defaults.max_risk_pct : Math.min(...riskCaps.map(([, v]) => v));

  const stances: [string, RiskStance][] = [];
  if (extreme) stances.push(['gate-extreme-volatility', 'NO_NEW_TRADES']);
  if (drawdown) stances.push(['gate-daily-drawdown', 'NO_NEW_TRADES']);
  if (streak) stances.push(['stance-losing-streak', 'REDUCED']);
  if (high) stances.push(['stance-high-volatility', 'REDUCED']);
  if (uncertain) stances.push(['stance-uncertain-market', 'SAFE']);
  if (favourable) stances.push(['stance-favourable-market', profile.stance.favourable]);
  const risk_profile: RiskStance = stances.length === 0 ? defaults.risk_profile : stances.reduce((a, [, s]) => (RISK_STANCES.indexOf(s) < RISK_STANCES.indexOf(a) ? s : a), stances[0]![1]);

  const [exitRule, exit_mode] = extreme
    ? (['exit-extreme-volatility', 'DEFENSIVE_TRAIL'] as const)
    : drawdown
      ? (['exit-daily-drawdown', 'FAST_TP'] as const)
      : high
        ? (['exit-high-volatility', 'FAST_TP'] as const)
        : trending && calm
          ? (['exit-trending-calm', 'TREND_FOLLOW'] as const)
          : (['exit-default', 'FAST_TP'] as const);

  const decided: Record<PolicyField, string[]> = {
    allow_new_trades: gate,
    min_confidence: confidence.filter(([, v]) => v === min_confidence).map(([r]) => r),
    max_risk_pct: riskCaps.filter(([, v]) => v === max_risk_pct).map(([r]) => r),
    allowed_symbols: [],
    disallowed_symbols: [],
    exit_mode: [exitRule],
    risk_profile: stances.filter(([, s]) => s === risk_profile).map(([r]) => r),
    note: [],
  };
  const notes: string[] = [];
  if (extreme && credited(decided, 'gate-extreme-volatility')) note(notes, decided, 'gate-extreme-volatility', 'EXTREME volatility: trade shutdown');
  if (drawdown && credited(decided, 'gate-daily-drawdown')) note(notes, decided, 'gate-daily-drawdown', `Daily DD limit hit (${pct(risk.daily_dd_pct)})`);
  if (positions && credited(decided, 'gate-max-positions')) note(notes, decided, 'gate-max-positions', `Max positions reached (${risk.open_positions}/${profile.limits.max_open_positions})`);
  if (exposure && credited(decided, 'gate-total-exposure')) {
    note(notes, decided, 'gate-total-exposure', `Exposure limit reached (${pct(risk.exposure_pct)} of ${pct(profile.limits.max_total_exposure_pct)})`);
  }
  if (streak && credited(decided, 'stance-losing-streak')) note(notes, decided, 'stance-losing-streak', `Losing streak of ${risk.losing_streak}: risk reduced`);
  if (high && credited(decided, 'stance-high-volatility')) note(notes, decided, 'stance-high-volatility', 'HIGH volatility: reduced risk');
  if (uncertain && credited(decided, 'stance-uncertain-market')) note(notes, decided, 'stance-uncertain-market', `No clear trend (${regime}, ${volatility} volatility): SAFE stance`);
  if (favourable && credited(decided, 'stance-favourable-market')) note(notes, decided, 'stance-favourable-market', `Favourable market (${regime}, ${volatility} volatility)`);

  const disallowed: string[] = [];
  const judgement = profile.symbol_judgement;
  const symbols = state.symbols ?? {};
  for (const symbol of Object.keys(symbols)) {
    const s = symbols[symbol]!;
    if ((s.trades >= judgement.min_trades && s.win_rate < 0.35 && s.avg_r < 0.5) || s.spread_pct! > judgement.max_spread_pct || s.slippage_pct! > judgement.max_slippage_pct) {
      disallowed.push(symbol);
    }
  }
  if (disallowed.length > 1) disallowed.sort(byName);
  for (const symbol of disallowed) {
    const s = symbols[symbol]!;
    if (s.trades >= judgement.min_trades && s.win_rate < 0.35 && s.avg_r < 0.5) {
      block(notes, decided, 'block-poor-performer', `${symbol} blocked: poor performance (WR ${pct(s.win_rate)}, avg R ${s.avg_r})`);
    }
    if (s.slippage_pct! > judgement.max_slippage_pct) block(notes, decided, 'block-high-slippage', `${symbol} blocked: slippage ${pct(s.slippage_pct)} above ceiling`);
    if (s.spread_pct! > judgement.max_spread_pct) block(notes, decided, 'block-wide-spread', `${symbol} blocked: spread ${pct(s.spread_pct)} above ceiling`);
  }

  const { description: _description, ...exit_params } = ruleSet.exitModes.modes[exit_mode];
  return {
    allow_new_trades: gate.length > 0 ? false : defaults.allow_new_trades,
    min_confidence,
    max_risk_pct,
    allowed_symbols: [],
    disallowed_symbols: disallowed.sort(),
    exit_mode,
    exit_params,
    risk_profile,
    note: notes.join('; '),
    decided_by: decided,
    profile: profile.name,
    rule_set_version: ruleSet.version,
  };
}

// Helpers at module level: a closure created per call would cost more than the decisions themselves.

function credited(decided: Record<PolicyField, string[]>, rule: string): boolean {
  return decided.allow_new_trades.includes(rule) || decided.max_risk_pct.includes(rule) || decided.risk_profile.includes(rule) || decided.min_confidence.includes(rule);
}

function note(notes: string[], decided: Record<PolicyField, string[]>, rule: string, text: string): void {
  notes.push(text);
  decided.note.push(rule);
}

function block(notes: string[], decided: Record<PolicyField, string[]>, rule: string, text: string): void {
  if (!decided.disallowed_symbols.includes(rule)) decided.disallowed_symbols.push(rule);
  notes.push(text);
  if (!decided.note.includes(rule)) decided.note.push(rule);
}

function byName(a: string, b: string): number {
  return a.localeCompare(b);
}
