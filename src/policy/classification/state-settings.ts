import type { StateSettings } from '../../state/state-settings.js';
import type { RuleSet } from '../rule-set.js';
import { Classifier } from './classifier.js';

/**
 * The state's settings from the rule set in force, read at every call so that hot reloads apply. The
 * classifier is rebuilt only when the rule set's content changes: compiling it is the costly part.
 */
export function stateSettings(ruleSet: () => RuleSet, options: { readonly profile?: string } = {}): () => StateSettings {
  let cached: { readonly hash: string; readonly settings: StateSettings } | undefined;
  return () => {
    const current = ruleSet();
    if (cached?.hash !== current.contentHash) cached = { hash: current.contentHash, settings: settingsOf(current, options.profile) };
    return cached.settings;
  };
}

function settingsOf(ruleSet: RuleSet, profile: string | undefined): StateSettings {
  const window = ruleSet.profiles.get((profile ?? ruleSet.activeProfile).toUpperCase())?.symbol_judgement.window;
  return {
    market: ruleSet.manifest.market ?? {},
    classifier: new Classifier(ruleSet),
    ...(window === undefined ? {} : { symbolWindow: window }),
  };
}
