import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
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
 * leverage) and entries resized to fit them: the limits as they were before the design's notional caps
 * and refusals. The shipped caps (5% / 10% of equity in notional under SAFE) refuse every entry the
 * design's own sizing makes (1% risk at a 2-4% stop is 25-50% of equity in notional), so tests about
 * anything other than exposure trade under this variant. Tests of the caps use the bundled set.
 */
export function roomyLimitsRuleSet(): RuleSet {
  if (!roomy) {
    const base = bundledRuleSet();
    const profiles = new Map([...base.profiles].map(([name, p]) => [name, { ...p, limits: { ...p.limits, ...ROOMY } }]));
    roomy = { ...base, profiles };
  }
  return roomy;
}

const ROOMY = { exposure_basis: 'margin', resize_to_fit: { enabled: true, min_risk_fraction: 0.0001 } } as const;

export function roomyLimitsEngine(): PolicyEngine {
  return new PolicyEngine(roomyLimitsRuleSet());
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

  /** Counts every profile's exposure caps as margin and resizes entries to fit (see roomyLimitsRuleSet). */
  roomyLimits(): this {
    for (const file of ['profiles/safe.yaml', 'profiles/moderate.yaml', 'profiles/aggressive.yaml']) {
      this.edit(file, 'exposure_basis: notional', 'exposure_basis: margin');
      this.edit(file, 'enabled: false', 'enabled: true');
      this.edit(file, 'min_risk_fraction: 0.5', 'min_risk_fraction: 0.0001');
    }
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

/**
 * Private copies of the YAML for one test file, each made on demand and all removed after the file's
 * tests (call at the top of a `describe`).
 */
export function ruleSetCopies(): () => RuleSetCopy {
  const copies: RuleSetCopy[] = [];
  afterAll(() => copies.forEach((c) => c.remove()));
  return () => {
    const c = new RuleSetCopy();
    copies.push(c);
    return c;
  };
}
