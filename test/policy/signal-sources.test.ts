import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/config/problem.js';
import { lint } from '../../src/cli/lint-command.js';
import { bundledRuleSet, RuleSetCopy } from '../support/rule-sets.js';

const HEADER = 'apiVersion: quantum-trader/v1\nversion: 1.0.0\n';

// rules/strategies/*.yaml: the signal sources besides the reference strategy are documents of the rule set.
describe('the signal sources of rules/strategies/', () => {
  let copy: RuleSetCopy;
  afterEach(() => copy?.remove());

  const lintCopy = (paths: string[] = []) => {
    const report = lint({ paths: paths.map((p) => copy.path(p)), format: 'pretty', rules: copy.rulesDir, profiles: copy.profilesDir }, copy.root);
    return report.problems.map(formatProblem);
  };

  it('the shipped rule set holds a breakout, a mean-reversion and a random-entries source', () => {
    const ruleSet = bundledRuleSet();
    expect(ruleSet.signalSources.map((d) => [d.kind, d.name])).toEqual([['BreakoutStrategy', 'breakout'], ['MeanReversionStrategy', 'mean-reversion'], ['RandomEntries', 'random']]);
    expect(ruleSet.files.filter((f) => f.file.startsWith('rules/strategies/')).map((f) => f.file)).toEqual(['rules/strategies/breakout.yaml', 'rules/strategies/mean-reversion.yaml', 'rules/strategies/random.yaml']);
  });

  it('fills every field a file leaves out with the schema’s default', () => {
    copy = new RuleSetCopy();
    copy.write('rules/strategies/breakout.yaml', `${HEADER}kind: BreakoutStrategy\nchannel_bars: 55\nconfidence:\n  base: 0.6\n`);
    const doc = copy.load().ruleSet!.signalSources.find((d) => d.kind === 'BreakoutStrategy');
    expect(doc).toMatchObject({ name: 'breakout', channel_bars: 55, exit_bars: 10, atr_period: 14, cooldown_bars: 6, confidence: { base: 0.6, strength: { weight: 0.3, to_atr: 1 }, min: 0.3, max: 0.95 } });
  });

  it('are in the content hash: editing one changes rule_set_version', () => {
    copy = new RuleSetCopy();
    const before = copy.load().ruleSet!.version;
    copy.edit('rules/strategies/breakout.yaml', 'channel_bars: 20', 'channel_bars: 21');
    const after = copy.load().ruleSet!;
    expect(after.version).not.toBe(before);
    expect(after.signalSources.find((d) => d.name === 'breakout')).toMatchObject({ channel_bars: 21 });
  });

  it('lint reports a bad field, an unknown kind, an exit inside the entry band and duplicate names at file:line', () => {
    copy = new RuleSetCopy();
    copy.write('rules/strategies/a.yaml', `${HEADER}kind: BreakoutStrategy\nname: wide\nchannel_bars: 1\n`);
    copy.write('rules/strategies/b.yaml', `${HEADER}kind: Martingale\n`);
    copy.write('rules/strategies/c.yaml', `${HEADER}kind: MeanReversionStrategy\nname: tight\nexit_deviations: 3\n`);
    copy.write('rules/strategies/d.yaml', `${HEADER}kind: RandomEntries\nname: twin\n`);
    copy.write('rules/strategies/e.yaml', `${HEADER}kind: BreakoutStrategy\nname: twin\n`);
    copy.write('rules/strategies/f.yaml', `${HEADER}kind: MeanReversionStrategy\nname: ema-cross\n`);
    expect(lintCopy()).toEqual([
      expect.stringMatching(/^rules\/strategies\/a\.yaml:5:\d+ wide channel_bars 1 is outside its range/),
      expect.stringMatching(/^rules\/strategies\/b\.yaml:3:\d+ - unknown kind 'Martingale' \(expected one of .*BreakoutStrategy, MeanReversionStrategy, RandomEntries\)$/),
      expect.stringMatching(/^rules\/strategies\/c\.yaml:5:\d+ tight exit_deviations \(3\) must be below bands\.deviations \(2\)/),
      expect.stringMatching(/^rules\/strategies\/e\.yaml:4:\d+ twin duplicate signal source name 'twin' \(first defined at rules\/strategies\/d\.yaml:4\)$/),
      expect.stringMatching(/^rules\/strategies\/f\.yaml:4:\d+ ema-cross name 'ema-cross' is the reference strategy's \(rules\/strategy\.yaml:\d+\)/),
    ]);
    expect(copy.load().ruleSet).toBeUndefined();
  });

  it('lint refuses random entries like a source that does not exist or is random itself, also when linting that file alone', () => {
    copy = new RuleSetCopy();
    copy.write('rules/strategies/r.yaml', `${HEADER}kind: RandomEntries\nname: noise\nlike: nothing\n`);
    copy.write('rules/strategies/s.yaml', `${HEADER}kind: RandomEntries\nname: again\nlike: random\n`);
    const expected = [
      "rules/strategies/r.yaml:5:7 noise like 'nothing' is no signal source (known: ema-cross, breakout, mean-reversion, noise, random, again)",
      "rules/strategies/s.yaml:5:7 again like 'random' is itself random entries (rules/strategies/random.yaml:6); name a strategy",
    ];
    expect(lintCopy()).toEqual(expected);
    expect(lintCopy(['rules/strategies/r.yaml'])).toEqual([expected[0]]);
  });
});
