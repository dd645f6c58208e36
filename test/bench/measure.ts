export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly perSecond: number;
  readonly iterations: number;
  /** Heap in use after the measurement; absent for runs measured in a child process (their detail gives peak RSS). */
  readonly heapMb?: number;
  /** Printed after the figure, e.g. a ratio to another result. */
  readonly detail?: string;
}

/**
 * Runs `body` repeatedly for about `seconds` after a warm-up and reports the rate. Wall-clock figures
 * depend on the machine: compare runs on the same machine only.
 */
export async function measure(name: string, unit: string, body: (i: number) => Promise<void> | void, seconds = 2): Promise<BenchResult> {
  for (let i = 0; i < 200; i++) await body(i);
  const start = performance.now();
  let iterations = 0;
  while (performance.now() - start < seconds * 1000) {
    for (let k = 0; k < 50; k++) await body(iterations++);
  }
  const elapsed = (performance.now() - start) / 1000;
  return { name, unit, perSecond: iterations / elapsed, iterations, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
}

export function report(results: readonly BenchResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  return results
    .map((r) => `${r.name.padEnd(width)}  ${Math.round(r.perSecond).toLocaleString('en-US').padStart(10)} ${r.unit}/s  (${r.iterations} runs${r.heapMb === undefined ? '' : `, heap ${r.heapMb.toFixed(0)} MB`})${r.detail ? `  ${r.detail}` : ''}`)
    .join('\n');
}
