import { createRng } from '../../market/candles/rng.js';

/** How a figure is spread over a study's runs, and how sure its median is. */
export interface Distribution {
  /** Runs with a value (runs where it is undefined, e.g. a baseline without drawdown, are left out). */
  readonly n: number;
  readonly median: number;
  /** 5th and 95th percentiles: nine runs in ten lie between them. */
  readonly p5: number;
  readonly p95: number;
  /** A 95% bootstrap confidence interval of the median (percentile method, seeded: the same values give the same interval). */
  readonly ci_low: number;
  readonly ci_high: number;
  /** Share of the runs where the value says the first run did better. */
  readonly better_share: number;
  /** Every value, sorted (for the page's quantile charts). */
  readonly values: readonly number[];
}

export interface BootstrapOptions {
  readonly resamples?: number;
  readonly seed?: string;
}

/** The distribution of the values; undefined when there are none. `better` says which values favour the first run. */
export function distribution(values: readonly number[], better: (value: number) => boolean, options: BootstrapOptions = {}): Distribution | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const [ci_low, ci_high] = bootstrapMedianInterval(sorted, options);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p5: quantile(sorted, 0.05),
    p95: quantile(sorted, 0.95),
    ci_low,
    ci_high,
    better_share: sorted.filter(better).length / sorted.length,
    values: sorted,
  };
}

/** The q-quantile of sorted values, interpolated linearly between neighbours (type 7, as R and numpy default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below);
}

/**
 * The 2.5% and 97.5% quantiles of the medians of `resamples` resamples with replacement. Seeded, so a
 * study's report is reproducible to the last digit.
 */
export function bootstrapMedianInterval(values: readonly number[], options: BootstrapOptions = {}): [number, number] {
  if (values.length === 0) throw new RangeError('bootstrap of no values');
  const rng = createRng(options.seed ?? 'study-bootstrap');
  const resamples = options.resamples ?? 2000;
  const medians: number[] = [];
  const sample = new Array<number>(values.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[rng.int(0, values.length - 1)]!;
    medians.push(quantile(sample.sort((a, b) => a - b), 0.5));
  }
  medians.sort((a, b) => a - b);
  return [quantile(medians, 0.025), quantile(medians, 0.975)];
}
