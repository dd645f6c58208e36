export { PolicyEngine } from './policy-engine.js';
export type { ConditionTrace, Evaluation, EvaluatorKind, Explanation, PolicyEngineOptions, RuleTrace } from './policy-engine.js';
export { loadRuleSet, defaultLocation, BUNDLED } from './rule-set-loader.js';
export type { LoadResult, RuleSetLocation } from './rule-set-loader.js';
export { readDocuments } from './documents.js';
export { lintDocuments } from './lint/index.js';
export { renderExplanation } from './explain.js';
export type { RuleSet, RiskProfileDoc, ExitModesDoc, PolicyDocument } from './rule-set.js';
export * from './trading-policy.js';
