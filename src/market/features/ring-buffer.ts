/**
 * A fixed-capacity FIFO: pushing into a full buffer drops the oldest item. Every rolling window of the
 * features lives in one of these, so memory stays bounded however long a symbol streams. Storage grows
 * only up to the capacity, so a large lookback costs nothing until the history exists.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  readonly #items: T[] = [];
  #start = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  get size(): number {
    return this.#items.length;
  }

  get full(): boolean {
    return this.#items.length === this.capacity;
  }

  push(item: T): void {
    if (this.#items.length < this.capacity) {
      this.#items.push(item);
      return;
    }
    this.#items[this.#start] = item;
    this.#start = (this.#start + 1) % this.capacity;
  }

  /** Item `index` counted from the oldest (0); undefined outside 0..size-1. */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.#items.length) return undefined;
    return this.#items[(this.#start + index) % this.#items.length];
  }

  /** The newest item. */
  last(): T | undefined {
    return this.at(this.#items.length - 1);
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this];
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.#items.length; i++) yield this.#items[(this.#start + i) % this.#items.length] as T;
  }
}
