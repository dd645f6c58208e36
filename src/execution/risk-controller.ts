import type { Position } from '../broker/model.js';
import type { RiskProfileDoc } from '../policy/rule-set.js';

export type LimitReason =
  | 'BLOCKED_BY_MAX_POSITIONS'
  | 'BLOCKED_BY_CORRELATION'
  | 'BLOCKED_BY_SYMBOL_EXPOSURE'
  | 'BLOCKED_BY_TOTAL_EXPOSURE';

export type LimitDecision = { readonly ok: true } | { readonly ok: false; readonly reason: LimitReason; readonly detail: string };

export interface EntryCandidate {
  readonly symbol: string;
  /** Margin the new position would use (notional / leverage). */
  readonly margin: number;
}

/**
 * The design's GlobalRiskController.can_open_new_trade over the active profile's limits. Pure: the
 * caller passes the open positions, equity and the symbols correlated with the candidate.
 */
export function canOpen(
  candidate: EntryCandidate,
  open: readonly Position[],
  equity: number,
  profile: RiskProfileDoc,
  correlatedSymbols: readonly string[],
): LimitDecision {
  const limits = profile.limits;
  const leverage = profile.sizing.leverage;
  if (open.length >= limits.max_open_positions) {
    return { ok: false, reason: 'BLOCKED_BY_MAX_POSITIONS', detail: `${open.length}/${limits.max_open_positions} positions open` };
  }
  const correlatedOpen = open.filter((p) => correlatedSymbols.includes(p.symbol)).map((p) => p.symbol);
  if (correlatedOpen.length + 1 > limits.max_correlated_positions) {
    return {
      ok: false,
      reason: 'BLOCKED_BY_CORRELATION',
      detail: `${candidate.symbol} is correlated with open ${correlatedOpen.join(', ')} (max ${limits.max_correlated_positions} correlated positions)`,
    };
  }
  const marginOf = (p: Position) => (p.quantity * p.entry_price) / leverage;
  const symbolMargin = open.filter((p) => p.symbol === candidate.symbol).reduce((sum, p) => sum + marginOf(p), 0) + candidate.margin;
  if (symbolMargin / equity > limits.max_symbol_exposure_pct) {
    return {
      ok: false,
      reason: 'BLOCKED_BY_SYMBOL_EXPOSURE',
      detail: `${candidate.symbol} exposure would be ${pct(symbolMargin / equity)} (max ${pct(limits.max_symbol_exposure_pct)})`,
    };
  }
  const totalMargin = open.reduce((sum, p) => sum + marginOf(p), 0) + candidate.margin;
  if (totalMargin / equity > limits.max_total_exposure_pct) {
    return {
      ok: false,
      reason: 'BLOCKED_BY_TOTAL_EXPOSURE',
      detail: `total exposure would be ${pct(totalMargin / equity)} (max ${pct(limits.max_total_exposure_pct)})`,
    };
  }
  return { ok: true };
}

/**
 * Margin a new position in `symbol` may still use under the per-symbol and the total exposure caps, and
 * which cap binds. The executor shrinks an entry to fit rather than refusing it: a cap is a ceiling on
 * size, and refusing would hit the best-sized trades (a favourable stance) hardest.
 */
export function exposureRoom(symbol: string, open: readonly Position[], equity: number, profile: RiskProfileDoc): { readonly margin: number; readonly binding: 'symbol' | 'total' } {
  const leverage = profile.sizing.leverage;
  const marginOf = (p: Position) => (p.quantity * p.entry_price) / leverage;
  const symbolRoom = profile.limits.max_symbol_exposure_pct * equity - open.filter((p) => p.symbol === symbol).reduce((sum, p) => sum + marginOf(p), 0);
  const totalRoom = profile.limits.max_total_exposure_pct * equity - open.reduce((sum, p) => sum + marginOf(p), 0);
  return symbolRoom <= totalRoom ? { margin: Math.max(0, symbolRoom), binding: 'symbol' } : { margin: Math.max(0, totalRoom), binding: 'total' };
}

/** Total margin in use as a fraction of equity: the risk state's exposure_pct. */
export function exposureOf(open: readonly Position[], equity: number, leverage: number): number {
  if (!(equity > 0)) return 0;
  return open.reduce((sum, p) => sum + (p.quantity * p.entry_price) / leverage, 0) / equity;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
