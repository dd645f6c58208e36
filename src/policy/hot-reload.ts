import { watch, type FSWatcher } from 'chokidar';
import { BehaviorSubject, type Observable } from 'rxjs';
import { formatProblem, type Problem } from '../config/problem.js';
import type { Logger } from '../logger.js';
import { PolicyEngine } from './policy-engine.js';
import { loadRuleSet, type RuleSetLocation } from './rule-set-loader.js';
import type { RuleSet } from './rule-set.js';

export type ReloadOutcome =
  | { readonly status: 'reloaded'; readonly from: RuleSet; readonly to: RuleSet }
  | { readonly status: 'unchanged' }
  | { readonly status: 'rejected'; readonly problems: readonly Problem[] };

export interface WatchOptions {
  /** Quiet period after the last file event before reloading, so a burst of saves reloads once. */
  readonly debounceMs?: number;
  /** How long a file's size must stay still before it counts as written (chokidar awaitWriteFinish). */
  readonly writeSettleMs?: number;
}

/**
 * The rule set in force, replaced as one unit when the YAML changes: the whole set is parsed, validated,
 * linted and compiled first, and only a valid set replaces the current one. An invalid edit is logged
 * lint-style (file:line:column) and the last good set keeps running.
 *
 * Evaluations take `engine` once and use that object throughout, so a swap always falls between two
 * evaluations, never inside one.
 */
export class LiveRuleSet {
  private readonly current$: BehaviorSubject<PolicyEngine>;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly location: RuleSetLocation,
    private readonly logger: Logger,
    initial: PolicyEngine,
  ) {
    this.current$ = new BehaviorSubject(initial);
  }

  /** Loads the initial set; returns the problems instead when it is invalid (nothing to fall back on). */
  static open(location: RuleSetLocation, logger: Logger): LiveRuleSet | readonly Problem[] {
    const loaded = loadRuleSet(location);
    if (!loaded.ruleSet) return loaded.problems;
    const live = new LiveRuleSet(location, logger, new PolicyEngine(loaded.ruleSet));
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

  /** Re-reads the files now. Called by the watcher; callable directly (tests, a SIGHUP handler). */
  reload(): ReloadOutcome {
    const loaded = loadRuleSet(this.location);
    const from = this.ruleSet;
    if (!loaded.ruleSet) {
      const errors = loaded.problems.filter((p) => p.severity === 'error');
      this.logger.error(
        { rule_set_version: from.version, problems: errors.map(formatProblem) },
        `policy reload rejected, keeping ${from.version}: ${errors.map(formatProblem).join('; ')}`,
      );
      return { status: 'rejected', problems: errors };
    }
    const to = loaded.ruleSet;
    if (to.contentHash === from.contentHash) return { status: 'unchanged' };
    this.current$.next(new PolicyEngine(to));
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
  }

  /** Starts watching the rules and profiles folders; resolves once the watcher is ready. */
  async watch(options: WatchOptions = {}): Promise<void> {
    const debounceMs = options.debounceMs ?? 200;
    const settle = options.writeSettleMs ?? 100;
    this.watcher = watch([this.location.rulesDir, this.location.profilesDir], {
      ignoreInitial: true,
      awaitWriteFinish: { stabilityThreshold: settle, pollInterval: Math.max(10, Math.floor(settle / 4)) },
    });
    this.watcher.on('all', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), debounceMs);
    });
    this.watcher.on('error', (error) => this.logger.error({ err: error }, 'rule file watcher failed'));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.watcher?.close();
    this.current$.complete();
  }
}
