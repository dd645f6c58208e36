import type { Position } from '../broker/model.js';
import type { RiskProfileDoc } from '../policy/rule-set.js';

export type LimitReason =
  | 'BLOCKED_BY_MAX_POSITIONS'
  | 'BLOCKED_BY_CORRELATION'
  | 'BLOCKED_BY_SYMBOL_EXPOSURE'
  | 'BLOCKED_BY_TOTAL_EXPOSURE';

export type LimitDecision = { readonly ok: true } | { readonly ok: false; readonly reason: LimitReason; readonly detail: string };

export type ExposureBasis = 'notional' | 'margin';

export interface EntryCandidate {
  readonly symbol: string;
  /** Value of the new position (quantity x price). */
  readonly notional: number;
}

/** The basis the profile's exposure limits are written on: notional unless it says margin. */
export function exposureBasis(profile: RiskProfileDoc): ExposureBasis {
  return profile.limits.exposure_basis ?? 'notional';
}

/** What an amount of notional counts for against the profile's exposure limits. */
export function exposureAmount(notional: number, profile: RiskProfileDoc): number {
  return exposureBasis(profile) === 'margin' ? notional / profile.sizing.leverage : notional;
}

/** A position's notional at entry prices (what the design's can_open_new_trade sums). */
export function positionNotional(position: Pick<Position, 'quantity' | 'entry_price'>): number {
  return position.quantity * position.entry_price;
}

/**
 * The design's GlobalRiskController.can_open_new_trade over the active profile's limits: position count,
 * correlated positions, then (current + new) exposure per symbol and in total against equity, on the
 * profile's exposure basis (notional by default). Pure: the caller passes the open positions, equity and
 * the symbols correlated with the candidate.
 */
export function canOpen(
  candidate: EntryCandidate,
  open: readonly Position[],
  equity: number,
  profile: RiskProfileDoc,
  correlatedSymbols: readonly string[],
): LimitDecision {
  const limits = profile.limits;
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
  const basis = exposureBasis(profile);
  const added = exposureAmount(candidate.notional, profile);
  const symbolExposure = sumExposure(open.filter((p) => p.symbol === candidate.symbol), profile) + added;
  if (symbolExposure / equity > limits.max_symbol_exposure_pct) {
    return {
      ok: false,
      reason: 'BLOCKED_BY_SYMBOL_EXPOSURE',
      detail: `${candidate.symbol} exposure would be ${pct(symbolExposure / equity)} of equity (${basis}; max ${pct(limits.max_symbol_exposure_pct)})`,
    };
  }
  const totalExposure = sumExposure(open, profile) + added;
  if (totalExposure / equity > limits.max_total_exposure_pct) {
    return {
      ok: false,
      reason: 'BLOCKED_BY_TOTAL_EXPOSURE',
      detail: `total exposure would be ${pct(totalExposure / equity)} of equity (${basis}; max ${pct(limits.max_total_exposure_pct)})`,
    };
  }
  return { ok: true };
}

/**
 * Notional a new position in `symbol` may still have under the per-symbol and the total exposure caps,
 * and which cap binds. Only used when the profile asks for entries to be resized to fit.
 */
export function exposureRoom(symbol: string, open: readonly Position[], equity: number, profile: RiskProfileDoc): { readonly notional: number; readonly binding: 'symbol' | 'total' } {
  const toNotional = exposureBasis(profile) === 'margin' ? profile.sizing.leverage : 1;
  const symbolRoom = profile.limits.max_symbol_exposure_pct * equity - sumExposure(open.filter((p) => p.symbol === symbol), profile);
  const totalRoom = profile.limits.max_total_exposure_pct * equity - sumExposure(open, profile);
  return symbolRoom <= totalRoom
    ? { notional: Math.max(0, symbolRoom) * toNotional, binding: 'symbol' }
    : { notional: Math.max(0, totalRoom) * toNotional, binding: 'total' };
}

/** Exposure of the open positions as fractions of equity: on the profile's basis, and the margin in use beside it. */
export function exposureOf(open: readonly Position[], equity: number, profile: RiskProfileDoc): { readonly basis: ExposureBasis; readonly exposure_pct: number; readonly margin_pct: number } {
  const notional = open.reduce((sum, p) => sum + positionNotional(p), 0);
  if (!(equity > 0)) return { basis: exposureBasis(profile), exposure_pct: 0, margin_pct: 0 };
  return { basis: exposureBasis(profile), exposure_pct: exposureAmount(notional, profile) / equity, margin_pct: notional / profile.sizing.leverage / equity };
}

function sumExposure(positions: readonly Position[], profile: RiskProfileDoc): number {
  return positions.reduce((sum, p) => sum + exposureAmount(positionNotional(p), profile), 0);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
