import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import type { MockBinance } from './mock-binance/mock-binance.js';
import { REPO, RuleSetCopy } from './rule-sets.js';

/** rules/execution.yaml with quick exchange timing, so crash tests do not wait out production timeouts. */
export const QUICK_EXCHANGE = `exchange:
  timeout_ms: 700
  recv_window_ms: 1000
  retry: { attempts: 6, base_delay_ms: 20, max_delay_ms: 200 }
  circuit_failures: 3
  startup_retry: { base_delay_ms: 50, max_delay_ms: 500 }
`;

/** A copy of the shipped rules with rules/execution.yaml's exchange timing replaced. */
export function quickRules(options: { adoptUnknown?: boolean; maxAgeBars?: number } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'qt-rules-'));
  cpSync(join(REPO, 'rules'), dir, { recursive: true });
  const original = readFileSync(join(dir, 'execution.yaml'), 'utf8');
  const head = original.slice(0, original.indexOf('signals:'));
  writeFileSync(join(dir, 'execution.yaml'), `${head}signals:\n  max_age_bars: ${options.maxAgeBars ?? 1}\nreconciliation:\n  adopt_unknown_positions: ${options.adoptUnknown ?? true}\n${QUICK_EXCHANGE}`);
  return dir;
}

let roomy: RuleSetCopy | undefined;

/**
 * Profiles whose exposure caps are counted as margin with entries resized to fit (the shipped notional
 * caps refuse the design's position sizes; see roomyLimitsRuleSet): these tests are about orders.
 */
export function roomyProfiles(): string {
  roomy ??= new RuleSetCopy().roomyLimits();
  return roomy.profilesDir;
}

export interface DaemonOptions {
  readonly exchange: MockBinance;
  readonly store: string;
  readonly signals: string;
  readonly rules: string;
  /** Default: roomyProfiles(). */
  readonly profiles?: string;
  readonly symbols?: readonly string[];
  readonly timeframe?: string;
  /** QT_CRASH_AT: the process kills itself at this point (see src/execution/crash-points.ts). */
  readonly crashAt?: string;
  readonly extraArgs?: readonly string[];
  readonly poll?: number;
  /** More environment (QT_HTTP_TOKEN …). */
  readonly env?: Readonly<Record<string, string>>;
}

/** `quantum-trader run --live` as a real child process, its JSON log collected. */
export class Daemon {
  readonly log: Record<string, unknown>[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  exitSignal: NodeJS.Signals | null = null;
  exitCode: number | null = null;
  /** The process has ended (killed, or by itself). */
  dead = false;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(options: DaemonOptions) {
    const { exchange } = options;
    this.child = spawn(
      process.execPath,
      [join(REPO, 'src/cli/bin.js'), 'run', '--exchange', 'binanceusdm', '--live', '--i-understand-this-trades-real-money', '--symbols', (options.symbols ?? ['BTCUSDT']).join(','),
        '--timeframe', options.timeframe ?? '1h', '--exchange-url', exchange.url, '--store', options.store, '--poll', String(options.poll ?? 0.05), '--signals', options.signals,
        '--rules', options.rules, '--profiles', options.profiles ?? roomyProfiles(),
        // Any free port unless a test asks: daemons run side by side.
        ...(options.extraArgs?.some((a) => a === '--http' || a === '--no-http') === true ? [] : ['--http', '0']), ...(options.extraArgs ?? [])],
      {
        cwd: REPO,
        env: {
          ...process.env, QT_EXCHANGE_API_KEY: exchange.apiKey, QT_EXCHANGE_API_SECRET: exchange.secret, QT_LOG_LEVEL: 'info',
          ...(options.crashAt === undefined ? {} : { QT_CRASH_AT: options.crashAt }), ...options.env,
        },
      },
    );
    let partial = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        this.stderr.push(line);
        if (line.startsWith('{')) this.log.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    this.child.stdout.resume();
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => {
      this.exitSignal = signal;
      this.exitCode = code;
      this.dead = true;
      resolve(code);
    }));
  }

  /** The status page's address, from the log (once the daemon serves it). */
  async statusUrl(timeout = 30_000): Promise<string> {
    await this.waitFor(/^status page at /, timeout);
    return String(this.log.find((r) => /^status page at /.test(String(r.msg)))!.url);
  }

  logged(message: string | RegExp): boolean {
    return this.log.some((r) => (typeof message === 'string' ? r.msg === message : message.test(String(r.msg))));
  }

  async waitFor(message: string | RegExp, timeout = 30_000): Promise<void> {
    await vi.waitFor(() => expect(this.logged(message), `no "${String(message)}" in:\n${this.stderr.slice(-40).join('\n')}`).toBe(true), { timeout, interval: 25 });
  }

  async cycle(time: number, timeout = 30_000): Promise<void> {
    const iso = new Date(time).toISOString();
    await vi.waitFor(() => expect(this.log.some((r) => r.msg === 'cycle' && r.candle_time === iso), `no cycle at ${iso}:\n${this.stderr.slice(-40).join('\n')}`).toBe(true), { timeout, interval: 25 });
  }

  /** Resolves when the process ended by itself (e.g. a crash point's SIGKILL). */
  async died(timeout = 30_000): Promise<NodeJS.Signals | null> {
    await vi.waitFor(() => expect(this.dead, `still running:\n${this.stderr.slice(-20).join('\n')}`).toBe(true), { timeout, interval: 25 });
    await this.exited;
    return this.exitSignal;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }
}
