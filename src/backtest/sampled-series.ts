/** A point of a series a chart draws. */
export interface SeriesPoint {
  readonly time: number;
  readonly value: number;
}

interface Bucket<P> {
  min: P;
  max: P;
}

/**
 * A time series of any length kept in a bounded number of points for a chart: consecutive points are
 * gathered in buckets of equal count, and each bucket keeps its lowest and its highest point, so peaks,
 * troughs and so drawdowns stay visible. While the series has no more points than buckets it is kept
 * whole, point for point; past that, neighbouring buckets are merged in pairs (the bucket size doubles).
 */
export class SampledSeries<P extends { readonly time: number }> {
  private readonly buckets: Bucket<P>[] = [];
  private perBucket = 1;
  private inLast = 0;
  private first: P | undefined;
  private last: P | undefined;

  constructor(
    private readonly valueOf: (point: P) => number,
    private readonly maxBuckets = 4096,
  ) {
    if (maxBuckets < 2 || maxBuckets % 2 !== 0) throw new RangeError(`SampledSeries: an even number of buckets, got ${maxBuckets}`);
  }

  /** Points in time order. */
  add(point: P): void {
    this.first ??= point;
    this.last = point;
    const last = this.buckets.at(-1);
    if (last !== undefined && this.inLast < this.perBucket) {
      if (this.valueOf(point) < this.valueOf(last.min)) last.min = point;
      if (this.valueOf(point) > this.valueOf(last.max)) last.max = point;
      this.inLast++;
      return;
    }
    if (this.buckets.length === this.maxBuckets) this.halve();
    this.buckets.push({ min: point, max: point });
    this.inLast = 1;
  }

  /** The kept points in time order: every point while there were few, else the first, each bucket's lowest and highest, and the last. */
  points(): P[] {
    const kept = this.buckets.flatMap((b) => (b.min === b.max ? [b.min] : b.min.time < b.max.time ? [b.min, b.max] : [b.max, b.min]));
    if (this.first !== undefined && kept[0] !== this.first) kept.unshift(this.first);
    if (this.last !== undefined && kept.at(-1) !== this.last) kept.push(this.last);
    return kept;
  }

  private halve(): void {
    const merged: Bucket<P>[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const [a, b] = [this.buckets[i]!, this.buckets[i + 1]];
      merged.push(b === undefined ? a : {
        min: this.valueOf(b.min) < this.valueOf(a.min) ? b.min : a.min,
        max: this.valueOf(b.max) > this.valueOf(a.max) ? b.max : a.max,
      });
    }
    this.buckets.splice(0, this.buckets.length, ...merged);
    // Merged only when every bucket is full and another point comes: the pairs make full buckets of twice the size.
    this.perBucket *= 2;
    this.inLast = this.perBucket;
  }
}
