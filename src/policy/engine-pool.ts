import { Engine, Rule, type EngineOptions, type EngineResult } from 'json-rules-engine';
import type { RuleSpec } from './rule-set.js';

/**
 * json-rules-engine engines for one list of rules, one per run under way. An Engine keeps its run status
 * on itself and skips the rules of a priority level it reaches once the status says FINISHED, so two runs
 * of one engine at the same time (the symbols of one evaluation, two evaluations at once) or a run right
 * after a failed one (whose remaining priority levels still run, and then set FINISHED) can leave rules
 * out without a word. Here each run has an engine to itself, and an engine whose run failed is dropped.
 */
export class EnginePool {
  private readonly idle: Engine[] = [];

  constructor(
    private readonly rules: readonly RuleSpec[],
    private readonly options: EngineOptions,
  ) {
    // The first engine now: rules json-rules-engine refuses fail here, not at the first evaluation.
    this.idle.push(this.build());
  }

  async run(facts: Record<string, unknown>): Promise<EngineResult> {
    const engine = this.idle.pop() ?? this.build();
    const result = await engine.run(facts);
    this.idle.push(engine);
    return result;
  }

  private build(): Engine {
    const engine = new Engine([], this.options);
    for (const { name, priority, conditions, event } of this.rules) {
      engine.addRule(new Rule({ name, priority, conditions: structuredClone(conditions) as never, event: structuredClone(event) }));
    }
    return engine;
  }
}
