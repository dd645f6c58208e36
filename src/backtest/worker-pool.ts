import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Runs tasks in worker threads, each task in the first free worker, and resolves with the results in
 * task order. `module` is a TypeScript or JavaScript file (a URL) that calls `serveTasks` with the
 * function doing one task; workers load it through tsx as the CLI does. A task that throws rejects the
 * whole run with its error message and stops the pool. A task may report progress as it goes (`onProgress`);
 * `resourceLimits` bound each worker's heap.
 */
export async function runInWorkers<Task, Result>(
  module: URL,
  tasks: readonly Task[],
  options: {
    readonly workers?: number;
    readonly onResult?: (result: Result, index: number, done: number) => void;
    readonly onProgress?: (index: number, progress: unknown) => void;
    readonly resourceLimits?: ResourceLimits;
  } = {},
): Promise<Result[]> {
  const count = Math.max(1, Math.min(options.workers ?? defaultWorkers(), tasks.length));
  const results = new Array<Result>(tasks.length);
  if (tasks.length === 0) return results;
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let over = false;
  try {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./worker-entry.js', import.meta.url), {
        workerData: { module: module.href }, ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
      });
      workers.push(worker);
    }
    await new Promise<void>((resolve, reject) => {
      const feed = (worker: Worker) => {
        if (next >= tasks.length) return;
        const index = next++;
        worker.postMessage({ index, task: tasks[index] });
      };
      for (const worker of workers) {
        worker.on('message', (message: { index: number; result?: Result; error?: string; progress?: unknown }) => {
          if ('progress' in message) {
            options.onProgress?.(message.index, message.progress);
            return;
          }
          if (message.error !== undefined) {
            reject(new Error(message.error));
            return;
          }
          results[message.index] = message.result as Result;
          done++;
          options.onResult?.(results[message.index]!, message.index, done);
          if (done === tasks.length) resolve();
          else feed(worker);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (!over && code !== 0) reject(new Error(`a worker stopped with exit code ${code}`));
        });
        feed(worker);
      }
    });
    return results;
  } finally {
    over = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Workers by default: every core the process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** In a task module: answers the pool's tasks with `work`, one at a time; `progress` reaches the pool's onProgress. */
export async function serveTasks<Task, Result>(work: (task: Task, progress: (note: unknown) => void) => Promise<Result> | Result): Promise<void> {
  const { parentPort } = await import('node:worker_threads');
  if (parentPort === null) throw new Error('serveTasks: not in a worker thread');
  const port = parentPort;
  port.on('message', async ({ index, task }: { index: number; task: Task }) => {
    try {
      port.postMessage({ index, result: await work(task, (progress) => port.postMessage({ index, progress })) });
    } catch (error) {
      port.postMessage({ index, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
