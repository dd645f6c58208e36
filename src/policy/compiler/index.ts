export { CompiledPolicy, policyRules } from './compiled-policy.js';
export { unsupportedConstructs } from './support.js';
