import { resolve } from 'node:path';
import { PolicyEngine, defaultLocation, loadRuleSet, type RuleSetLocation } from '../policy/index.js';
import { RuleSetError } from './output.js';

/** Flags shared by the commands that evaluate rules. */
export interface RuleSetFlags {
  readonly rules?: string;
  readonly profiles?: string;
}

export function locationFrom(flags: RuleSetFlags, cwd = process.cwd()): RuleSetLocation {
  const fallback = defaultLocation(cwd);
  return {
    rulesDir: flags.rules ? resolve(cwd, flags.rules) : fallback.rulesDir,
    profilesDir: flags.profiles ? resolve(cwd, flags.profiles) : fallback.profilesDir,
  };
}

/** Loads the rule set named by the flags and compiles it; throws RuleSetError when it has errors. */
export function engineFrom(flags: RuleSetFlags, cwd = process.cwd()): PolicyEngine {
  const loaded = loadRuleSet(locationFrom(flags, cwd), cwd);
  if (!loaded.ruleSet) throw new RuleSetError(loaded.problems);
  return new PolicyEngine(loaded.ruleSet);
}
