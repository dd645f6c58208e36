import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED, loadRuleSet, PolicyEngine, type RuleSet } from '../../src/policy/index.js';

export const REPO = new URL('../..', import.meta.url).pathname;

let bundled: RuleSet | undefined;

/** The rule set shipped in rules/ and profiles/ (loaded once per test file). */
export function bundledRuleSet(): RuleSet {
  if (!bundled) {
    const loaded = loadRuleSet(BUNDLED, REPO);
    if (!loaded.ruleSet) throw new Error(`bundled rule set is invalid:\n${loaded.problems.map((p) => p.message).join('\n')}`);
    bundled = loaded.ruleSet;
  }
  return bundled;
}

export function bundledEngine(): PolicyEngine {
  return new PolicyEngine(bundledRuleSet());
}

let roomy: RuleSet | undefined;

/**
 * The bundled rule set with every profile's exposure caps counted on the margin basis (notional /
 * leverage). The shipped, design-faithful notional caps (5% / 10% of equity under SAFE) refuse every
 * entry the design's own sizing makes (1% risk at a 2-4% stop is 25-50% of equity in notional), so
 * tests about anything other than exposure trade under this variant. Tests of the caps use the bundled set.
 */
export function marginBasisRuleSet(): RuleSet {
  if (!roomy) {
    const base = bundledRuleSet();
    const profiles = new Map([...base.profiles].map(([name, p]) => [name, { ...p, limits: { ...p.limits, exposure_basis: 'margin' as const } }]));
    roomy = { ...base, profiles };
  }
  return roomy;
}

export function marginBasisEngine(): PolicyEngine {
  return new PolicyEngine(marginBasisRuleSet());
}

/**
 * A private copy of rules/ and profiles/ in a temp folder, for tests that edit YAML as a trader would.
 * `edit` replaces text in a file and fails loudly when the text is not there (so a test cannot silently
 * stop testing what it claims).
 */
export class RuleSetCopy {
  readonly root: string;
  readonly rulesDir: string;
  readonly profilesDir: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'qt-rules-'));
    this.rulesDir = join(this.root, 'rules');
    this.profilesDir = join(this.root, 'profiles');
    cpSync(BUNDLED.rulesDir, this.rulesDir, { recursive: true });
    cpSync(BUNDLED.profilesDir, this.profilesDir, { recursive: true });
  }

  path(relative: string): string {
    return join(this.root, relative);
  }

  read(relative: string): string {
    return readFileSync(this.path(relative), 'utf8');
  }

  write(relative: string, text: string): void {
    writeFileSync(this.path(relative), text);
  }

  edit(relative: string, from: string, to: string): void {
    const text = this.read(relative);
    if (!text.includes(from)) throw new Error(`${relative} does not contain ${JSON.stringify(from)}`);
    this.write(relative, text.replace(from, to));
  }

  /** Counts every profile's exposure caps on the margin basis (see marginBasisRuleSet). */
  marginBasis(): this {
    for (const file of ['profiles/safe.yaml', 'profiles/moderate.yaml', 'profiles/aggressive.yaml']) this.edit(file, 'exposure_basis: notional', 'exposure_basis: margin');
    return this;
  }

  load() {
    return loadRuleSet({ rulesDir: this.rulesDir, profilesDir: this.profilesDir }, this.root);
  }

  engine(): PolicyEngine {
    const loaded = this.load();
    if (!loaded.ruleSet) throw new Error(loaded.problems.map((p) => `${p.file}:${p.line} ${p.message}`).join('\n'));
    return new PolicyEngine(loaded.ruleSet);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
