import { renderHardLimits, summarizeHardLimits } from '../execution/hard-limits.js';
import { renderExplanation } from '../policy/index.js';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';
import { engineFrom, type RuleSetFlags } from './rule-set-options.js';
import { readStateInput } from './state-input.js';

export interface EvaluateParams extends RuleSetFlags {
  /** A JSON/YAML file, or `-` for standard input. */
  readonly state: string;
  readonly profile?: string;
}

/** `eval`: the TradingPolicy for a state, as one JSON object on stdout. */
export async function evalCommand(params: EvaluateParams, output: Output, cwd = process.cwd()): Promise<number> {
  const engine = engineFrom(params, cwd);
  const state = readStateInput(params.state);
  const evaluation = await engine.evaluate(state, params.profile);
  if (evaluation.failure) output.err(`warning: rule evaluation failed, fallback policy in force: ${evaluation.failure}`);
  output.out(JSON.stringify(evaluation.policy, null, 2));
  return EXIT.OK;
}

/** `explain`: why the policy is what it is. */
export async function explainCommand(
  params: EvaluateParams & { readonly format: 'pretty' | 'json' },
  output: Output,
  cwd = process.cwd(),
): Promise<number> {
  const engine = engineFrom(params, cwd);
  const state = readStateInput(params.state);
  const evaluation = await engine.explain(state, params.profile);
  const hardLimits = summarizeHardLimits(state, evaluation, engine.ruleSet.orchestrator);
  if (params.format === 'json') {
    const { profile: _profile, ...rest } = evaluation;
    output.out(JSON.stringify({ ...rest, hard_limits: hardLimits }, null, 2));
  } else {
    output.out(`${renderExplanation(evaluation)}\n\n${renderHardLimits(hardLimits)}`);
  }
  return EXIT.OK;
}
