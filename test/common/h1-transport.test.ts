import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/common/http-client.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const tlsDir = join(import.meta.dirname, '..', 'fixtures', 'tls');

/** Listen on a free loopback port; closed (its connections first) after the test. Returns the port. */
async function listen(server: Server | HttpServer, sockets?: Set<Socket>): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        if (sockets !== undefined) for (const s of sockets) s.destroy();
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return (server.address() as AddressInfo).port;
}

function client(opts: ConstructorParameters<typeof HttpClient>[0] = {}): HttpClient {
  const c = new HttpClient({ transport: 'h1', ...opts });
  cleanups.push(() => c.close());
  return c;
}

/**
 * A raw TCP server: `onRequest` gets each request's head and body (read by
 * Content-Length) with its socket and the connection's number, and answers
 * by writing bytes itself.
 */
async function rawServer(
  onRequest: (s: Socket, req: { head: string; body: Buffer }, conn: number, nth: number) => void,
): Promise<{ url: string; connections: () => number }> {
  let conns = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    const conn = ++conns;
    let nth = 0;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        const body = buf.subarray(end + 4, end + 4 + len);
        buf = buf.subarray(end + 4 + len);
        onRequest(s, { head, body }, conn, ++nth);
      }
    });
  });
  const port = await listen(server, sockets);
  return { url: `http://127.0.0.1:${port}`, connections: () => conns };
}

const ok = (s: Socket, body = 'ok') =>
  s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);

describe('HttpClient, h1 transport', () => {
  it('writes one well-formed request: Host, Content-Length, the caller headers, the body as given', async () => {
    let seen: { head: string; body: Buffer } | null = null;
    const srv = await rawServer((s, req) => {
      seen = req;
      ok(s);
    });
    const body = Buffer.from([0, 1, 2, 255, 10, 13]);
    const r = await client().send({
      url: `${srv.url}/v1/write/ploffload/logging?x=1`,
      method: 'POST',
      headers: { 'X-Plkit-Batch-Id': 'abc-1', 'Content-Type': 'application/protobuf' },
      body,
    });
    expect(r.status).toBe(200);
    const lines = seen!.head.split('\r\n');
    expect(lines[0]).toBe('POST /v1/write/ploffload/logging?x=1 HTTP/1.1');
    expect(lines).toContain('X-Plkit-Batch-Id: abc-1');
    expect(lines).toContain(`Host: ${new URL(srv.url).host}`);
    expect(lines).toContain('Content-Length: 6');
    expect(seen!.body).toEqual(body);
  });

  it('reuses an idle connection for the next request', async () => {
    const srv = await rawServer((s) => ok(s));
    const c = client();
    for (let i = 0; i < 5; i++)
      expect((await c.send({ url: `${srv.url}/a`, method: 'POST', body: 'x' })).status).toBe(200);
    expect(srv.connections()).toBe(1);
  });

  it('does not reuse a connection the server closed while it was idle', async () => {
    const srv = await rawServer((s) => {
      ok(s);
      setTimeout(() => s.end(), 20);
    });
    const c = client();
    expect((await c.send({ url: srv.url, method: 'POST', body: 'a' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect((await c.send({ url: srv.url, method: 'POST', body: 'b' })).status).toBe(200);
    expect(srv.connections()).toBe(2);
  });

  it('reports a reused connection closed before answering, and never resends the request', async () => {
    let got = 0;
    const srv = await rawServer((s, _req, _conn, nth) => {
      got++;
      if (nth === 1) ok(s);
      else s.destroy();
    });
    const c = client();
    expect((await c.send({ url: srv.url, method: 'POST', body: 'a' })).status).toBe(200);
    await expect(c.send({ url: srv.url, method: 'POST', body: 'b' })).rejects.toThrow(
      /connection closed without an answer|ECONNRESET/,
    );
    expect(got).toBe(2);
    expect(srv.connections()).toBe(1);
  });

  it('does not resend on a fresh connection that closes without an answer', async () => {
    let got = 0;
    const srv = await rawServer((s) => {
      got++;
      s.destroy();
    });
    await expect(client().send({ url: srv.url, method: 'POST', body: 'a' })).rejects.toMatchObject({
      code: 'PLK_ERR_HTTP_TRANSPORT',
      message: /connection closed without an answer|ECONNRESET/,
    });
    expect(got).toBe(1);
  });

  it('fails an answer cut short, and never resends once answer bytes arrived', async () => {
    let got = 0;
    const srv = await rawServer((s, _r, _c, nth) => {
      got++;
      if (nth === 1) ok(s);
      else s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial');
    });
    const c = client();
    await c.send({ url: srv.url });
    await expect(c.send({ url: srv.url })).rejects.toThrow(/closed before the answer was complete/);
    expect(got).toBe(2);
  });

  it('takes an answer sent before the body was read (413), then opens a new connection', async () => {
    let conns = 0;
    const open = new Set<Socket>();
    const server: Server = createServer((s) => {
      const conn = ++conns;
      open.add(s);
      s.on('error', () => undefined);
      let head = '';
      s.on('data', (d: Buffer) => {
        head += d.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        if (conn === 1) {
          // Answer from the head alone and read no further: the client is still writing its body.
          s.pause();
          s.write('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\n\r\ntoo big!');
        } else if (head.endsWith('small')) ok(s);
      });
    });
    const url = `http://127.0.0.1:${await listen(server, open)}`;
    const c = client();
    const big = Buffer.alloc(32 * 1024 * 1024, 120);
    const first = await c.send({ url, method: 'POST', body: big });
    expect(first.status).toBe(413);
    expect(first.body.toString()).toBe('too big!');
    const second = await c.send({ url, method: 'POST', body: 'small' });
    expect(second.status).toBe(200);
    expect(conns).toBe(2);
  });

  it('reads chunked answers and answers delimited by the end of the connection', async () => {
    const srv = await rawServer((s, req) => {
      if (req.head.startsWith('GET /chunked')) {
        s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
        setTimeout(() => s.write('2\r\nde\r\n0\r\n\r\n'), 20);
      } else s.end('HTTP/1.0 200 OK\r\n\r\nto the end');
    });
    const c = client();
    expect((await c.send({ url: `${srv.url}/chunked` })).body.toString()).toBe('abcde');
    expect((await c.send({ url: `${srv.url}/close` })).body.toString()).toBe('to the end');
  });

  it('honours the server Keep-Alive timeout (a zero-second one is not reused)', async () => {
    const srv = await rawServer((s) =>
      s.write('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 0\r\n\r\n'),
    );
    const c = client();
    await c.send({ url: srv.url });
    await c.send({ url: srv.url });
    expect(srv.connections()).toBe(2);
  });

  it('refuses a header that would break the request framing, before sending anything', async () => {
    const srv = await rawServer((s) => ok(s));
    const c = client();
    await expect(c.send({ url: srv.url, headers: { 'X-A': 'a\r\nX-Injected: 1' } })).rejects.toThrow(
      /invalid request header "X-A"/,
    );
    await expect(c.send({ url: srv.url, headers: { 'Bad Name': 'v' } })).rejects.toThrow(
      /invalid request header/,
    );
    expect(srv.connections()).toBe(0);
  });

  it('reports a malformed answer as a transport error naming what was wrong', async () => {
    const srv = await rawServer((s) => s.write('HTTP/1.1 2OO OK\r\n\r\n'));
    await expect(client().send({ url: srv.url })).rejects.toMatchObject({
      code: 'PLK_ERR_HTTP_TRANSPORT',
      message: /invalid response: malformed status line/,
    });
  });

  it('closes idle connections at close() and lets no request through after', async () => {
    const srv = await rawServer((s) => ok(s));
    const c = new HttpClient({ transport: 'h1' });
    await c.send({ url: srv.url });
    await c.close();
    await expect(c.send({ url: srv.url })).rejects.toThrow(/client closed/);
  });

  it('talks to node:http with keep-alive, chunked answers and many requests in parallel', async () => {
    const server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        res.write(`len=${Buffer.concat(chunks).length};`);
        res.end(req.url);
      });
    });
    const url = `http://127.0.0.1:${await listen(server)}`;
    const c = client({ connections: 4 });
    const all = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        c.send({ url: `${url}/p${i}`, method: 'POST', body: 'x'.repeat(i) }),
      ),
    );
    expect(all.map((r) => r.body.toString())).toEqual(all.map((_, i) => `len=${i};/p${i}`));
  });

  it('speaks TLS with a configured CA, refuses an unknown certificate, and can skip verification', async () => {
    const server = createHttpsServer(
      { cert: readFileSync(join(tlsDir, 'cert.pem')), key: readFileSync(join(tlsDir, 'key.pem')) },
      (_req, res) => res.end('secure'),
    );
    const url = `https://127.0.0.1:${await listen(server)}/x`;
    const ca = readFileSync(join(tlsDir, 'cert.pem'), 'utf8');
    await expect(client().send({ url })).rejects.toMatchObject({ code: 'PLK_ERR_HTTP_TRANSPORT' });
    expect((await client({ insecureSkipVerify: true }).send({ url })).body.toString()).toBe('secure');
    const withCa = await client({ ca })
      .send({ url })
      .catch((e: Error) => e);
    // The fixture certificate names 127.0.0.1 or localhost; either way the CA makes it trusted or the name check fails clearly.
    if (withCa instanceof Error) expect(withCa.message).toMatch(/altnames|certificate/i);
    else expect(withCa.body.toString()).toBe('secure');
  });
});
