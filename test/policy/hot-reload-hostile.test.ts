import { renameSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatProblem } from '../../src/config/problem.js';
import { LiveRuleSet } from '../../src/policy/hot-reload.js';
import type { PolicyEngine } from '../../src/policy/index.js';
import { captureLogger } from '../support/log-capture.js';
import { HOSTILE_SAVES, MUTATED_FILES, mutate, mutationArb, textAccident, textAccidentArb } from '../support/rule-mutations.js';
import { RuleSetCopy } from '../support/rule-sets.js';
import { scenario, SCENARIO_FILES } from '../support/states.js';

/** Saves per fuzz run; QT_FUZZ_SAVES raises them for a long soak (e.g. QT_FUZZ_SAVES=5000), QT_FUZZ_SEED picks another sequence. */
const SAVES = Number(process.env.QT_FUZZ_SAVES ?? 200);
const TIMEOUT = 30_000 + SAVES * 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seeds = Object.keys(SCENARIO_FILES).map((name) => scenario(name as keyof typeof SCENARIO_FILES));

// Whatever is saved into the rules while the daemon runs, the daemon keeps running a valid rule set.
describe('hot reload under hostile saves', () => {
  let copy: RuleSetCopy;
  let live: LiveRuleSet | undefined;
  afterEach(async () => {
    await live?.close();
    live = undefined;
    copy?.remove();
  });

  const open = () => {
    copy = new RuleSetCopy();
    const { logger, records } = captureLogger();
    const opened = LiveRuleSet.open({ rulesDir: copy.rulesDir, profilesDir: copy.profilesDir }, logger);
    if (!(opened instanceof LiveRuleSet)) throw new Error('initial set invalid');
    live = opened;
    const applied: PolicyEngine[] = [];
    opened.engines$.subscribe((engine) => applied.push(engine));
    return { live: opened, records, applied };
  };
  const ruleCount = (engine: PolicyEngine) => engine.ruleSet.rules.length;

  it.each(HOSTILE_SAVES.map((save) => [save.name, save] as const))('%s: rejected with its position, the last good set kept', (_name, save) => {
    const { live, records } = open();
    const good = live.ruleSet.contentHash;
    save.apply(copy);
    const outcome = live.reload();
    expect(outcome.status).toBe('rejected');
    if (outcome.status !== 'rejected') return;
    expect(outcome.problems.map(formatProblem)).toContainEqual(expect.stringMatching(new RegExp(`(^|/)${save.file.replace('.', '\\.')}(:\\d+:\\d+)? `)));
    expect(outcome.problems.every((p) => p.check !== 'internal')).toBe(true);
    expect(live.ruleSet.contentHash).toBe(good);
    expect(records.find((r) => String(r.msg).startsWith('policy reload rejected'))?.level).toBe(50);
    save.undo(copy);
    expect(live.reload().status).toBe('unchanged');
  });

  it('never applies a valid prefix of a file whose writer paused for less than two quiet periods', async () => {
    const { live, applied } = open();
    const full = copy.read('rules/confidence.yaml');
    const rules = ruleCount(live.engine);
    await live.watch({ quietMs: 400 });
    // The first rule only: valid YAML, a valid rule set, and not what the trader is writing.
    const prefix = full.slice(0, full.indexOf('  - name: confidence-high-volatility'));
    writeFileSync(copy.path('rules/confidence.yaml'), prefix);
    await sleep(500);
    writeFileSync(copy.path('rules/confidence.yaml'), full.replace('min_confidence: 0.60', 'min_confidence: 0.62'));
    await vi.waitFor(async () => expect((await live.engine.evaluate(scenario('highVolatility'))).policy.min_confidence).toBe(0.62), { timeout: 8000, interval: 50 });
    expect(applied.map(ruleCount)).toEqual([rules, rules]);
  });

  it('holds a file that does not end with a newline longer, as it is probably still being written', async () => {
    const { live, applied, records } = open();
    const full = copy.read('rules/confidence.yaml');
    await live.watch({ quietMs: 150, unterminatedMs: 3000 });
    const prefix = full.slice(0, full.indexOf('  - name: confidence-high-volatility')).trimEnd();
    writeFileSync(copy.path('rules/confidence.yaml'), prefix);
    await sleep(1200);
    expect(applied).toHaveLength(1);
    expect(records.some((r) => String(r.msg).startsWith('waiting for'))).toBe(true);
    writeFileSync(copy.path('rules/confidence.yaml'), full.replace('min_confidence: 0.60', 'min_confidence: 0.61'));
    await vi.waitFor(() => expect(applied).toHaveLength(2), { timeout: 8000, interval: 50 });
    expect(ruleCount(applied[1]!)).toBe(ruleCount(applied[0]!));
  });

  it(`survives ${SAVES} random and hostile saves while watching: never throws, always holds a set that evaluates without fallback`, async () => {
    const { live, applied, records } = open();
    await live.watch({ quietMs: 5, unterminatedMs: 5 });
    const originals = new Map(MUTATED_FILES.map((f) => [f, copy.read(f)]));
    const saveArb = fc.oneof(
      { weight: 6, arbitrary: fc.record({ file: fc.constantFrom(...MUTATED_FILES), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 2 }) }).map(({ file, mutations }) => ({ kind: 'mutation' as const, file, text: stringify(mutations.reduce((d, m) => mutate(d, m), parse(originals.get(file)!) as unknown)) })) },
      { weight: 2, arbitrary: fc.record({ file: fc.constantFrom(...MUTATED_FILES), accident: textAccidentArb }).map(({ file, accident }) => ({ kind: 'mutation' as const, file, text: textAccident(originals.get(file)!, accident) })) },
      { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_SAVES).map((save) => ({ kind: 'hostile' as const, save })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'restore' as const }) },
    );
    const saves = fc.sample(fc.tuple(saveArb, fc.nat({ max: 12 })), { numRuns: SAVES, seed: Number(process.env.QT_FUZZ_SEED ?? 16) });
    const hostile = new Set<(typeof HOSTILE_SAVES)[number]>();
    const restore = () => {
      for (const save of hostile) {
        try {
          save.undo(copy);
        } catch {
          // a later save rewrote the file; the originals are written back below
        }
      }
      hostile.clear();
      for (const [file, text] of originals) copy.write(file, text);
    };
    for (const [save, pause] of saves) {
      if (save.kind === 'mutation') {
        // Half the saves the way editors do it (a new file renamed over the old one), half in place.
        if (pause % 2 === 0) copy.write(save.file, save.text);
        else {
          writeFileSync(`${copy.path(save.file)}.tmp~`, save.text);
          renameSync(`${copy.path(save.file)}.tmp~`, copy.path(save.file));
        }
      } else if (save.kind === 'hostile' && !hostile.has(save.save)) {
        try {
          save.save.apply(copy);
          hostile.add(save.save);
        } catch {
          // the text it replaces was mutated away; nothing saved
        }
      } else if (save.kind === 'restore') {
        restore();
      }
      await sleep(pause);
    }
    restore();
    copy.edit('rules/confidence.yaml', 'min_confidence: 0.60', 'min_confidence: 0.63');
    await vi.waitFor(async () => expect((await live.engine.evaluate(scenario('highVolatility'))).policy.min_confidence).toBe(0.63), { timeout: 10_000, interval: 50 });

    expect(applied.length).toBeGreaterThan(1);
    for (const engine of new Set(applied)) {
      for (const state of seeds) expect((await engine.evaluate(state)).failure).toBeUndefined();
    }
    expect(records.filter((r) => String(r.msg).includes('internal error'))).toEqual([]);
    expect(records.some((r) => String(r.msg).startsWith('policy reload rejected'))).toBe(true);
  }, TIMEOUT);
});
