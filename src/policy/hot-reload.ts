import { watch, type FSWatcher } from 'chokidar';
import { BehaviorSubject, type Observable } from 'rxjs';
import { formatProblem, type Problem } from '../config/problem.js';
import type { Logger } from '../logger.js';
import { PolicyEngine } from './policy-engine.js';
import { snapshot, type Snapshot } from './rule-files.js';
import { loadRuleSet, RULE_SET_LABELS, type RuleSetLocation } from './rule-set-loader.js';
import type { RuleSet } from './rule-set.js';

export type ReloadOutcome =
  | { readonly status: 'reloaded'; readonly from: RuleSet; readonly to: RuleSet }
  | { readonly status: 'unchanged' }
  | { readonly status: 'rejected'; readonly problems: readonly Problem[] }
  /** The files changed while they were being loaded: nothing was applied, they are looked at again. */
  | { readonly status: 'moving' };

export interface WatchOptions {
  /**
   * How long the files must stay unchanged before they are loaded. After the last file event the files
   * are looked at once a quiet period later and again another quiet period later; only when both looks
   * see the same contents is the set loaded (default 1000 ms, so a save applies about 2 s later).
   */
  readonly quietMs?: number;
  /**
   * A file whose last line has no newline is probably still being written: it is loaded only once it
   * has been unchanged this long (default 10 × quietMs).
   */
  readonly unterminatedMs?: number;
}

export const DEFAULT_QUIET_MS = 1000;

/**
 * The rule set in force, replaced as one unit when the YAML changes: the whole set is parsed, validated,
 * linted and compiled first, and only a valid set replaces the current one. An invalid edit is logged
 * lint-style (file:line:column) and the last good set keeps running. Nothing a file contains, and no
 * failure while reloading, ends the process: the worst outcome is the last good set staying in force.
 *
 * While watching, only stable files are loaded (see WatchOptions), and a set is applied only when the
 * files, read again after loading, still have the contents that were validated: a file caught half
 * written is never applied as long as its writer does not pause for two quiet periods.
 *
 * Evaluations take `engine` once and use that object throughout, so a swap always falls between two
 * evaluations, never inside one.
 */
export class LiveRuleSet {
  private readonly current$: BehaviorSubject<PolicyEngine>;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The contents seen at the previous look, and since when they have been seen unchanged. */
  private lastLook: { readonly snapshot: Snapshot; readonly since: number } | undefined;
  /** The contents last loaded (applied or rejected): the same contents are not loaded nor logged again. */
  private settled: string;

  private constructor(
    readonly location: RuleSetLocation,
    private readonly logger: Logger,
    initial: PolicyEngine,
  ) {
    this.current$ = new BehaviorSubject(initial);
    this.settled = initial.ruleSet.contentHash;
  }

  /** Loads the initial set; returns the problems instead when it is invalid (nothing to fall back on). */
  static open(location: RuleSetLocation, logger: Logger): LiveRuleSet | readonly Problem[] {
    const loaded = loadRuleSet(location);
    if (!loaded.ruleSet) return loaded.problems;
    const live = new LiveRuleSet(location, logger, new PolicyEngine(loaded.ruleSet, { logger }));
    logger.info({ rule_set_version: loaded.ruleSet.version, active_profile: loaded.ruleSet.activeProfile }, 'policy loaded');
    return live;
  }

  get engine(): PolicyEngine {
    return this.current$.value;
  }

  get ruleSet(): RuleSet {
    return this.current$.value.ruleSet;
  }

  /** Emits the engine in force now and every replacement. */
  get engines$(): Observable<PolicyEngine> {
    return this.current$.asObservable();
  }

  /**
   * Re-reads the files now, without waiting for them to settle (tests, a SIGHUP handler). With
   * `expected`, applies the set only if the files still hash to it once loaded. Never throws.
   */
  reload(expected?: string): ReloadOutcome {
    const from = this.ruleSet;
    try {
      const loaded = loadRuleSet(this.location);
      if (expected !== undefined && this.look().hash !== expected) return { status: 'moving' };
      if (!loaded.ruleSet) {
        const errors = loaded.problems.filter((p) => p.severity === 'error');
        this.logger.error(
          { rule_set_version: from.version, problems: errors.map(formatProblem) },
          `policy reload rejected, keeping ${from.version}: ${errors.map(formatProblem).join('; ')}`,
        );
        return { status: 'rejected', problems: errors };
      }
      const to = loaded.ruleSet;
      if (expected !== undefined && to.contentHash !== expected) return { status: 'moving' };
      if (to.contentHash === from.contentHash) return { status: 'unchanged' };
      this.current$.next(new PolicyEngine(to, { logger: this.logger }));
      this.logger.info(
        {
          old_version: from.version,
          new_version: to.version,
          old_hash: from.contentHash,
          new_hash: to.contentHash,
          old_profile: from.activeProfile,
          new_profile: to.activeProfile,
          files: to.files.map((f) => `${f.file}@${f.version}`),
        },
        'policy reloaded',
      );
      return { status: 'reloaded', from, to };
    } catch (error) {
      // A defect, not the user's file; still never a reason to stop trading with the last good set.
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error, rule_set_version: from.version }, `policy reload failed (internal error), keeping ${from.version}: ${message}`);
      return { status: 'rejected', problems: [{ file: '-', line: 0, column: 0, rule: '-', severity: 'error', check: 'internal', message }] };
    }
  }

  /** Starts watching the rules and profiles folders; resolves once the watcher is ready. */
  async watch(options: WatchOptions = {}): Promise<void> {
    const quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
    const unterminatedMs = options.unterminatedMs ?? 10 * quietMs;
    this.watcher = watch([this.location.rulesDir, this.location.profilesDir], { ignoreInitial: true });
    this.watcher.on('all', () => this.schedule(quietMs, unterminatedMs));
    this.watcher.on('error', (error) => this.logger.error({ err: error }, `rule file watcher: ${error instanceof Error ? error.message : String(error)}`));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.watcher?.close();
    this.current$.complete();
  }

  private schedule(quietMs: number, unterminatedMs: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.settle(quietMs, unterminatedMs), quietMs);
  }

  /** One look at the files, a quiet period after the last event or look; loads them once they are stable. */
  private settle(quietMs: number, unterminatedMs: number): void {
    if (this.closed) return;
    try {
      const now = this.look();
      const previous = this.lastLook;
      if (previous === undefined || previous.snapshot.hash !== now.hash) {
        this.lastLook = { snapshot: now, since: Date.now() };
        if (now.hash !== this.settled) this.schedule(quietMs, unterminatedMs);
        return;
      }
      if (now.hash === this.settled) return;
      const waited = Date.now() - previous.since;
      if (now.unterminated.length > 0 && waited < unterminatedMs) {
        this.logger.info({ files: now.unterminated }, `waiting for ${now.unterminated.join(', ')} to end with a newline (still being written?); loading anyway after ${unterminatedMs} ms unchanged`);
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.settle(quietMs, unterminatedMs), Math.max(quietMs, unterminatedMs - waited));
        return;
      }
      const outcome = this.reload(now.hash);
      if (outcome.status === 'moving') {
        this.lastLook = undefined;
        this.schedule(quietMs, unterminatedMs);
        return;
      }
      this.settled = now.hash;
    } catch (error) {
      this.logger.error({ err: error }, `policy reload failed (internal error): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private look(): Snapshot {
    return snapshot([this.location.rulesDir, this.location.profilesDir], RULE_SET_LABELS);
  }
}
