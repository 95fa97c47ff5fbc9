/**
 * A bounded map whose entries expire: the store behind `cache_set` /
 * `cache_get`. At most `maxEntries` live at once (the least recently used
 * goes first when a new key needs room), and an entry is gone once its
 * time is up. Expiry is checked when a key is read and by `sweep()`, so no
 * timer runs per entry. `Map` keeps insertion order, which is the recency
 * order here: a read moves the key to the end.
 */

interface Entry<V> {
  value: V;
  /** Milliseconds on the `now` clock. */
  expiresAt: number;
}

export class ExpiringLru<V> {
  readonly maxEntries: number;
  readonly #now: () => number;
  readonly #map = new Map<string, Entry<V>>();
  /** Writes since the last sweep; a sweep runs every `maxEntries` writes. */
  #writes = 0;

  constructor(maxEntries: number, now: () => number = Date.now) {
    if (!(maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, got ${maxEntries}`);
    this.maxEntries = Math.floor(maxEntries);
    this.#now = now;
  }

  get size(): number {
    return this.#map.size;
  }

  /** The live value of `key`, or undefined. */
  get(key: string): V | undefined {
    const e = this.#map.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= this.#now()) {
      this.#map.delete(key);
      return undefined;
    }
    this.#map.delete(key);
    this.#map.set(key, e);
    return e.value;
  }

  /** Store `value` for `ttlMs` milliseconds (a non-positive ttl stores nothing). */
  set(key: string, value: V, ttlMs: number): void {
    if (!(ttlMs > 0)) return;
    const now = this.#now();
    this.#map.delete(key);
    this.#map.set(key, { value, expiresAt: now + ttlMs });
    if (++this.#writes >= this.maxEntries) {
      this.#writes = 0;
      this.sweep(now);
    }
    while (this.#map.size > this.maxEntries) {
      const oldest = this.#map.keys().next().value as string;
      this.#map.delete(oldest);
    }
  }

  delete(key: string): boolean {
    return this.#map.delete(key);
  }

  /** Drop every expired entry. */
  sweep(now = this.#now()): void {
    for (const [k, e] of this.#map) if (e.expiresAt <= now) this.#map.delete(k);
  }

  clear(): void {
    this.#map.clear();
  }
}
