/** How the risk tracker cuts days and how much history its averages remember. */
export interface RiskTrackerSettings {
  /** Hour (UTC, 0-23) at which the trading day, and with it the daily drawdown baseline, starts. */
  readonly day_start_hour_utc: number;
  /** Number of recent quotes, and separately of recent fills, averaged per symbol for spread and slippage. */
  readonly cost_window: number;
  /** Only the last N closed trades of a symbol count for its win rate, average R and PnL; absent: all trades. */
  readonly performance_window?: number;
  /** Only the trades closed in the last N days count for a symbol's record (with or without performance_window). */
  readonly performance_days?: number;
}

export const DEFAULT_RISK_TRACKER_SETTINGS: RiskTrackerSettings = Object.freeze({ day_start_hour_utc: 0, cost_window: 50 });

const KNOWN = new Set(['day_start_hour_utc', 'cost_window', 'performance_window', 'performance_days']);

/**
 * Fills in defaults and checks the settings. They usually come from a YAML or JSON file, so the input is
 * treated as untrusted: unknown keys (typos) are refused rather than silently ignored.
 */
export function riskTrackerSettings(input: Partial<RiskTrackerSettings> = {}): RiskTrackerSettings {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new Error(`RiskTrackerSettings must be an object, got ${describe(input)}`);
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN.has(key)) throw new Error(`RiskTrackerSettings.${key} is not a known setting (known: ${[...KNOWN].join(', ')})`);
  }
  const day_start_hour_utc = input.day_start_hour_utc ?? DEFAULT_RISK_TRACKER_SETTINGS.day_start_hour_utc;
  const cost_window = input.cost_window ?? DEFAULT_RISK_TRACKER_SETTINGS.cost_window;
  const performance_window = input.performance_window;
  if (!Number.isInteger(day_start_hour_utc) || day_start_hour_utc < 0 || day_start_hour_utc > 23) {
    throw new Error(`RiskTrackerSettings.day_start_hour_utc must be an integer hour from 0 to 23, got ${describe(day_start_hour_utc)}`);
  }
  if (!Number.isSafeInteger(cost_window) || cost_window < 1) {
    throw new Error(`RiskTrackerSettings.cost_window must be an integer of at least 1, got ${describe(cost_window)}`);
  }
  if (performance_window !== undefined && (!Number.isSafeInteger(performance_window) || performance_window < 1)) {
    throw new Error(`RiskTrackerSettings.performance_window must be an integer of at least 1 (or absent for all trades), got ${describe(performance_window)}`);
  }
  const performance_days = input.performance_days;
  if (performance_days !== undefined && (typeof performance_days !== 'number' || !Number.isFinite(performance_days) || performance_days <= 0)) {
    throw new Error(`RiskTrackerSettings.performance_days must be a number of days above 0 (or absent), got ${describe(performance_days)}`);
  }
  return Object.freeze({
    day_start_hour_utc,
    cost_window,
    ...(performance_window === undefined ? {} : { performance_window }),
    ...(performance_days === undefined ? {} : { performance_days }),
  });
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
