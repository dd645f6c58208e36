import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, type ExpectStatic } from 'vitest';
import { TradingStore } from '../../src/store/index.js';
import { contents, mulberry32, runScript, script, STEPS, type Step } from './fixtures/trading-script.js';

const WRITER = fileURLToPath(new URL('fixtures/writer.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface WriterRun {
  /** Step indexes the writer reported committed, in order. */
  readonly reported: number[];
  readonly killed: boolean;
}

/**
 * Runs the writer on `file`, acknowledging each commit it reports. With `kill`, SIGKILLs it `kill.delay`
 * ms after acknowledging the `kill.after`-th commit, that is somewhere in the steps that follow.
 */
function runWriter(file: string, seed: number, kill?: { after: number; delay: number }): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, String(seed), '--acked'], { cwd: REPO });
    const reported: number[] = [];
    let killing = false;
    let pending = '';
    let stderr = '';
    child.stdin.on('error', () => {}); // acknowledgements written as the kill lands
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const committed = /^committed (\d+)$/.exec(line);
        if (committed === null || killing) continue;
        reported.push(Number(committed[1]));
        child.stdin.write('\n');
        if (kill !== undefined && reported.length === kill.after) {
          killing = true;
          setTimeout(() => child.kill('SIGKILL'), kill.delay);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ reported, killed: signal === 'SIGKILL' });
      else reject(new Error(`writer exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

/** What an uninterrupted writer leaves after its first `done` steps. */
function reference(steps: readonly Step[], done: number) {
  const store = TradingStore.open(':memory:');
  try {
    runScript(store, steps.slice(0, done));
    return contents(store);
  } finally {
    store.close();
  }
}

/**
 * Opens the store the writer was killed on and checks it holds exactly the first N steps for some N
 * covering every step the writer reported (plus at most the one it committed but had no time to report).
 * Returns N and the resume cursor.
 */
function checkRecovered(expect: ExpectStatic, file: string, steps: readonly Step[], lastReported: number): { done: number; cursor: number } {
  const store = TradingStore.open(file);
  let recovered: ReturnType<typeof contents>;
  let cursor: number;
  try {
    recovered = contents(store);
    cursor = store.loadState<{ next: number }>('writer')?.next ?? 0;
  } finally {
    store.close();
  }
  const done = recovered.last_step === undefined ? 0 : recovered.last_step + 1;
  expect(done - 1, 'every step the writer reported committed is in the store').toBeGreaterThanOrEqual(lastReported);
  expect(done - 1, 'no step beyond the one being reported').toBeLessThanOrEqual(lastReported + 1);
  expect([done - 1, done], 'the cursor is at the last step or just before it').toContain(cursor);
  expect(recovered, `the store holds exactly steps 0-${done - 1}`).toEqual(reference(steps, done));

  const db = new Database(file, { readonly: true });
  try {
    const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM positions WHERE id IN (SELECT position_id FROM trades)'), 'no position is both open and closed').toBe(0);
    for (const step of steps.slice(0, done).filter((s) => s.kind === 'open')) {
      const id = step.position!.id;
      const rows = count('SELECT COUNT(*) AS n FROM positions WHERE id = ?', id) + count('SELECT COUNT(*) AS n FROM trades WHERE position_id = ?', id);
      expect(rows, `position ${id} is either open or has exactly one trade`).toBe(1);
    }
    expect(count('SELECT COUNT(*) AS n FROM decisions'), 'one decision per step, none twice').toBe(done);
    expect(count('SELECT COUNT(*) AS n FROM equity'), 'one equity point per step').toBe(done);
    const closes = steps.slice(0, done).filter((s) => s.kind === 'close').length;
    expect(count('SELECT COUNT(*) AS n FROM trades'), 'one trade per close').toBe(closes);
    const orderIds = new Set(steps.slice(0, done).flatMap((s) => s.orders.map((o) => o.client_id)));
    expect(count('SELECT COUNT(*) AS n FROM orders'), 'one row per client order id').toBe(orderIds.size);
  } finally {
    db.close();
  }
  return { done, cursor };
}

describe('a writer SIGKILLed at any point leaves a store that holds exactly what it committed', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  // Kill points drawn from each round's seed: different in every round, the same in every test run.
  const rounds = [11, 23, 37, 41].map((seed) => {
    const random = mulberry32(seed * 7919);
    const kill = (most: number) => ({ after: 1 + Math.floor(random() * most), delay: Math.floor(random() * 4) });
    return { seed, kills: [kill(30), kill(20)] };
  });

  it.concurrent.for(rounds)('seed $seed: killed after $kills.0.after, then $kills.1.after more reported commits, then run to the end', async ({ seed, kills }, { expect }) => {
    const dir = mkdtempSync(join(tmpdir(), 'qt-store-kill-'));
    dirs.push(dir);
    const file = join(dir, 'trader.sqlite');
    const steps = script(seed);
    let lastReported = -1;
    let cursor = 0;

    for (const kill of kills) {
      const run = await runWriter(file, seed, kill);
      expect(run.killed, 'the kill landed before the writer finished').toBe(true);
      lastReported = Math.max(lastReported, ...run.reported);
      ({ cursor } = checkRecovered(expect, file, steps, lastReported));
    }

    const rest = await runWriter(file, seed);
    expect(rest.killed).toBe(false);
    expect(rest.reported[0], 'the restart continues where the store says it stopped').toBe(cursor);
    const end = checkRecovered(expect, file, steps, STEPS - 1);
    expect(end).toEqual({ done: STEPS, cursor: STEPS });
  });

  it('a step written again because the restart could not know it had committed changes nothing', () => {
    const steps = script(5);
    const once = reference(steps, STEPS);
    const store = TradingStore.open(':memory:');
    for (const redo of [7, 19, STEPS - 1]) {
      runScript(store, steps.slice(0, redo + 1));
      store.saveState('writer', { next: redo });
    }
    runScript(store, steps);
    expect(contents(store)).toEqual(once);
  });
});
