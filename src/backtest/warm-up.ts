/** A run's first evaluated policy as known so far: its time, `null` (the run ended without one), or not known yet. */
export type FirstPolicy = number | null | 'pending';

/**
 * The first close with a market state, for run `index` of runs with these rule-set content hashes. A run
 * with a policy of its own shows it as its first evaluated policy; a run without (the orchestrator off)
 * takes the instant from a run on the same rule set (same indicators, same candles, so the same
 * warm-up), else from the first run. 'pending' while a run it depends on has not said yet.
 */
export function warmUpEnd(index: number, hashes: readonly string[], firstPolicy: (run: number) => FirstPolicy): number | undefined | 'pending' {
  const own = firstPolicy(index);
  if (own !== null) return own;
  for (let run = 0; run < hashes.length; run++) {
    if (hashes[run] !== hashes[index]) continue;
    const first = run === index ? null : firstPolicy(run);
    if (first !== null) return first;
  }
  const first = index === 0 ? null : firstPolicy(0);
  return first === null ? undefined : first;
}

const PENDING = 0;
const SEEN = 1;
const NONE = 2;

/**
 * Where the runs of one backtest tell each other their first policy as they go, across worker threads
 * (a SharedArrayBuffer): a run without a policy of its own learns its warm-up end from another while
 * both run, and so needs to hold only the closes before it.
 */
export class WarmUpBoard {
  private readonly times: Float64Array;
  private readonly states: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    const runs = buffer.byteLength / 12;
    this.times = new Float64Array(buffer, 0, runs);
    this.states = new Int32Array(buffer, runs * 8, runs);
  }

  static create(runs: number): WarmUpBoard {
    return new WarmUpBoard(new SharedArrayBuffer(runs * 12));
  }

  publish(run: number, first: number | null): void {
    if (first !== null) this.times[run] = first;
    // The time is written before the state that makes it readable (Atomics order the two).
    Atomics.store(this.states, run, first === null ? NONE : SEEN);
  }

  read(run: number): FirstPolicy {
    const state = Atomics.load(this.states, run);
    return state === PENDING ? 'pending' : state === NONE ? null : this.times[run]!;
  }
}
