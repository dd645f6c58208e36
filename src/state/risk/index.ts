export type { DrawdownLatch, RiskSnapshot } from './risk-snapshot.js';
export { RiskTracker } from './risk-tracker.js';
export type { ApplyResult } from './risk-tracker.js';
export { DEFAULT_RISK_TRACKER_SETTINGS, riskTrackerSettings } from './settings.js';
export type { RiskTrackerSettings } from './settings.js';
export { RISK_TRACKER_FORMAT } from './tracker-json.js';
export type { RiskTrackerJSON } from './tracker-json.js';
export { tradingDayStart } from './trading-day.js';
