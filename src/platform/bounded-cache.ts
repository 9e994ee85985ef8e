/**
 * A map that holds at most `limit` entries (or, given `weigh`, entries weighing at most `limit` together):
 * adding one to a full cache forgets the entries set longest ago until it fits. Every in-process cache of
 * Bursar (compiled policies, signing keys, IAM reads…) is one, so none grows without bound under a stream of
 * distinct keys. It does no I/O, so the pure policy engine uses it too.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  #weight = 0;

  /**
   * `onEvict` hears of each entry forgotten to make room (not of `delete`/`clear`), e.g. to remove its file.
   * `weigh` says what an entry costs (at least 1; every entry costs 1 without it). An entry heavier than the
   * whole limit is still kept, alone.
   */
  constructor(
    readonly limit: number,
    private readonly onEvict?: (key: K, value: V) => void,
    private readonly weigh: (value: V) => number = () => 1,
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
    this.delete(key);
    const weight = Math.max(1, this.weigh(value));
    while (this.#entries.size > 0 && this.#weight + weight > this.limit) {
      const [oldest, old] = this.#entries.entries().next().value as [K, V];
      this.delete(oldest);
      this.onEvict?.(oldest, old);
    }
    this.#entries.set(key, value);
    this.#weight += weight;
  }

  delete(key: K): boolean {
    if (!this.#entries.has(key)) return false;
    this.#weight -= Math.max(1, this.weigh(this.#entries.get(key) as V));
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
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
