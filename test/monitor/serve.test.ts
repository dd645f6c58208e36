import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { serveCommand } from '../../src/cli/serve-command.js';
import { InputError } from '../../src/config/problem.js';
import { TradingStore } from '../../src/store/index.js';
import { captureLogger } from '../support/log-capture.js';

const T = Date.parse('2024-03-01T10:00:00Z');

describe('quantum-trader serve --store', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A store as a backtest of the previous version left it: trading records, schema version 3. */
  function olderStore(): string {
    const dir = mkdtempSync(join(tmpdir(), 'qt-serve-'));
    dirs.push(dir);
    const path = join(dir, 'orchestrator-on.sqlite');
    const store = TradingStore.open(path);
    store.recordEquity({ time: T, equity: 10_000, balance: 10_000 });
    store.recordEquity({ time: T + 3_600_000, equity: 10_120, balance: 10_000 });
    store.recordCycle({ time: T + 3_600_000, mode: 'LIVE', gate_open: false, exit_mode: 'DEFENSIVE_TRAIL', stance: 'NO_NEW_TRADES', min_confidence: 0.7, max_risk_pct: 0.005 });
    store.recordDecision({ id: 'd1', time: T + 3_600_000, symbol: 'ETHUSDT', action: 'blocked', reason: 'TRADE SHUTDOWN ACTIVE', mode: 'LIVE', detail: { signal_id: 's1', side: 'short', confidence: 0.8 } });
    store.close();
    const db = new Database(path);
    db.exec('DROP TABLE control_actions');
    db.pragma('user_version = 3');
    db.close();
    return path;
  }

  async function serving(path: string, body: (base: string) => Promise<void>): Promise<void> {
    const { logger, records } = captureLogger();
    let stop!: () => void;
    const done = serveCommand({ store: path, http: { host: '127.0.0.1', port: 0 }, stop: new Promise<void>((resolve) => (stop = resolve)), logger, env: {} }, { out: () => {}, err: () => {} });
    try {
      const started = () => records.find((r) => /^status page at /.test(String(r.msg)));
      for (let i = 0; i < 200 && started() === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await body(String(started()!.url));
    } finally {
      stop();
      expect(await done).toBe(0);
    }
  }

  it('shows an older store without upgrading or writing it, and refuses control', async () => {
    const path = olderStore();
    const digest = () => createHash('sha256').update(readFileSync(path)).digest('hex');
    const before = digest();
    await serving(path, async (base) => {
      const status = (await (await fetch(new URL('api/status', base))).json()) as Record<string, any>;
      expect(status).toMatchObject({ source: 'store', read_only: true, state: 'stored', session: null, rule_set: null, operator: [], paused: null, exchange: null });
      expect(status.equity).toMatchObject({ equity: 10_120, today: [[T, 10_000], [T + 3_600_000, 10_120]] });
      expect(status.controls).toMatchObject({ gate_open: false, stance: 'NO_NEW_TRADES', gate_by: [] });
      expect(status.decisions).toMatchObject([{ symbol: 'ETHUSDT', reason: 'TRADE SHUTDOWN ACTIVE' }]);
      expect(status.blocked_symbols).toEqual([{ symbol: 'ETHUSDT', by: 'decision', reason: 'TRADE SHUTDOWN ACTIVE', time: T + 3_600_000 }]);
      const control = await fetch(new URL('api/control/pause', base), { method: 'POST', body: '{"reason":"x"}' });
      expect(control.status).toBe(403);
      expect(((await control.json()) as { error: string }).error).toMatch(/^read-only/);
      expect((await fetch(new URL('api/decisions?limit=1&symbol=ETHUSDT', base)).then((r) => r.json()))).toHaveLength(1);
    });
    expect(digest()).toBe(before);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
  });

  it('refuses a file that is not there or not a store, as bad input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qt-serve-'));
    dirs.push(dir);
    await expect(serveCommand({ store: join(dir, 'nope.sqlite'), http: { host: '127.0.0.1', port: 0 } }, { out: () => {}, err: () => {} })).rejects.toThrow(InputError);
    const readme = join(dir, 'README.md');
    (await import('node:fs')).writeFileSync(readme, '# not a database\n'.repeat(100));
    await expect(serveCommand({ store: readme, http: { host: '127.0.0.1', port: 0 } }, { out: () => {}, err: () => {} })).rejects.toThrow(/--store: store .*README\.md: not a SQLite database/);
    expect(existsSync(`${readme}-wal`)).toBe(false);
  });
});
