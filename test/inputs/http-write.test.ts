import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/common/metrics.js';
import { PlkError } from '../../src/common/plk-error.js';
import { registerWriteApi } from '../../src/inputs/http-write/index.js';
import { Feed, type UploadSink } from '../../src/io/feed.js';
import type { Category } from '../../src/point/category.js';
import type { Point } from '../../src/point/index.js';
import { ApiServer } from '../../src/server/api-server.js';

class MemorySink implements UploadSink {
  got: { category: Category; points: Point[] }[] = [];
  fail: Error | null = null;
  write(category: Category, points: readonly Point[]): void {
    if (this.fail) throw this.fail;
    this.got.push({ category, points: [...points] });
  }
  get names(): string[] {
    return this.got.flatMap((g) => g.points.map((p) => p.name));
  }
}

const servers: ApiServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function start(
  opts: { publicApis?: string[]; rate?: number; tokens?: string[]; globalTags?: Record<string, string> } = {},
) {
  const metrics = new Metrics();
  const server = new ApiServer({
    listen: '127.0.0.1:0',
    metrics,
    publicApis: opts.publicApis,
    requestRateLimit: opts.rate,
    tokens: opts.tokens,
    version: '9.9.9',
  });
  const sink = new MemorySink();
  const feed = new Feed({ uploader: sink, globalHostTags: opts.globalTags });
  registerWriteApi(server, feed, { maxBodyBytes: 1024 * 1024, metrics, now: () => 1717200000000000000n });
  const { url } = await server.start();
  servers.push(server);
  return { url, sink, metrics };
}

describe('POST /v1/write/:category', () => {
  it('accepts line protocol, adds global host tags, and answers 200 after the sink has the points', async () => {
    const { url, sink } = await start({ globalTags: { host: 'agent-1' } });
    const r = await fetch(`${url}/v1/write/logging`, {
      method: 'POST',
      body: 'nginx,app=a message="hi" 1704067200000000000\nnginx message="yo"',
    });
    expect(r.status).toBe(200);
    expect(sink.names).toEqual(['nginx', 'nginx']);
    const [a, b] = sink.got[0]!.points;
    expect(a!.tags.get('host')).toBe('agent-1');
    expect(a!.fields.get('status')).toBe('info');
    expect(b!.time).toBe(1717200000000000000n);
  });

  it('ignores global host tags when asked', async () => {
    const { url, sink } = await start({ globalTags: { host: 'agent-1' } });
    await fetch(`${url}/v1/write/metric?ignore_global_host_tags=1`, { method: 'POST', body: 'cpu usage=1' });
    expect(sink.got[0]!.points[0]!.tags.has('host')).toBe(false);
  });

  it('honours gzip Content-Encoding and the encoding= parameter', async () => {
    const { url, sink } = await start();
    const body = gzipSync('z a=1i 1704067200000000000');
    expect(
      (
        await fetch(`${url}/v1/write/logging`, {
          method: 'POST',
          body,
          headers: { 'Content-Encoding': 'gzip' },
        })
      ).status,
    ).toBe(200);
    expect((await fetch(`${url}/v1/write/logging?encoding=gzip`, { method: 'POST', body })).status).toBe(200);
    expect(sink.names).toEqual(['z', 'z']);
  });

  it('keeps the good lines of a partly bad body, names the bad ones, and answers 400 invalidLinePoint', async () => {
    const { url, sink } = await start();
    const r = await fetch(`${url}/v1/write/logging`, {
      method: 'POST',
      body: 'good a=1i 1704067200000000000\nthis is not lp\ngood2 a=2i 1704067200000000000',
    });
    expect(r.status).toBe(400);
    const j = (await r.json()) as {
      error_code: string;
      accepted_points: number;
      bad_lines: { line: number }[];
    };
    expect(j.error_code).toBe('datakit.invalidLinePoint');
    expect(j.accepted_points).toBe(2);
    expect(j.bad_lines.map((b) => b.line)).toEqual([2]);
    expect(sink.names).toEqual(['good', 'good2']);
  });

  it('answers DataKit error codes for bad requests', async () => {
    const { url } = await start();
    const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
      const r = await fetch(`${url}${path}`, { method: 'POST', body, headers });
      return [r.status, ((await r.json()) as { error_code: string }).error_code];
    };
    expect(await post('/v1/write/nope', 'a b=1')).toEqual([400, 'datakit.invalidCategory']);
    expect(await post('/v1/write/logging', '')).toEqual([400, 'datakit.emptyBody']);
    expect(await post('/v1/write/logging?precision=x', 'a b=1')).toEqual([400, 'datakit.invalidPrecision']);
    expect(await post('/v1/write/logging', '{"a":', { 'Content-Type': 'application/json' })).toEqual([
      400,
      'datakit.invalidJsonPoint',
    ]);
    expect(await post('/v1/write/logging', 'a b=1i', { 'Content-Encoding': 'gzip' })).toEqual([
      400,
      'datakit.invalidContentEncoding',
    ]);
    expect(await post('/v1/write/logging?strict=1', 'a,x.y=1 b=1i')).toEqual([
      400,
      'datakit.pointGotWarning',
    ]);
  });

  it('echoes the final points and does not upload on dry runs', async () => {
    const { url, sink } = await start();
    const r = await fetch(`${url}/v1/write/logging?echo=lp&dry=1`, {
      method: 'POST',
      body: 'e a=1i 1704067200000000000',
    });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('e a=1i,status="info" 1704067200000000000');
    expect(sink.got).toHaveLength(0);
  });

  it('answers 503 with Retry-After when downstream is full', async () => {
    const { url, sink } = await start();
    sink.fail = new PlkError('PLK_ERR_QUEUE_FULL', 'wal full');
    const r = await fetch(`${url}/v1/write/logging`, { method: 'POST', body: 'a b=1i' });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
  });
});

describe('ApiServer', () => {
  it('answers ping, metrics, 404 and 405', async () => {
    const { url } = await start();
    const ping = (await (await fetch(`${url}/v1/ping`)).json()) as { content: { version: string } };
    expect(ping.content.version).toBe('9.9.9');
    await fetch(`${url}/v1/write/logging`, { method: 'POST', body: 'a b=1i' });
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(
      /datakit_http_api_total\{api="\/v1\/write\/:category"/,
    );
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/v1/ping`, { method: 'POST' })).status).toBe(405);
  });

  it('rate-limits each client with 429 reachMaxAPILimit', async () => {
    const { url } = await start({ rate: 2 });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await fetch(`${url}/v1/ping`)).status);
    expect(codes).toContain(429);
    const r = await fetch(`${url}/v1/ping`);
    if (r.status === 429)
      expect(((await r.json()) as { error_code: string }).error_code).toBe('datakit.reachMaxAPILimit');
  });

  it('requires a token when tokens are configured (except ping)', async () => {
    const { url } = await start({ tokens: ['s3cret'] });
    expect((await fetch(`${url}/v1/write/logging`, { method: 'POST', body: 'a b=1i' })).status).toBe(403);
    expect(
      (await fetch(`${url}/v1/write/logging?token=s3cret`, { method: 'POST', body: 'a b=1i' })).status,
    ).toBe(200);
    expect(
      (
        await fetch(`${url}/v1/write/logging`, {
          method: 'POST',
          body: 'a b=1i',
          headers: { Authorization: 'Bearer s3cret' },
        })
      ).status,
    ).toBe(200);
    expect((await fetch(`${url}/v1/ping`)).status).toBe(200);
  });
});
