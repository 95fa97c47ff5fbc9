/**
 * HttpRequestService against a real server on 127.0.0.1 (in its own
 * thread, since a request blocks the calling thread): loopback refused by
 * default and reached once allowed, the response shape, the body cap,
 * the deadline, no redirects, and refusals that never reach the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequestService } from '../../../src/pipeline/services/http-request.js';
import { startThreadHttpServer, type ThreadHttpServer } from '../../support/thread-http-server.js';

let server: ThreadHttpServer;
const allowed = new HttpRequestService({
  cidrAllowList: ['127.0.0.1/32'],
  timeoutMs: 1500,
  maxResponseBytes: 64 * 1024,
});
const closed = new HttpRequestService();

beforeAll(async () => {
  server = await startThreadHttpServer();
});

afterAll(async () => {
  await allowed.close();
  await closed.close();
  await server.close();
});

function hits(): number {
  const r = allowed.request({ method: 'GET', url: server.url('/hits') });
  if (!r.ok) throw new Error(r.reason);
  return Number(r.body);
}

describe('HttpRequestService', () => {
  it('refuses loopback by default, by address and by name, without sending anything', () => {
    const before = hits();
    for (const url of [server.url('/json'), `http://localhost:${server.port}/json`]) {
      const r = closed.request({ method: 'GET', url });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/loopback/);
    }
    // /hits itself counts once
    expect(hits()).toBe(before + 1);
  });

  it('answers status and body when the address is allowed', () => {
    expect(allowed.request({ method: 'GET', url: server.url('/json') })).toEqual({
      ok: true,
      status: 200,
      body: '{"a":"1"}',
    });
    expect(allowed.request({ method: 'GET', url: server.url('/status/404') })).toEqual({
      ok: true,
      status: 404,
      body: 'status body',
    });
  });

  it('resolves a name and connects to the checked address with the original Host header', () => {
    const r = allowed.request({ method: 'GET', url: `http://localhost:${server.port}/echo` });
    expect(r.ok).toBe(true);
    if (r.ok) expect(JSON.parse(r.body).headers.host).toBe(`localhost:${server.port}`);
  });

  it('sends method, headers and body; framing headers are its own', () => {
    const r = allowed.request({
      method: 'PUT',
      url: server.url('/echo?q=1#frag'),
      headers: { 'X-Extra': 'v', Host: 'spoofed.example', 'Content-Length': '999' },
      body: 'héllo',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const echo = JSON.parse(r.body);
    expect(echo.method).toBe('PUT');
    expect(echo.url).toBe('/echo?q=1');
    expect(echo.body).toBe('héllo');
    expect(echo.headers['x-extra']).toBe('v');
    expect(echo.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(echo.headers['content-length']).toBe(String(Buffer.byteLength('héllo')));
    expect(echo.headers['user-agent']).toBe('plkit');
  });

  it('does not follow redirects', () => {
    const r = allowed.request({ method: 'GET', url: server.url('/redirect') });
    expect(r).toMatchObject({ ok: true, status: 302, body: '' });
  });

  it('fails a response larger than the cap', () => {
    const r = allowed.request({ method: 'GET', url: server.url('/big') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/larger than 65536 bytes/);
  });

  it('fails a request past its deadline, and works again after it', () => {
    const t0 = Date.now();
    const r = allowed.request({ method: 'GET', url: server.url('/slow') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/timed out/);
    expect(Date.now() - t0).toBeLessThan(2900);
    expect(allowed.request({ method: 'GET', url: server.url('/json') }).ok).toBe(true);
  });

  it.each([
    ['BAD METHOD', 'http://127.0.0.1/', /invalid method/],
    ['GET', 'file:///etc/passwd', /scheme file/],
    ['GET', 'gopher://127.0.0.1/', /scheme gopher/],
    ['GET', 'http://169.254.169.254/latest/meta-data/', /link-local/],
    ['GET', 'http://[::ffff:169.254.169.254]/', /link-local/],
    ['GET', 'http://100.100.100.200/latest/meta-data/', /cloud metadata/],
    ['GET', 'http://no-such-host.invalid/', /no-such-host\.invalid/],
  ])('refuses %s %s', (method, url, re) => {
    const r = closed.request({ method, url });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(re);
  });

  it('refuses what the allow-lists do not name', () => {
    const r = allowed.request({ method: 'GET', url: 'http://169.254.169.254/' });
    expect(r).toEqual({
      ok: false,
      reason: '169.254.169.254 (169.254.169.254) is not on the http_request allow-lists',
    });
  });

  it('fails cleanly when nothing listens', () => {
    const r = allowed.request({ method: 'GET', url: 'http://127.0.0.1:1/' });
    expect(r.ok).toBe(false);
  });
});
