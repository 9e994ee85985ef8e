/**
 * A map that holds at most `limit` entries: adding one to a full cache forgets the entry set longest ago.
 * Every in-process cache of Bursar (compiled policies, signing keys, prepared statements…) is one, so none
 * grows without bound under a stream of distinct keys. It does no I/O, so the pure policy engine uses it too.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();

  /** `onEvict` hears of each entry forgotten to make room (not of `delete`/`clear`), e.g. to remove its file. */
  constructor(
    readonly limit: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A cache holds at least one entry, not ${limit}.`);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Remembers `value`; a key set again counts as the newest. */
  set(key: K, value: V): void {
    if (!this.#entries.delete(key) && this.#entries.size >= this.limit) {
      const [oldest, value] = this.#entries.entries().next().value as [K, V];
      this.#entries.delete(oldest);
      this.onEvict?.(oldest, value);
    }
    this.#entries.set(key, value);
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** The cached value of `key` (`undefined` included), else `make()`'s, remembered. */
  getOrSet(key: K, make: () => V): V {
    const cached = this.#entries.get(key);
    if (cached !== undefined || this.#entries.has(key)) return cached as V;
    const value = make();
    this.set(key, value);
    return value;
  }
}
