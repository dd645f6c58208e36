import { concatMap, map, skip, Subject, timer, type Subscription } from 'rxjs';
import { createLogger, type Logger } from '../logger.js';
import { LiveRuleSet } from '../policy/hot-reload.js';
import { assessments, PolicyStage, type Evaluated } from '../policy/policy-stage.js';
import { policyDecisions, type PolicyDecision } from '../policy/policy-stream.js';
import { MarketStateBuilder, marketInstants, type MarketState } from '../state/index.js';
import { CsvCandleSource } from '../market/candles/index.js';
import { candleSourceFrom, type CandleSourceFlags } from './candle-source-options.js';
import { shortDataWarnings } from './short-data.js';
import { EXIT } from './exit-codes.js';
import { untilStopped } from './until-stopped.js';
import { RuleSetError, type Output } from './output.js';
import { locationFrom, type RuleSetFlags } from './rule-set-options.js';
import { stateSettings } from '../policy/classification/index.js';

export interface WatchParams extends RuleSetFlags, CandleSourceFlags {
  readonly profile?: string;
  /** Candles replayed per second; absent: as fast as possible. */
  readonly speed?: number;
  /** Stop when the data ends instead of watching the YAML for more edits. */
  readonly once?: boolean;
  readonly format: 'pretty' | 'json';
  /** Ends the command when it resolves (tests); by default SIGINT/SIGTERM. */
  readonly stop?: Promise<void>;
  readonly logger?: Logger;
}

/**
 * `watch`: replays candles through the market-state stream and the live rule set, printing one line per
 * policy transition. The YAML is watched the whole time; after the data ends the last state is
 * re-evaluated on every reload, so a trader can keep trying edits against it.
 */
export async function watchCommand(params: WatchParams, output: Output, cwd = process.cwd()): Promise<number> {
  const logger = params.logger ?? createLogger();
  const opened = LiveRuleSet.open(locationFrom(params, cwd), logger);
  if (!(opened instanceof LiveRuleSet)) throw new RuleSetError(opened);
  const live = opened;
  const subscriptions: Subscription[] = [];
  try {
    live.engine.profile(params.profile); // an unknown --profile fails now, not at the first candle
    const source = candleSourceFrom(params, logger, live.ruleSet);
    if (source instanceof CsvCandleSource) for (const warning of shortDataWarnings(source.series.flatMap((s) => s.candles), live.ruleSet)) logger.warn(warning);
    await live.watch();
    const builder = new MarketStateBuilder({ settings: stateSettings(() => live.ruleSet) });
    // The same state → policy stage as the trading sessions' executor.
    const stage = new PolicyStage(builder, live, {
      ...(params.profile ? { profile: params.profile } : {}),
      onRejected: (event, reason) => logger.warn({ event }, `account event rejected: ${reason}`),
    });
    const evaluated$ = new Subject<Evaluated>();
    let last: MarketState | undefined;
    // The transitions are printed on stdout; the JSON log keeps only the policy stream's warnings.
    const policyLogger = logger.child({ component: 'policy' });
    if (!logger.isLevelEnabled('warn') || logger.isLevelEnabled('info')) policyLogger.level = logger.isLevelEnabled('warn') ? 'warn' : logger.level;
    const finished = new Promise<void>((resolve, reject) => {
      subscriptions.push(
        evaluated$.pipe(policyDecisions(policyLogger)).subscribe({
          next: (decision) => {
            if (decision.changed.length > 0) output.out(params.format === 'json' ? JSON.stringify(transitionRecord(decision)) : transitionLine(decision));
          },
          error: reject,
          complete: resolve,
        }),
      );
    });
    const paced = params.speed === undefined ? source.candles() : source.candles().pipe(concatMap((c) => timer(1000 / params.speed!).pipe(map(() => c))));
    subscriptions.push(
      paced.pipe(marketInstants(), assessments(stage)).subscribe({
        next: (evaluated) => {
          last = evaluated.state;
          evaluated$.next(evaluated);
        },
        error: (error: unknown) => evaluated$.error(error),
        complete: () => {
          if (last === undefined) output.err(`warning: the data ended before the reference symbol's indicators warmed up; no market state was produced (give more bars)`);
          if (params.once) evaluated$.complete();
          else output.err('data ended; still watching the rules and profiles for edits (Ctrl-C to stop)');
        },
      }),
      // A reload re-evaluates the state as it is, with the new rules.
      live.engines$.pipe(skip(1), concatMap(() => stage.assess())).subscribe((assessment) => {
        if (last !== undefined && assessment.state !== undefined && assessment.evaluation !== undefined) evaluated$.next(assessment as Evaluated);
      }),
    );
    const stop = params.stop ?? untilStopped();
    await Promise.race([finished, stop.then(() => evaluated$.complete())]);
    return EXIT.OK;
  } finally {
    subscriptions.forEach((s) => s.unsubscribe());
    await live.close();
  }
}


function transitionRecord(d: PolicyDecision) {
  const p = d.policy;
  return {
    time: new Date(d.state.timestamp as number).toISOString(),
    regime: d.state.regime,
    volatility: d.state.volatility,
    allow_new_trades: p.allow_new_trades,
    exit_mode: p.exit_mode,
    risk_profile: p.risk_profile,
    min_confidence: p.min_confidence,
    max_risk_pct: p.max_risk_pct,
    profile: p.profile,
    changed: d.changed,
    decided_by: Object.fromEntries(d.changed.filter((f) => f in p.decided_by).map((f) => [f, p.decided_by[f as keyof typeof p.decided_by]])),
    rule_set_version: p.rule_set_version,
  };
}

/** `2024-01-03 12:00Z SIDEWAYS/NORMAL trades ON  FAST_TP ... by exit_mode=exit-default` */
export function transitionLine(d: PolicyDecision): string {
  const r = transitionRecord(d);
  const deciders = Object.entries(r.decided_by)
    .map(([field, rules]) => `${field}=${(rules as readonly string[]).join('+') || 'default'}`)
    .join(' ');
  return [
    r.time.replace('T', ' ').replace(/:00\.000Z$/, 'Z'),
    `${r.regime}/${r.volatility}`.padEnd(22),
    r.allow_new_trades ? 'trades ON ' : 'trades OFF',
    r.exit_mode.padEnd(15),
    r.risk_profile.padEnd(13),
    `min_conf ${r.min_confidence.toFixed(2)}`,
    `max_risk ${(r.max_risk_pct * 100).toFixed(2)}%`,
    r.profile,
    d.previous === undefined || d.changed.includes('rule_set_version') ? `rules ${r.rule_set_version}` : '',
    deciders === '' ? '' : `by ${deciders}`,
  ]
    .filter(Boolean)
    .join('  ');
}
