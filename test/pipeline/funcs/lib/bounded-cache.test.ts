import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../../../src/pipeline/funcs/lib/bounded-cache.js';

describe('BoundedCache', () => {
  it('remembers values and misses unknown keys', () => {
    const c = new BoundedCache<string, number>(4);
    expect(c.get('a')).toBeUndefined();
    c.set('a', 1);
    c.set('b', 2);
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual([1, 2, undefined]);
  });

  it('never holds more than two generations', () => {
    const c = new BoundedCache<number, number>(3);
    for (let i = 0; i < 100; i++) c.set(i, i);
    expect(c.size).toBeLessThanOrEqual(6);
    expect(c.get(99)).toBe(99);
    expect(c.get(0)).toBeUndefined();
  });

  it('keeps a key that is read while its generation ages (promotion)', () => {
    const c = new BoundedCache<string, number>(2);
    c.set('hot', 1);
    c.set('x1', 0);
    // 'hot' is now in the old generation after the next fill; reading it promotes it
    c.set('x2', 0);
    expect(c.get('hot')).toBe(1);
    c.set('x3', 0);
    c.set('x4', 0);
    expect(c.get('hot')).toBe(1);
    expect(c.get('x1')).toBeUndefined();
  });

  it('treats a limit below one as one and can be cleared', () => {
    const c = new BoundedCache<string, number>(0);
    c.set('a', 1);
    c.set('b', 2);
    expect([c.get('a'), c.get('b')]).toEqual([1, 2]);
    c.clear();
    expect(c.size).toBe(0);
    expect(c.get('b')).toBeUndefined();
  });
});
