import { describe, expect, it } from 'vitest';
import { runInWorkers } from '../../src/backtest/worker-pool.js';

const TASK = new URL('./fixtures/square-task.ts', import.meta.url);

describe('the worker pool', () => {
  it('runs TypeScript tasks in worker threads and gives the results in task order', async () => {
    const seen: number[] = [];
    const results = await runInWorkers<number, { square: number; thread: number }>(TASK, [1, 2, 3, 4, 5, 6, 7], { workers: 2, onResult: (_r, _i, done) => seen.push(done) });
    expect(results.map((r) => r.square)).toEqual([1, 4, 9, 16, 25, 36, 49]);
    expect(new Set(results.map((r) => r.thread)).size).toBe(2);
    expect(results.every((r) => r.thread !== 0)).toBe(true);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('rejects with the message of a task that failed', async () => {
    await expect(runInWorkers(TASK, [1, -2, 3], { workers: 2 })).rejects.toThrow('negative: -2');
  });

  it('needs no worker for no task', async () => {
    expect(await runInWorkers(TASK, [])).toEqual([]);
  });
});
