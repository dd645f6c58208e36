export { Classifier } from './classifier.js';
export { stateSettings } from './state-settings.js';
