import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RemotePipelinesAnswer } from '../../src/localdataway/remote-pipelines.js';
import { LocalDataway } from '../../src/localdataway/server.js';
import { CONTENT_TYPES, encodePoints } from '../../src/point/codec/index.js';
import { Point } from '../../src/point/point.js';
import type { TypedPoint } from '../../src/point/typed-json.js';
import type { FieldValue } from '../../src/point/value.js';

const NOW = 1_700_000_000_000_000_000n;
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'plkit-ldw-server-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const running: LocalDataway[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop();
});

let seq = 0;
async function start(extra: { token?: string; scriptsDir?: string; maxBodyBytes?: number } = {}) {
  const dw = new LocalDataway({
    listen: '127.0.0.1:0',
    dbPath: join(tmp, `dw-${++seq}.db`),
    now: () => NOW,
    ...extra,
  });
  running.push(dw);
  const { url } = await dw.start();
  return { dw, url };
}

async function post(url: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text() };
}
async function getJson<T = Record<string, unknown>>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}
const getPoints = (url: string) => getJson<TypedPoint[]>(url);
const getPull = (url: string) => getJson<{ remote_pipelines: RemotePipelinesAnswer }>(url);

describe('LocalDataway writes and queries', () => {
  it('stores line protocol and returns the newest points oldest first, with limit and count', async () => {
    const { url } = await start();
    const lp = [
      'nginx,host=web1 message="GET /a",code=200i 1700000000000000003',
      'nginx,host=web1 message="GET /b",code=404i 1700000000000000001',
      'redis,host=db1 message="SET" 1700000000000000002',
      'nginx,host=web2 message="GET /c",code=500i 1700000000000000002',
    ].join('\n');
    const w = await post(`${url}/v1/write/logging`, lp, { 'Content-Type': CONTENT_TYPES.lp });
    expect(w).toEqual({ status: 200, text: '{}' });

    const q = await getPoints(`${url}/v1/query?category=logging&name=nginx`);
    expect(q.status).toBe(200);
    expect(q.body.map((p) => p.time_ns)).toEqual([
      '1700000000000000001',
      '1700000000000000002',
      '1700000000000000003',
    ]);
    // Intake checks of the category were applied (logging gets status=info).
    expect(q.body[0]).toEqual({
      name: 'nginx',
      time_ns: '1700000000000000001',
      tags: { host: 'web1' },
      fields: { message: { s: 'GET /b' }, code: { i: '404' }, status: { s: 'info' } },
    });
    const lim = await getPoints(`${url}/v1/query?category=logging&name=nginx&limit=2`);
    expect(lim.body.map((p) => (p.fields.message as { s: string }).s)).toEqual(['GET /c', 'GET /a']);
    const all = await getPoints(`${url}/v1/query?category=logging`);
    expect(all.body.map((p) => p.name)).toEqual(['nginx', 'redis', 'nginx', 'nginx']);

    expect((await getJson(`${url}/v1/query/count?category=logging`)).body).toEqual({ count: 4 });
    expect((await getJson(`${url}/v1/query/count?category=logging&name=nginx`)).body).toEqual({ count: 3 });
    expect((await getJson(`${url}/v1/query/count?category=metric`)).body).toEqual({ count: 0 });
    expect((await getJson(`${url}/v1/query?category=metric`)).body).toEqual([]);
  });

  it('gives points without a timestamp the receive time', async () => {
    const { url } = await start();
    await post(`${url}/v1/write/metric`, 'cpu,host=a usage=1.5');
    const q = await getPoints(`${url}/v1/query?category=metric&name=cpu`);
    expect(q.body).toEqual([
      { name: 'cpu', time_ns: NOW.toString(), tags: { host: 'a' }, fields: { usage: { f: 1.5 } } },
    ]);
  });

  it('stores protobuf bodies, plain and gzip, keeping value kinds', async () => {
    const { url } = await start();
    const pts = [
      new Point(
        'cpu',
        new Map([['host', 'a']]),
        new Map<string, FieldValue>([
          ['usage', 0.5],
          ['cores', 8n],
        ]),
        10n,
        'metric',
      ),
      new Point(
        'cpu',
        new Map([['host', 'b']]),
        new Map<string, FieldValue>([
          ['usage', 0.25],
          ['ok', true],
        ]),
        20n,
        'metric',
      ),
    ];
    const body = encodePoints(pts, 'protobuf');
    expect(
      (await post(`${url}/v1/write/metric`, body, { 'Content-Type': CONTENT_TYPES.protobuf })).status,
    ).toBe(200);
    const gz = gzipSync(encodePoints([pts[0]!], 'protobuf'));
    const g = await post(`${url}/v1/write/metric`, gz, {
      'Content-Type': CONTENT_TYPES.protobuf,
      'Content-Encoding': 'gzip',
    });
    expect(g).toEqual({ status: 200, text: '{}' });
    const q = await getPoints(`${url}/v1/query?category=metric&name=cpu`);
    expect(q.body).toEqual([
      { name: 'cpu', time_ns: '10', tags: { host: 'a' }, fields: { usage: { f: 0.5 }, cores: { i: '8' } } },
      { name: 'cpu', time_ns: '10', tags: { host: 'a' }, fields: { usage: { f: 0.5 }, cores: { i: '8' } } },
      { name: 'cpu', time_ns: '20', tags: { host: 'b' }, fields: { usage: { f: 0.25 }, ok: { b: true } } },
    ]);
  });

  it('stores gzip line protocol', async () => {
    const { url } = await start();
    const r = await post(`${url}/v1/write/logging`, gzipSync('app message="hi" 5'), {
      'Content-Encoding': 'gzip',
    });
    expect(r.status).toBe(200);
    expect((await getJson(`${url}/v1/query/count?category=logging&name=app`)).body).toEqual({ count: 1 });
  });

  it('stores uploader protobuf with the intake checks applied, also where the decoder must decide', async () => {
    const { url } = await start();
    const longName = 'n'.repeat(1100);
    const pts = [
      new Point('', new Map([['host', 'a']]), new Map<string, FieldValue>([['msg', 'no name']]), 0n),
      new Point('web', new Map(), new Map<string, FieldValue>([['a.b', 1n]]), 7n),
    ];
    const h = { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip', 'X-Pkg-Id': 'pb-1' };
    expect((await post(`${url}/v1/write/logging`, gzipSync(encodePoints(pts, 'protobuf')), h)).status).toBe(
      200,
    );
    const long = [new Point(longName, new Map(), new Map<string, FieldValue>([['v', 1n]]), 9n)];
    expect(
      (
        await post(`${url}/v1/write/logging`, encodePoints(long, 'protobuf'), {
          'Content-Type': CONTENT_TYPES.protobuf,
        })
      ).status,
    ).toBe(200);
    const q = await getPoints(`${url}/v1/query?category=logging`);
    expect(q.body).toEqual([
      { name: 'web', time_ns: '7', tags: {}, fields: { a_b: { i: '1' }, status: { s: 'info' } } },
      {
        name: longName.slice(0, 1024),
        time_ns: '9',
        tags: {},
        fields: { v: { i: '1' }, status: { s: 'info' } },
      },
      {
        name: '__default',
        time_ns: NOW.toString(),
        tags: { host: 'a' },
        fields: { msg: { s: 'no name' }, status: { s: 'info' } },
      },
    ]);
    expect((await getJson(`${url}/v1/query/count?category=logging&name=__default`)).body).toEqual({
      count: 1,
    });
    expect(
      (await getJson(`${url}/v1/query/count?category=logging&name=${longName.slice(0, 1024)}`)).body,
    ).toEqual({
      count: 1,
    });
  });

  it('accepts the deprecated /v1/write/metrics alias', async () => {
    const { url } = await start();
    expect((await post(`${url}/v1/write/metrics`, 'cpu v=1 5')).status).toBe(200);
    expect((await getJson(`${url}/v1/query/count?category=metric`)).body).toEqual({ count: 1 });
  });

  it('stores a package retried with the same X-Pkg-Id once', async () => {
    const { url } = await start();
    const h = { 'X-Pkg-Id': 'dk-123-1' };
    expect((await post(`${url}/v1/write/logging`, 'a msg="1" 1\na msg="2" 2', h)).status).toBe(200);
    expect(await post(`${url}/v1/write/logging`, 'a msg="1" 1\na msg="2" 2', h)).toEqual({
      status: 200,
      text: '{}',
    });
    expect((await post(`${url}/v1/write/logging`, 'a msg="3" 3', { 'X-Pkg-Id': 'dk-123-2' })).status).toBe(
      200,
    );
    expect((await getJson(`${url}/v1/query/count?category=logging`)).body).toEqual({ count: 3 });
  });

  it('does not remember the package id of a refused body', async () => {
    const { url } = await start();
    const h = { 'X-Pkg-Id': 'p-bad' };
    expect((await post(`${url}/v1/write/logging`, 'a msg=', h)).status).toBe(400);
    expect((await post(`${url}/v1/write/logging`, 'a msg="ok" 1', h)).status).toBe(200);
    expect((await getJson(`${url}/v1/query/count?category=logging`)).body).toEqual({ count: 1 });
  });
});

describe('LocalDataway refusals', () => {
  it('refuses writes without the configured token and accepts the right one', async () => {
    const { url } = await start({ token: 'tkn_abc' });
    for (const q of ['', '?token=', '?token=tkn_abd', '?token=tkn_abcd']) {
      const r = await post(`${url}/v1/write/logging${q}`, 'a msg="x" 1');
      expect(r.status).toBe(403);
      expect(JSON.parse(r.text)).toMatchObject({ error_code: 'datakit.invalidToken' });
    }
    expect((await post(`${url}/v1/write/logging?token=tkn_abc`, 'a msg="x" 1')).status).toBe(200);
    expect((await getJson(`${url}/v1/query/count?category=logging`)).body).toEqual({ count: 1 });
  });

  const bad: [string, string, string | Uint8Array, Record<string, string>, number, string][] = [
    ['unknown category', 'logs', 'a x=1', {}, 400, 'datakit.invalidCategory'],
    ['bad line protocol', 'logging', 'a x=1 1\nb y= 2', {}, 400, 'datakit.invalidLinePoint'],
    ['int overflow', 'logging', 'a x=9223372036854775808i 1', {}, 400, 'datakit.invalidLinePoint'],
    [
      'bad protobuf',
      'logging',
      new Uint8Array([0x0a, 0xff, 0xff, 0x01]),
      { 'Content-Type': CONTENT_TYPES.protobuf },
      400,
      'datakit.invalidProtobufPoint',
    ],
    ['empty body', 'logging', '', {}, 400, 'datakit.emptyBody'],
    ['only comments', 'logging', '# nothing here\n', {}, 400, 'datakit.noPoints'],
    [
      'corrupt gzip',
      'logging',
      new Uint8Array([1, 2, 3]),
      { 'Content-Encoding': 'gzip' },
      400,
      'datakit.invalidContentEncoding',
    ],
  ];
  it.each(bad)('answers %s in DataKit error shape', async (_, cat, body, headers, status, code) => {
    const { url } = await start();
    const r = await post(`${url}/v1/write/${cat}`, body, headers);
    expect(r.status).toBe(status);
    const j = JSON.parse(r.text);
    expect(j.error_code).toBe(code);
    expect(typeof j.message).toBe('string');
    expect((await getJson(`${url}/v1/query/count?category=logging`)).body).toEqual({ count: 0 });
  });

  it('refuses a whole body with one bad line and names the line', async () => {
    const { url } = await start();
    const r = await post(`${url}/v1/write/logging`, 'a x=1 1\nb y= 2\nc z=3 3');
    const j = JSON.parse(r.text);
    expect(j.message).toMatch(/body refused: 1 of 3 lines failed/);
    expect(j.bad_lines).toHaveLength(1);
    expect(j.bad_lines[0]).toMatchObject({ line: 2, offset: 8 });
    expect((await getJson(`${url}/v1/query/count?category=logging`)).body).toEqual({ count: 0 });
  });

  it('refuses a body larger than the limit', async () => {
    const { url } = await start({ maxBodyBytes: 64 });
    const r = await post(`${url}/v1/write/logging`, `a msg="${'x'.repeat(100)}" 1`);
    expect(r.status).toBe(413);
  });

  const badQueries: [string, string][] = [
    ['/v1/query', 'datakit.invalidCategory'],
    ['/v1/query?category=nope', 'datakit.invalidCategory'],
    ['/v1/query?category=logging&limit=0', 'datakit.invalidParameter'],
    ['/v1/query?category=logging&limit=abc', 'datakit.invalidParameter'],
    ['/v1/query?category=logging&limit=10001', 'datakit.invalidParameter'],
    ['/v1/query/count', 'datakit.invalidCategory'],
  ];
  it.each(badQueries)('refuses query %s', async (path, code) => {
    const { url } = await start();
    const r = await getJson(`${url}${path}`);
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe(code);
  });

  it('answers unknown paths 404 and wrong methods 405', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/v1/nope`)).status).toBe(404);
    expect((await fetch(`${url}/v1/write/logging`)).status).toBe(405);
  });
});

describe('LocalDataway remote pipeline pull', () => {
  function scripts(): string {
    const dir = join(tmp, `scripts-${++seq}`);
    mkdirSync(join(dir, 'logging'), { recursive: true });
    writeFileSync(join(dir, 'logging', 'nginx.p'), 'add_key(from_remote, true)\n');
    writeFileSync(join(dir, 'defaults.json'), '{"logging":"nginx.p"}');
    writeFileSync(join(dir, 'relations.json'), '[{"category":"logging","source":"web","name":"nginx.p"}]');
    return dir;
  }

  it('serves scripts, defaults and relations, then nothing when ts is current', async () => {
    const { url } = await start({ scriptsDir: scripts() });
    const first = await getPull(`${url}/v1/datakit/pull?remote_pipelines=true&ts=0&relation_ts=0`);
    expect(first.status).toBe(200);
    const rp = first.body.remote_pipelines;
    expect(Object.keys(first.body)).toEqual(['remote_pipelines']);
    expect(rp.update_time).toBeGreaterThan(1);
    expect(rp.pipelines).toEqual([
      {
        name: 'nginx.p',
        base64text: Buffer.from('add_key(from_remote, true)\n').toString('base64'),
        category: 'logging',
        asDefault: true,
      },
    ]);
    expect(rp.relation_update_time).toBeGreaterThan(1);
    expect(rp.relation).toEqual([{ category: 'logging', source: 'web', name: 'nginx.p' }]);

    const again = await getPull(
      `${url}/v1/datakit/pull?remote_pipelines=true&ts=${rp.update_time}&relation_ts=${rp.relation_update_time}`,
    );
    expect(again.body.remote_pipelines).toEqual({
      update_time: rp.update_time,
      pipelines: [],
      relation_update_time: rp.relation_update_time,
      relation: rp.relation,
    });
  });

  it('checks the token on pull and answers filters when asked', async () => {
    const { url } = await start({ scriptsDir: scripts(), token: 'tkn_x' });
    const denied = await getJson(`${url}/v1/datakit/pull?remote_pipelines=true&ts=0`);
    expect(denied.status).toBe(403);
    expect(denied.body.error_code).toBe('datakit.invalidToken');
    const f = await getJson(`${url}/v1/datakit/pull?token=tkn_x&filters=true`);
    expect(f.body).toEqual({ filters: {} });
  });

  it('refuses a malformed ts and reports a broken scripts folder', async () => {
    const dir = scripts();
    const { url } = await start({ scriptsDir: dir });
    const r = await getJson(`${url}/v1/datakit/pull?remote_pipelines=true&ts=abc`);
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('datakit.invalidParameter');
    writeFileSync(join(dir, 'relations.json'), '[oops');
    const broken = await getJson(`${url}/v1/datakit/pull?remote_pipelines=true&ts=0`);
    expect(broken.status).toBe(500);
    expect(broken.body.error_code).toBe('datakit.invalidRemotePipelines');
    expect(broken.body.message).toContain('relations.json');
  });

  it('serves an empty answer without a scripts folder', async () => {
    const { url } = await start();
    const r = await getJson(`${url}/v1/datakit/pull?remote_pipelines=true&ts=0&relation_ts=0`);
    expect(r.body).toEqual({
      remote_pipelines: { update_time: 0, pipelines: [], relation_update_time: 0, relation: [] },
    });
  });
});

describe('LocalDataway pages and lifecycle', () => {
  it('answers ping and lists the latest points per category on an escaped HTML page', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/v1/ping`)).status).toBe(200);
    const empty = await (await fetch(`${url}/`)).text();
    expect(empty).toContain('No points received yet');
    const lines: string[] = [];
    for (let i = 0; i < 25; i++) lines.push(`web,host=h msg="n${i}" ${i + 1}`);
    lines.push(`web,host=<b>evil</b> msg="<script>alert('x')</script> & more" 100`);
    await post(`${url}/v1/write/logging`, lines.join('\n'));
    await post(`${url}/v1/write/metric`, 'cpu v=1 5');
    const res = await fetch(`${url}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>evil');
    expect(html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more');
    expect(html).toContain('host=&lt;b&gt;evil&lt;/b&gt;');
    expect(html).toMatch(/logging <small>\(26 points, latest 20 shown\)/);
    expect(html).toMatch(/metric <small>\(1 point, latest 1 shown\)/);
    expect(html).toContain('n24');
    expect(html).not.toContain('"n5"');
  });

  it('stops idempotently, also without start, and frees the port', async () => {
    await new LocalDataway({ listen: '127.0.0.1:0', dbPath: ':memory:' }).stop();
    const { dw, url } = await start();
    await dw.stop();
    await dw.stop();
    await expect(fetch(`${url}/v1/ping`)).rejects.toThrow();
  });

  it('refuses a second start and reports a busy port', async () => {
    const { dw, url } = await start();
    await expect(dw.start()).rejects.toThrow(/already started/);
    const port = new URL(url).port;
    const other = new LocalDataway({ listen: `127.0.0.1:${port}`, dbPath: join(tmp, 'busy.db') });
    await expect(other.start()).rejects.toThrow(/EADDRINUSE/);
    await other.stop();
  });

  it('keeps stored points across a restart on the same database', async () => {
    const db = join(tmp, 'restart.db');
    const a = new LocalDataway({ listen: '127.0.0.1:0', dbPath: db });
    const { url: u1 } = await a.start();
    await post(`${u1}/v1/write/logging`, 'a m="1" 1', { 'X-Pkg-Id': 'r1' });
    await a.stop();
    const b = new LocalDataway({ listen: '127.0.0.1:0', dbPath: db });
    running.push(b);
    const { url: u2 } = await b.start();
    await post(`${u2}/v1/write/logging`, 'a m="1" 1', { 'X-Pkg-Id': 'r1' });
    expect((await getJson(`${u2}/v1/query/count?category=logging`)).body).toEqual({ count: 1 });
  });

  it('keeps the receive time of points sent without one across a restart', async () => {
    const db = join(tmp, 'restart-now.db');
    const a = new LocalDataway({ listen: '127.0.0.1:0', dbPath: db, now: () => NOW });
    const { url: u1 } = await a.start();
    await post(`${u1}/v1/write/metric`, 'cpu v=1');
    await a.stop();
    const b = new LocalDataway({ listen: '127.0.0.1:0', dbPath: db, now: () => NOW + 5n });
    running.push(b);
    const { url: u2 } = await b.start();
    const q = await getPoints(`${u2}/v1/query?category=metric`);
    expect(q.body.map((p) => p.time_ns)).toEqual([NOW.toString()]);
  });
});
