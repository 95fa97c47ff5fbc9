/**
 * The cache behind cache_set/cache_get: expiry on a controllable clock,
 * the LRU bound, sweeping, and one cache per script.
 */
import { describe, expect, it } from 'vitest';
import { ExpiringLru } from '../../../src/pipeline/services/expiring-lru.js';
import { ScriptCacheService } from '../../../src/pipeline/services/script-cache.js';

function clock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('ExpiringLru', () => {
  it('answers a value until its time is up', () => {
    const c = clock();
    const lru = new ExpiringLru<string>(10, c.now);
    lru.set('a', 'x', 5000);
    expect(lru.get('a')).toBe('x');
    c.advance(4999);
    expect(lru.get('a')).toBe('x');
    c.advance(1);
    expect(lru.get('a')).toBeUndefined();
    expect(lru.size).toBe(0);
  });

  it('replaces a key with its new value and lifetime', () => {
    const c = clock();
    const lru = new ExpiringLru<number>(10, c.now);
    lru.set('a', 1, 1000);
    lru.set('a', 2, 10_000);
    c.advance(5000);
    expect(lru.get('a')).toBe(2);
  });

  it.each([0, -1, Number.NaN])('stores nothing for a ttl of %d', (ttl) => {
    const lru = new ExpiringLru<number>(10);
    lru.set('a', 1, ttl);
    expect(lru.get('a')).toBeUndefined();
  });

  it('evicts the least recently used key when full', () => {
    const lru = new ExpiringLru<number>(3);
    lru.set('a', 1, 60_000);
    lru.set('b', 2, 60_000);
    lru.set('c', 3, 60_000);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('d', 4, 60_000);
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c'), lru.get('d')]).toEqual([1, 3, 4]);
    expect(lru.size).toBe(3);
  });

  it('sweeps expired entries', () => {
    const c = clock();
    const lru = new ExpiringLru<number>(100, c.now);
    for (let i = 0; i < 10; i++) lru.set(`k${i}`, i, i < 5 ? 1000 : 60_000);
    c.advance(2000);
    lru.sweep();
    expect(lru.size).toBe(5);
  });

  it('refuses a bound below one', () => {
    expect(() => new ExpiringLru(0)).toThrow(RangeError);
  });
});

describe('ScriptCacheService', () => {
  it('gives each script its own cache, the same one every time', () => {
    const svc = new ScriptCacheService({ maxEntriesPerScript: 2 });
    const s1 = {};
    const s2 = {};
    svc.forScript(s1).set('a', 'one', 1000);
    expect(svc.forScript(s1).get('a')).toBe('one');
    expect(svc.forScript(s2).get('a')).toBeUndefined();
    expect(svc.forScript(s1).maxEntries).toBe(2);
  });
});
