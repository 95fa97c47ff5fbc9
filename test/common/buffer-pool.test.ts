import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../src/common/buffer-pool.js';

describe('BufferPool', () => {
  it('hands a given-back buffer out again, keeps at most `keep`, and ignores a second give', () => {
    const pool = new BufferPool(1024, 2);
    const a = pool.take();
    const b = pool.take();
    const c = pool.take();
    expect(a.length).toBe(1024);
    expect(a).not.toBe(b);
    pool.give(a);
    pool.give(a);
    expect(pool.idle).toBe(1);
    pool.give(b);
    pool.give(c);
    expect(pool.idle).toBe(2);
    const again = [pool.take(), pool.take()];
    expect(again).toContain(a);
    expect(again).toContain(b);
    expect(pool.take()).not.toBe(c);
  });

  it('keeps no buffer of another size', () => {
    const pool = new BufferPool(64, 4);
    pool.give(Buffer.alloc(32));
    expect(pool.idle).toBe(0);
  });
});
