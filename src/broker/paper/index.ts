export { PaperBroker } from './paper-broker.js';
export type { PaperBrokerHooks, PaperFill } from './paper-fill.js';
export { PAPER_BROKER_FORMAT, parseSnapshot } from './snapshot.js';
export type { PaperBrokerJSON } from './snapshot.js';
export { DEFAULT_PAPER_BROKER_SETTINGS, PAPER_BROKER_SETTING_DESCRIPTIONS, paperBrokerSettings } from './settings.js';
export type { FundingRate, FundingSettings, PaperBrokerSettings, RulesWithoutSymbol } from './settings.js';
export { barPath, crossedOn, inPassingOrder, triggerDirection } from './bar-path.js';
export type { PathLeg, TriggerDirection } from './bar-path.js';
export { decimalsOf, isMultipleOf, roundTo } from './increments.js';
