import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../src/market/candles/rng.js';
import { TradingStore } from '../../src/store/index.js';
import { Daemon, quickRules, roomyProfiles } from '../support/daemon.js';
import { ExchangeJudge } from '../support/exchange-judge.js';
import { seededRandom } from '../support/mock-binance/faults.js';
import { MockBinance } from '../support/mock-binance/mock-binance.js';
import { MarketTape } from './market-tape.js';

export interface CampaignOptions {
  readonly seed: number;
  readonly kills: number;
  /** Probabilities per request: 429, 5xx before processing, 5xx after processing, answer lost after processing. */
  readonly faults: { readonly rateLimit: number; readonly unavailable: number; readonly unavailableAfter: number; readonly lostResponse: number };
  /** Share of rounds that end at a named crash point inside an exchange write (the rest: SIGKILL at a random moment). */
  readonly crashPointShare?: number;
  /** How long a daemon may leave a position without a full-size stop, or an order protecting nothing, once started (ms). */
  readonly graceMs?: number;
  readonly onRound?: (round: RoundReport) => void;
}

export interface RoundReport {
  readonly round: number;
  readonly how: string;
  readonly started: boolean;
  readonly aliveMs: number;
}

export interface CampaignReport {
  readonly seed: number;
  readonly kills: number;
  readonly rounds: readonly RoundReport[];
  readonly violations: {
    readonly reusedClientIds: string[];
    readonly signalsEnteredTwice: string[];
    readonly unattributedEntries: string[];
    readonly nakedTooLong: string[];
    /** Orders that protect nothing still resting when a restart's reconciliation completed. */
    readonly orphansAfterReconciliation: string[];
    /** Orders that protect nothing resting for more than 10 s while a daemon was up (it learns of them at its next poll). */
    readonly orphansTooLong: string[];
    /** Protective orders that acted on a later position than their own. */
    readonly orphanFills: string[];
    readonly storeDiffers: string[];
    /** Daemons that ended by themselves other than at a crash point (a fault must never end the daemon). */
    readonly daemonExits: string[];
  };
  readonly figures: {
    readonly entries: number;
    readonly trades: number;
    readonly requests: number;
    readonly faults: Record<string, number>;
    readonly startups: number;
    readonly longestNakedMs: number;
    readonly longestOrphanMs: number;
    readonly wallSeconds: number;
  };
}

const SYMBOLS = [
  { symbol: 'BTCUSDT', price: 40_000, tick: 0.1, tickSize: '0.1', stepSize: '0.001', minQty: '0.001', minNotional: '5' },
  { symbol: 'DOGEUSDT', price: 0.12345, tick: 0.00001, tickSize: '0.00001', stepSize: '1', minQty: '1', minNotional: '5' },
];
const CRASH_POINTS = ['intent:entry', 'sent:entry', 'intent:exit', 'sent:exit', 'intent:stop-loss', 'sent:stop-loss', 'sent:trailing-stop', 'sent:take-profit', 'cancel-intent', 'cancel-sent', 'cycle'];

/**
 * A seeded chaos campaign: `run --live` against the local exchange with random faults, killed with
 * SIGKILL again and again (at random moments, and at named points inside exchange writes), judged from
 * the exchange's side. A last run without faults must leave the store equal to the exchange.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const wallStart = Date.now();
  const random = seededRandom(options.seed);
  const grace = options.graceMs ?? 3_000;
  const dir = mkdtempSync(join(tmpdir(), 'qt-chaos-'));
  // The campaign is about orders, not policy: the orchestrator is off (the profile's static policy: no
  // gate closing on the jumps, no symbol blocked for its chaotic record), and a signal stays tradable for
  // five bars, so that signals released while a daemon starts are still traded and orders keep flowing.
  const rules = quickRules({ maxAgeBars: 5 });
  writeFileSync(join(rules, 'orchestrator.yaml'), readFileSync(join(rules, 'orchestrator.yaml'), 'utf8').replace('enable_orchestrator: true', 'enable_orchestrator: false'));
  const profiles = chaosProfiles(dir);
  const exchange = await new MockBinance({ balance: 100_000, symbols: SYMBOLS.map(({ tick: _t, ...s }) => s) }).start();
  const tape = new MarketTape(exchange, SYMBOLS, options.seed);
  const signals = writeSignals(join(dir, 'signals.jsonl'), tape.start, options.seed);
  const store = join(dir, 'live.sqlite');
  const judge = new ExchangeJudge(exchange);
  const rounds: RoundReport[] = [];
  const monitor = new ExposureMonitor(judge, grace);
  const exits: string[] = [];
  tape.run();
  exchange.chaos({ ...options.faults, match: /^(GET|POST|DELETE) \/fapi\//, lateDelayMs: 0 }, random);
  try {
    for (let round = 1; round <= options.kills + 1; round++) {
      const last = round > options.kills;
      if (last) exchange.chaos(undefined);
      const crashAt = !last && random() < (options.crashPointShare ?? 0.35) ? `${CRASH_POINTS[Math.floor(random() * CRASH_POINTS.length)]}#${1 + Math.floor(random() * 2)}` : undefined;
      const daemon = new Daemon({ exchange, store, signals, rules, profiles, symbols: SYMBOLS.map((s) => s.symbol), timeframe: '1m', poll: 0.2, extraArgs: ['--profile', 'aggressive'], ...(crashAt === undefined ? {} : { crashAt }) });
      const born = Date.now();
      monitor.watch(daemon);
      const lifetime = last ? 8_000 : random() < 0.3 ? 300 + random() * 2_500 : undefined;
      let how: string;
      if (lifetime !== undefined) {
        await sleepUnless(lifetime, daemon);
        how = daemon.dead ? `died at ${crashAt}` : `SIGKILL after ${Math.round(lifetime)} ms`;
      } else {
        // Progress is guaranteed (some cycles run), the kill lands at a random moment of the work after them.
        const cycles = 1 + Math.floor(random() * 4);
        await waitForStartUp(daemon, 60_000);
        await waitForCycles(daemon, cycles, 60_000);
        await sleepUnless(random() * 1_500, daemon);
        how = daemon.dead ? `died at ${crashAt}` : `SIGKILL after start-up and ${cycles} cycle(s)`;
      }
      if (last) {
        await waitForStartUp(daemon, 60_000);
        await sleep(2_000);
        daemon.kill('SIGTERM');
      } else {
        daemon.kill('SIGKILL');
      }
      const killedByUs = !daemon.dead;
      if (!killedByUs && !(crashAt !== undefined && daemon.exitSignal === 'SIGKILL')) exits.push(`round ${round}: exit ${daemon.exitCode ?? daemon.exitSignal}: ${daemon.stderr.filter((l) => /error/i.test(l)).slice(-3).join(' | ')}`);
      await daemon.exited;
      monitor.unwatch();
      if (process.env.QT_CHAOS_LOGS !== undefined) writeFileSync(join(process.env.QT_CHAOS_LOGS, `round-${round}.log`), daemon.stderr.join('\n'));
      rounds.push({ round, how, started: daemon.logged('start-up complete'), aliveMs: Date.now() - born });
      options.onRound?.(rounds.at(-1)!);
      if (!last) await sleep(random() * 1_000);
    }
  } finally {
    tape.halt();
    monitor.stop();
  }
  const attribution = attributeEntries(judge, store);
  const report: CampaignReport = {
    seed: options.seed,
    kills: options.kills,
    rounds,
    violations: {
      reusedClientIds: judge.reusedClientIds(),
      signalsEnteredTwice: attribution.twice,
      unattributedEntries: attribution.unattributed,
      nakedTooLong: monitor.nakedViolations,
      orphansAfterReconciliation: monitor.afterReconciliation,
      orphansTooLong: monitor.orphanViolations,
      orphanFills: judge.orphanFills(),
      storeDiffers: judge.storeDifferences(store),
      daemonExits: exits,
    },
    figures: {
      entries: judge.entries().length,
      trades: tradesIn(store),
      requests: exchange.requests.length,
      faults: { ...exchange.faults.applied },
      startups: rounds.filter((r) => r.started).length,
      longestNakedMs: monitor.longestNaked,
      longestOrphanMs: monitor.longestOrphan,
      wallSeconds: Math.round((Date.now() - wallStart) / 1000),
    },
  };
  await exchange.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(rules, { recursive: true, force: true });
  return report;
}

/**
 * Samples the exchange every 100 ms. Naked positions count only while a daemon is up and has completed
 * start-up (a dead daemon protects nothing; a restart must protect within its start-up). Orders that
 * protect nothing are timed whatever the daemon does: one left from before a restart must be gone when
 * that restart's reconciliation completes (orphaned more than a second before), and none may rest for
 * more than 10 s while a daemon is up (it learns of a stop's fill, and cancels the siblings, at a poll).
 */
class ExposureMonitor {
  readonly nakedViolations: string[] = [];
  readonly orphanViolations: string[] = [];
  readonly afterReconciliation: string[] = [];
  longestNaked = 0;
  longestOrphan = 0;
  private daemon: Daemon | undefined;
  private started = false;
  private readonly nakedSince = new Map<string, number>();
  private readonly orphanSince = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly judge: ExchangeJudge, private readonly grace: number) {
    this.timer = setInterval(() => this.sample(), 100);
  }

  watch(daemon: Daemon): void {
    this.daemon = daemon;
    this.started = false;
  }

  unwatch(): void {
    this.daemon = undefined;
    this.nakedSince.clear();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const now = Date.now();
    const orphans = this.judge.orphans();
    for (const key of [...this.orphanSince.keys()]) if (!orphans.includes(key)) this.orphanSince.delete(key);
    for (const key of orphans) if (!this.orphanSince.has(key)) this.orphanSince.set(key, now);
    const daemon = this.daemon;
    const up = daemon !== undefined && !daemon.dead && daemon.logged('start-up complete');
    if (!up) {
      this.nakedSince.clear();
      return;
    }
    if (!this.started) {
      this.started = true;
      for (const [key, since] of this.orphanSince) if (now - since > 1_000) this.afterReconciliation.push(`${key} protecting nothing for ${now - since} ms when start-up completed`);
    }
    for (const [key, since] of this.orphanSince) {
      this.longestOrphan = Math.max(this.longestOrphan, now - since);
      if (now - since > 10_000 && !this.orphanViolations.some((v) => v.startsWith(key))) this.orphanViolations.push(`${key} resting, protecting nothing, for ${now - since} ms`);
    }
    const naked = this.judge.naked();
    for (const key of [...this.nakedSince.keys()]) if (!naked.includes(key)) this.nakedSince.delete(key);
    for (const key of naked) {
      if (!this.nakedSince.has(key)) this.nakedSince.set(key, now);
      const ms = now - this.nakedSince.get(key)!;
      this.longestNaked = Math.max(this.longestNaked, ms);
      if (ms > this.grace && !this.nakedViolations.some((v) => v.startsWith(key))) this.nakedViolations.push(`${key} without a full-size stop for ${ms} ms`);
    }
  }
}

/** Every entry the exchange filled, attributed to its signal through the store's record of the order: at most one per signal. */
function attributeEntries(judge: ExchangeJudge, storePath: string): { twice: string[]; unattributed: string[] } {
  const store = TradingStore.open(storePath);
  try {
    const bySignal = new Map<string, string[]>();
    const unattributed: string[] = [];
    for (const entry of judge.entries()) {
      const signal = store.order(entry.clientOrderId)?.signal_id;
      if (signal === undefined) unattributed.push(entry.clientOrderId);
      else bySignal.set(signal, [...(bySignal.get(signal) ?? []), entry.clientOrderId]);
    }
    return { twice: [...bySignal].filter(([, ids]) => ids.length > 1).map(([signal, ids]) => `${signal}: ${ids.join(', ')}`), unattributed };
  } finally {
    store.close();
  }
}

function tradesIn(storePath: string): number {
  const store = TradingStore.open(storePath);
  try {
    return store.trades().length;
  } finally {
    store.close();
  }
}

/** A signal every ~3 s of virtual time for the next hour: long, short (a reversal when long) or exit. */
function writeSignals(path: string, start: number, seed: number): string {
  const rng = createRng(`signals-${seed}`);
  const lines: string[] = [];
  for (let t = start + 2_000; t < start + 3_600_000; t += 1_500 + Math.floor(rng.next() * 3_000)) {
    const symbol = SYMBOLS[Math.floor(rng.next() * SYMBOLS.length)]!.symbol;
    const x = rng.next();
    const side = x < 0.45 ? 'long' : x < 0.8 ? 'short' : 'exit';
    lines.push(JSON.stringify({ symbol, side, confidence: 0.95, timestamp: t }));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** The shipped profiles, with circuit breakers and exposure caps out of the way: the campaign is about orders, not policy. */
function chaosProfiles(dir: string): string {
  const profiles = join(dir, 'profiles');
  cpSync(roomyProfiles(), profiles, { recursive: true });
  const file = join(profiles, 'aggressive.yaml');
  const text = readFileSync(file, 'utf8')
    .replace(/daily_dd_limit_pct: -?[\d.]+/, 'daily_dd_limit_pct: -0.5')
    .replace(/losing_streak_threshold: \d+/, 'losing_streak_threshold: 1000');
  writeFileSync(file, text);
  return profiles;
}

async function waitForCycles(daemon: Daemon, cycles: number, timeout: number): Promise<void> {
  const until = Date.now() + timeout;
  while (Date.now() < until && !daemon.dead && daemon.log.filter((r) => r.msg === 'cycle').length < cycles) await sleep(25);
}

async function waitForStartUp(daemon: Daemon, timeout: number): Promise<void> {
  const until = Date.now() + timeout;
  while (Date.now() < until && daemon.exitSignal === null && !daemon.logged('start-up complete')) await sleep(25);
}

/** Sleeps, or returns early when the daemon died by itself (a crash point). */
async function sleepUnless(ms: number, daemon: Daemon): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && daemon.exitSignal === null) await sleep(25);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
