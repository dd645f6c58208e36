/**
 * The last `capacity` values of a series, oldest first, and their mean. The mean is recomputed from the
 * values rather than kept as a running sum: a sliding sum drifts (add then subtract is not exact in
 * floating point), and a restored copy would then disagree with the original in the last digits.
 */
export class RecentValues {
  private readonly values: number[];

  constructor(
    readonly capacity: number,
    values: readonly number[] = [],
  ) {
    // Keeping the newest values lets a restore under a smaller window continue from the latest history.
    this.values = values.slice(Math.max(0, values.length - capacity));
  }

  get size(): number {
    return this.values.length;
  }

  push(value: number): void {
    this.values.push(value);
    if (this.values.length > this.capacity) this.values.shift();
  }

  /** Undefined when empty: "no data" must not read as a zero cost. */
  mean(): number | undefined {
    if (this.values.length === 0) return undefined;
    let sum = 0;
    for (const v of this.values) sum += v;
    return sum / this.values.length;
  }

  toJSON(): number[] {
    return [...this.values];
  }
}
