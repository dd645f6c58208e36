import type { BenchResult } from './measure.js';

/** One way of evaluating, measured against the others. A synchronous body is run in a tight loop. */
export interface Contender {
  readonly name: string;
  readonly body: ((i: number) => unknown) | ((i: number) => Promise<unknown>);
  readonly async?: boolean;
}

let sink: unknown;

/**
 * Measures the contenders side by side: in rounds, each runs for a short slice in turn, so that the load
 * of a shared machine falls on all of them alike and their ratios hold even when absolute rates do not.
 * Also reports evaluations per CPU second of the process (less sensitive to other processes than wall time).
 */
export async function sideBySide(contenders: readonly Contender[], options: { rounds?: number; sliceMs?: number } = {}): Promise<(BenchResult & { perCpuSecond: number })[]> {
  const rounds = options.rounds ?? 12;
  const sliceMs = options.sliceMs ?? 150;
  const totals = contenders.map(() => ({ iterations: 0, wallMs: 0, cpuMs: 0 }));
  for (const c of contenders) await slice(c, 50); // warm-up: let V8 optimise every contender first
  for (let round = 0; round < rounds; round++) {
    for (const [k, c] of contenders.entries()) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      const iterations = await slice(c, sliceMs);
      totals[k]!.wallMs += performance.now() - start;
      const used = process.cpuUsage(cpu);
      totals[k]!.cpuMs += (used.user + used.system) / 1000;
      totals[k]!.iterations += iterations;
    }
  }
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  return contenders.map((c, k) => {
    const t = totals[k]!;
    return { name: c.name, unit: 'evaluations', perSecond: t.iterations / (t.wallMs / 1000), perCpuSecond: t.iterations / (t.cpuMs / 1000), iterations: t.iterations, heapMb };
  });
}

async function slice(c: Contender, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let i = 0;
  if (c.async) {
    while (performance.now() < end) for (let k = 0; k < 20; k++) sink = await c.body(i++);
  } else {
    const body = c.body as (i: number) => unknown;
    while (performance.now() < end) for (let k = 0; k < 200; k++) sink = body(i++);
  }
  return i;
}

export function lastResult(): unknown {
  return sink;
}
