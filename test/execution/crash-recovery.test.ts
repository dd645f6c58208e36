import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradingStore } from '../../src/store/index.js';
import { REPO } from '../support/rule-sets.js';

const TRADER = join(REPO, 'test/execution/fixtures/paper-trader.ts');
const node = (args: string[]) => [...process.execArgv.filter((a) => !a.startsWith('--inspect')), '--import', 'tsx', TRADER, ...args];

/** Starts the trader and SIGKILLs it once it has reported `afterCycles` committed cycles; resolves with its exit. */
function runAndKill(store: string, afterCycles: number): Promise<{ killed: boolean; cycles: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, node([store, '2']), { cwd: REPO });
    let cycles = 0;
    let killed = false;
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      cycles += lines.filter((l) => l.startsWith('cycle ')).length;
      if (!killed && cycles >= afterCycles) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ killed: signal === 'SIGKILL', cycles });
      else reject(new Error(`trader exited with ${code}: ${stderr}`));
    });
  });
}

function snapshot(path: string) {
  const store = TradingStore.open(path);
  try {
    return {
      trades: store.trades(),
      equity: store.equityCurve(),
      decisions: store.decisions().map((d) => [d.id, d.action, d.reason]),
      cycles: store.cycles(),
      orders: store.orders().map((o) => [o.client_id, o.status]),
      positions: store.openPositions(),
      risk: store.loadRiskState(),
    };
  } finally {
    store.close();
  }
}

describe('kill the trading process at any point and restart it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qt-crash-'));
  let reference: ReturnType<typeof snapshot>;

  // Generous limits (within the hook's and the test's timeouts): on a busy machine the trader runs many times slower.
  beforeAll(() => {
    const path = join(dir, 'reference.sqlite');
    const run = spawnSync(process.execPath, node([path]), { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
    expect(run.stdout.trim().split('\n').at(-1)).toBe('done');
    reference = snapshot(path);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the uninterrupted run is a real trading history', () => {
    expect(reference.trades.length).toBeGreaterThan(10);
    expect(reference.positions).toEqual([]);
    expect(reference.decisions.length).toBeGreaterThan(100);
  });

  it('loses nothing and duplicates nothing across repeated SIGKILLs: positions, stops, streak and drawdown baseline come back', async () => {
    const path = join(dir, 'killed.sqlite');
    const killPoints = [37, 90, 151, 230, 260, 333, 420, 512];
    let kills = 0;
    for (const point of killPoints) {
      const outcome = await runAndKill(path, point - (kills > 0 ? killPoints[kills - 1]! : 0));
      if (!outcome.killed) break;
      kills++;
      // After every kill: each open position still has a live stop in the store.
      const store = TradingStore.open(path);
      const open = store.openPositions();
      const stops = store.openOrders().filter((o) => o.purpose === 'stop-loss' || o.purpose === 'trailing-stop');
      for (const position of open) expect(stops.filter((s) => s.position_id === position.id)).toHaveLength(1);
      store.close();
    }
    expect(kills).toBeGreaterThan(3);
    const finish = spawnSync(process.execPath, node([path]), { cwd: REPO, encoding: 'utf8', timeout: 170_000 });
    expect(finish.stdout.trim().split('\n').at(-1)).toBe('done');

    const recovered = snapshot(path);
    expect(recovered.trades).toEqual(reference.trades);
    expect(recovered.equity).toEqual(reference.equity);
    expect(recovered.decisions).toEqual(reference.decisions);
    expect(recovered.cycles).toEqual(reference.cycles);
    expect(recovered.orders).toEqual(reference.orders);
    expect(recovered.risk).toEqual(reference.risk);
  });
});
