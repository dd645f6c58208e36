export { CompiledPolicy, policyRules } from './compiled-policy.js';
export { unsupportedConstructs } from './support.js';
export { chooseClass, classificationRules, CompiledClassifier } from './compiled-classifier.js';
