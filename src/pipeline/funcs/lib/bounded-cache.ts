/**
 * A small bounded memo for pure per-value work that repeats in real logs
 * (the same User-Agent header on thousands of lines, the same timestamp
 * text within one second). It keeps two generations of at most `limit`
 * entries each: a hit in the young generation costs one Map lookup and no
 * bookkeeping, a hit in the old one is promoted, and when the young
 * generation fills up it becomes the old one and the previous old one is
 * dropped. That approximates least-recently-used eviction at O(1) per call
 * with a hard bound of 2 × `limit` entries, without the delete-and-reinsert
 * an exact LRU needs on every hit.
 *
 * Callers own one cache per call site (made at compile time), so nothing
 * is shared between scripts and a cache dies with its script.
 */
export class BoundedCache<K, V> {
  readonly #limit: number;
  #young = new Map<K, V>();
  #old = new Map<K, V>();

  constructor(limit: number) {
    this.#limit = Math.max(1, Math.trunc(limit));
  }

  get(key: K): V | undefined {
    const v = this.#young.get(key);
    if (v !== undefined) return v;
    const o = this.#old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }

  /** `value` must not be undefined (undefined means "not cached"). */
  set(key: K, value: V): void {
    if (this.#young.size >= this.#limit) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
  }

  /** Entries held (both generations; a promoted key may count twice). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  clear(): void {
    this.#young.clear();
    this.#old.clear();
  }
}
