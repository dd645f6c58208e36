/**
 * The last `capacity` values of a series, oldest first, and their mean. The mean is recomputed from the
 * values rather than kept as a running sum: a sliding sum drifts (add then subtract is not exact in
 * floating point), and a restored copy would then disagree with the original in the last digits.
 */
export class RecentValues {
  private readonly values: number[];
  /** How many of the newest values equal the newest one (a constant spread repeats every bar). */
  private equalRun = 0;
  private cachedMean: number | undefined;

  constructor(
    readonly capacity: number,
    values: readonly number[] = [],
  ) {
    // Keeping the newest values lets a restore under a smaller window continue from the latest history.
    this.values = values.slice(Math.max(0, values.length - capacity));
    for (let i = this.values.length - 1; i >= 0 && this.values[i] === this.values.at(-1); i--) this.equalRun++;
  }

  get size(): number {
    return this.values.length;
  }

  /**
   * Adds the value, dropping the oldest beyond the capacity. False when that left the values as they
   * were: a full window of one value taking that value again (then the mean, too, is what it was).
   */
  push(value: number): boolean {
    const unchanged = this.values.length === this.capacity && this.equalRun >= this.capacity && this.values.at(-1) === value;
    this.equalRun = this.values.length > 0 && this.values.at(-1) === value ? this.equalRun + 1 : 1;
    this.values.push(value);
    if (this.values.length > this.capacity) this.values.shift();
    if (!unchanged) this.cachedMean = undefined;
    return !unchanged;
  }

  /** Undefined when empty: "no data" must not read as a zero cost. */
  mean(): number | undefined {
    if (this.values.length === 0) return undefined;
    if (this.cachedMean === undefined) {
      let sum = 0;
      for (const v of this.values) sum += v;
      this.cachedMean = sum / this.values.length;
    }
    return this.cachedMean;
  }

  toJSON(): number[] {
    return [...this.values];
  }
}
