import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { Daemon, quickRules, type DaemonOptions } from './daemon.js';
import { LiveMarket } from './live-market.js';

/**
 * What a `run --live` test needs around it, fresh for every test: a temp folder, a mock Binance venue on
 * 127.0.0.1, a quick copy of the rules, and at most one daemon at a time (killed and awaited afterwards,
 * so no process outlives its test). Call at the top of a `describe`.
 */
export function useLiveTestBed(prefix: string) {
  let dir = '';
  let rules = '';
  let market: LiveMarket | undefined;
  let daemon: Daemon | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    rules = quickRules();
    market = await LiveMarket.start();
  });
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited;
    daemon = undefined;
    await market?.exchange.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(rules, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get market() {
      return market!;
    },
    /** The daemon started last (fails loudly when none was). */
    get daemon() {
      if (daemon === undefined) throw new Error('no daemon started in this test');
      return daemon;
    },
    /** The store every daemon of the test shares, so a restart finds what the previous run wrote. */
    get store() {
      return join(dir, 'live.sqlite');
    },
    /** A signals file of the given lines (JSON objects), for `--signals`. */
    signalsFile(...lines: object[]): string {
      const path = join(dir, 'signals.jsonl');
      writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      return path;
    },
    /** Starts `run --live` on the test's venue, store and rules. */
    start(signals: string, options: Pick<DaemonOptions, 'crashAt' | 'extraArgs'> = {}): Daemon {
      daemon = new Daemon({ exchange: market!.exchange, store: join(dir, 'live.sqlite'), signals, rules, ...options });
      return daemon;
    },
  };
}
