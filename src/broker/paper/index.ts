export { PaperBroker, PAPER_BROKER_FORMAT } from './paper-broker.js';
export type { PaperBrokerJSON } from './paper-broker.js';
export { DEFAULT_PAPER_BROKER_SETTINGS, paperBrokerSettings } from './settings.js';
export type { PaperBrokerSettings } from './settings.js';
export { barPath, crossedOn } from './bar-path.js';
export type { PathLeg } from './bar-path.js';
