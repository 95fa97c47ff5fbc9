import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/common/http-client.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function makeClient(opts: ConstructorParameters<typeof HttpClient>[0] = {}): HttpClient {
  const c = new HttpClient(opts);
  cleanups.push(() => c.close());
  return c;
}

describe.each(['undici', 'h1'] as const)('HttpClient (transport %s)', (transport) => {
  const client = (opts: ConstructorParameters<typeof HttpClient>[0] = {}) =>
    makeClient({ transport, ...opts });

  it('posts a body and returns status, lower-case headers and the whole answer', async () => {
    const base = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(201, { 'X-Echo-Len': String(Buffer.concat(chunks).length), 'X-Path': req.url });
        res.end(`got ${req.method} ${req.headers['x-a']}`);
      });
    });
    const r = await client().send({
      url: `${base}/v1/write/logging?token=abc`,
      method: 'POST',
      headers: { 'X-A': 'b' },
      body: Buffer.alloc(100_000, 1),
    });
    expect(r.status).toBe(201);
    expect(r.headers['x-echo-len']).toBe('100000');
    expect(r.headers['x-path']).toBe('/v1/write/logging?token=abc');
    expect(r.body.toString()).toBe('got POST b');
  });

  it('reuses one pool per origin for many requests in parallel', async () => {
    const base = await serve((_req, res) => res.end('ok'));
    const c = client({ connections: 2 });
    const all = await Promise.all(Array.from({ length: 50 }, (_, i) => c.send({ url: `${base}/p${i % 3}` })));
    expect(all.every((r) => r.status === 200 && r.body.toString() === 'ok')).toBe(true);
  });

  it('fails a request past its timeout with a transport error naming the timeout', async () => {
    const base = await serve(() => {
      // never answers
    });
    const err = await client()
      .send({ url: `${base}/hang?token=secret123`, timeoutMs: 150 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLK_ERR_HTTP_TRANSPORT' });
    expect((err as Error).message).toMatch(/timed out after 150 ms/);
    expect((err as Error).message).not.toContain('secret123');
  });

  it('times out a request still queued behind a busy connection', async () => {
    const base = await serve(() => {
      // never answers
    });
    const c = client({ connections: 1 });
    const first = c.send({ url: `${base}/a`, timeoutMs: 600 }).catch((e: unknown) => e);
    const t0 = Date.now();
    const second = await c.send({ url: `${base}/b`, timeoutMs: 100 }).catch((e: unknown) => e);
    expect((second as Error).message).toMatch(/timed out after 100 ms/);
    expect(Date.now() - t0).toBeLessThan(1500);
    await first;
  });

  it('gives up when the caller aborts, with the abort reason', async () => {
    const base = await serve(() => {
      // never answers
    });
    const ac = new AbortController();
    const p = client().send({ url: `${base}/x`, signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stopping now')), 50);
    await expect(p).rejects.toMatchObject({ code: 'PLK_ERR_HTTP_TRANSPORT', message: /stopping now/ });
    const pre = new AbortController();
    pre.abort(new Error('already gone'));
    await expect(client().send({ url: `${base}/x`, signal: pre.signal })).rejects.toThrow(/already gone/);
  });

  it('one signal shared by many requests: aborting fails only those still waiting', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/fast') res.end('ok');
      // '/slow' never answers
    });
    const c = client({ connections: 4 });
    const ac = new AbortController();
    // Finished requests leave nothing behind that an abort could call.
    for (let i = 0; i < 20; i++) {
      expect((await c.send({ url: `${base}/fast`, signal: ac.signal })).status).toBe(200);
    }
    const slow = Array.from({ length: 3 }, () => c.send({ url: `${base}/slow`, signal: ac.signal }));
    setTimeout(() => ac.abort(new Error('shutting down')), 50);
    const out = await Promise.allSettled(slow);
    expect(out.every((o) => o.status === 'rejected' && /shutting down/.test(String(o.reason)))).toBe(true);
    // A signal already aborted is refused at once, also after its listener ran.
    await expect(c.send({ url: `${base}/fast`, signal: ac.signal })).rejects.toThrow(/shutting down/);
  });

  it('returns a large answer intact, read over many socket reads, with others in flight', async () => {
    // h1 reads every connection into one shared buffer: the answer must be copied out of it.
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 9)) & 0xff;
    const base = await serve((req, res) => {
      if (req.url === '/big') res.end(big);
      else res.end(`small ${req.url}`);
    });
    const c = client({ connections: 4 });
    const [r, ...small] = await Promise.all([
      c.send({ url: `${base}/big` }),
      ...Array.from({ length: 6 }, (_, i) => c.send({ url: `${base}/s${i}` })),
    ]);
    expect(r!.body.equals(big)).toBe(true);
    expect(small.map((x) => x.body.toString())).toEqual(Array.from({ length: 6 }, (_, i) => `small /s${i}`));
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    const base = await serve((_req, res) => res.end(Buffer.alloc(10_000, 65)));
    await expect(client().send({ url: `${base}/big`, maxResponseBytes: 1000 })).rejects.toMatchObject({
      code: 'PLK_ERR_HTTP_RESPONSE_TOO_LARGE',
    });
  });

  it('reports a refused connection, a bad URL and an unsupported scheme as transport errors', async () => {
    const base = await serve((_req, res) => res.end());
    const port = new URL(base).port;
    await cleanups.pop()!();
    const c = client();
    await expect(c.send({ url: `http://127.0.0.1:${port}/x` })).rejects.toMatchObject({
      code: 'PLK_ERR_HTTP_TRANSPORT',
      message: /ECONNREFUSED|connect/,
    });
    await expect(c.send({ url: 'not a url' })).rejects.toThrow(/invalid URL/);
    await expect(c.send({ url: 'ftp://127.0.0.1/x' })).rejects.toThrow(/only http and https/);
  });

  it('refuses requests after close', async () => {
    const base = await serve((_req, res) => res.end());
    const c = new HttpClient({ transport });
    await c.send({ url: base });
    await c.close();
    await expect(c.send({ url: base })).rejects.toThrow(/client closed/);
  });
});
