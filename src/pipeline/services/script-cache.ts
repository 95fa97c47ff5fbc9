/**
 * The cache of `cache_set` / `cache_get`. As in DataKit every script has
 * its own cache (two scripts using the key "a" do not see each other),
 * created when the script is first used and dropped with the compiled
 * script; DataKit's default lifetime of an entry is 100 s (`cache_set`'s
 * `exp`, in seconds). DataKit's cache has no size bound; plkit's is a
 * bounded LRU (`maxEntriesPerScript`, default 10 000) so a script keying
 * by request id cannot grow memory without end.
 */
import type { Value } from '../lang/values.js';
import { ExpiringLru } from './expiring-lru.js';

export interface ScriptCacheOptions {
  maxEntriesPerScript?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

export const CACHE_DEFAULTS = { maxEntriesPerScript: 10_000, ttlSeconds: 100n } as const;

export class ScriptCacheService {
  readonly #max: number;
  readonly #now: () => number;
  readonly #caches = new WeakMap<object, ExpiringLru<Value>>();

  constructor(opts: ScriptCacheOptions = {}) {
    this.#max = opts.maxEntriesPerScript ?? CACHE_DEFAULTS.maxEntriesPerScript;
    this.#now = opts.now ?? Date.now;
  }

  /** The cache of the script identified by `script` (any object that lives as long as the compiled script). */
  forScript(script: object): ExpiringLru<Value> {
    let c = this.#caches.get(script);
    if (c === undefined) {
      c = new ExpiringLru<Value>(this.#max, this.#now);
      this.#caches.set(script, c);
    }
    return c;
  }
}
