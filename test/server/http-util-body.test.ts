/**
 * Reading request bodies into pooled buffers: several chunks are joined in
 * one of the pool's buffers, handed back by `release()` only.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../src/common/buffer-pool.js';
import { readDecodedBody } from '../../src/server/http-util.js';

/** A request whose body arrives as `chunks`. */
function request(chunks: Buffer[], headers: Record<string, string> = {}): IncomingMessage {
  const s = new PassThrough();
  (s as unknown as { headers: Record<string, string> }).headers = headers;
  setImmediate(() => {
    for (const c of chunks) s.write(c);
    s.end();
  });
  return s as unknown as IncomingMessage;
}

const q = new URLSearchParams();

describe('readDecodedBody with a pool', () => {
  it('joins chunks in a pooled buffer that goes back on release, once', async () => {
    const pool = new BufferPool(1024, 4);
    const got = await readDecodedBody(request([Buffer.from('a f=1i'), Buffer.from(' 1\n')]), q, 4096, pool);
    expect(Buffer.from(got.body).toString()).toBe('a f=1i 1\n');
    expect(got.body.buffer.byteLength).toBe(1024);
    expect(pool.idle).toBe(0);
    got.release();
    got.release();
    expect(pool.idle).toBe(1);
    const again = await readDecodedBody(request([Buffer.from('b'), Buffer.from('c')]), q, 4096, pool);
    expect(again.body.buffer).toBe(got.body.buffer);
  });

  it('keeps a single chunk as it came, and joins a body larger than the pool holds in a fresh buffer', async () => {
    const pool = new BufferPool(8, 4);
    const one = await readDecodedBody(request([Buffer.from('single chunk')]), q, 4096, pool);
    expect(Buffer.from(one.body).toString()).toBe('single chunk');
    const big = await readDecodedBody(
      request([Buffer.from('0123456789'), Buffer.from('abc')]),
      q,
      4096,
      pool,
    );
    expect(Buffer.from(big.body).toString()).toBe('0123456789abc');
    one.release();
    big.release();
    expect(pool.idle).toBe(0);
  });

  it('gives the wire bytes back at once when it inflated them, and keeps them for identity', async () => {
    const pool = new BufferPool(1024, 4);
    const z = gzipSync('x f=1i 1\n');
    const half = z.length >> 1;
    const gz = await readDecodedBody(
      request([z.subarray(0, half), z.subarray(half)], { 'content-encoding': 'gzip' }),
      q,
      4096,
      pool,
    );
    expect(Buffer.from(gz.body).toString()).toBe('x f=1i 1\n');
    expect(pool.idle).toBe(1);
    const id = await readDecodedBody(
      request([Buffer.from('y f='), Buffer.from('1i')], { 'content-encoding': 'identity, identity' }),
      q,
      4096,
      pool,
    );
    expect(Buffer.from(id.body).toString()).toBe('y f=1i');
    expect(pool.idle).toBe(0);
    id.release();
    expect(pool.idle).toBe(1);
  });
});
