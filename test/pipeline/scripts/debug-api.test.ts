import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerPipelineDebugApi } from '../../../src/pipeline/scripts/debug-api.js';
import { ScriptStore } from '../../../src/pipeline/scripts/script-store.js';
import { ApiServer } from '../../../src/server/api-server.js';
import { type Install, makeInstall, testRegistry } from './fixtures.js';

const NOW = 1_700_000_000_123_456_789n;
// biome-ignore lint/suspicious/noExplicitAny: answers are parsed JSON, checked member by member
type Json = any;

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

let server: ApiServer;
let url: string;
let install: Install;
let store: ScriptStore;

beforeEach(async () => {
  install = makeInstall();
  install.write('pipeline/broken.p', 'add_key(');
  install.write('pipeline/ok.p', 'add_key(x, 1)');
  store = new ScriptStore({ folders: install.folders, registry: testRegistry(), watch: false });
  await store.start();
  server = new ApiServer({ listen: '127.0.0.1:0' });
  registerPipelineDebugApi(server, { store, registry: testRegistry(), benchmarkMs: 20, now: () => NOW });
  ({ url } = await server.start());
});
afterEach(async () => {
  await server.stop();
  await store.stop();
  install.cleanup();
});

async function debug(body: unknown): Promise<{ status: number; json: Json; text: string }> {
  const res = await fetch(`${url}/v1/pipeline/debug`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), text };
}

function req(scripts: Record<string, string>, data: string[], extra: Record<string, unknown> = {}) {
  const pipeline: Record<string, string> = {};
  for (const [k, v] of Object.entries(scripts)) pipeline[k] = b64(v);
  return {
    pipeline: { logging: pipeline },
    script_name: Object.keys(scripts)[0],
    category: 'logging',
    data: data.map((d) => b64(d)),
    ...extra,
  };
}

describe('POST /v1/pipeline/debug', () => {
  it("runs the script on each data entry and answers DataKit's shape", async () => {
    const r = await debug(
      req(
        { nginx: 'add_key(len, strlen(_))\nif _ == "drop me" { drop() }\nadd_key(big, 9223372036854775807)' },
        ['hello', 'drop me'],
      ),
    );
    expect(r.status).toBe(200);
    expect(r.json.content.pl_errors).toEqual([]);
    expect(r.json.content.benchmark).toBe('');
    expect(r.json.content.cost).toMatch(/^[\d.]+(ns|µs|ms|s)$/);
    expect(r.json.content.plresults).toEqual([
      {
        point: {
          dropped: false,
          name: 'nginx',
          tags: {},
          fields: { message: 'hello', len: 5, big: expect.any(Number) },
          time: 1700000000,
          time_ns: 123456789,
        },
        create_point: null,
        run_error: null,
      },
      {
        point: expect.objectContaining({
          dropped: true,
          fields: expect.objectContaining({ message: 'drop me' }),
        }),
        create_point: null,
        run_error: null,
      },
    ]);
    expect(r.text).toContain('"big":9223372036854775807');
  });

  it('answers a compile error as positioned pl_errors and runs nothing', async () => {
    const r = await debug(req({ bad: 'add_key(a, 1)\n  add_key(' }, ['x']));
    expect(r.status).toBe(200);
    expect(r.json.content.plresults).toEqual([]);
    expect(r.json.content.pl_errors).toHaveLength(1);
    const e = r.json.content.pl_errors[0];
    expect(e.pos_chain).toEqual([{ file: 'bad.p', ln: 2, col: expect.any(Number), pos: expect.any(Number) }]);
    expect(e.pos_chain[0].pos).toBeGreaterThan(14);
    expect(typeof e.error).toBe('string');
  });

  it('answers a run error in run_error, positioned at the failing call', async () => {
    const r = await debug(req({ f: 'add_key(a, 1)\nboom()' }, ['x']));
    expect(r.json.content.plresults).toEqual([
      {
        point: null,
        create_point: null,
        run_error: {
          pos_chain: [{ file: 'f.p', ln: 2, col: 1, pos: 14 }],
          error: expect.stringContaining('boom'),
        },
      },
    ]);
  });

  it('resolves use() among the scripts of the request and refuses cycles', async () => {
    const ok = await debug(req({ main: 'use("lib.p")\nadd_key(main, 1)', lib: 'add_key(lib, 2)' }, ['x']));
    expect(ok.json.content.plresults[0].point.fields).toMatchObject({ main: 1, lib: 2 });
    const cyc = await debug(req({ a: 'use("b.p")', b: 'use("a.p")' }, ['x']));
    expect(cyc.json.content.pl_errors[0].error).toContain('circular use: a.p -> b.p -> a.p');
  });

  it('returns create_point sub-points', async () => {
    const r = await debug(req({ c: 'emit("m1")' }, ['x']));
    expect(r.json.content.plresults[0].create_point).toEqual([
      { dropped: false, name: 'm1', tags: {}, fields: { v: 1 }, time: 1700000000, time_ns: 123456789 },
    ]);
  });

  it('decodes line protocol for other categories and data types', async () => {
    const lp =
      'cpu,host=a usage=0.5,n=3i,u=4u,s="x",ok=t 1700000000000000001\ncpu,host=b usage=1 1700000000000000002';
    const body = {
      pipeline: { metric: { cpu: b64('add_key(seen, true)') } },
      script_name: 'cpu',
      category: 'metric',
      data: [b64(lp)],
    };
    const r = await debug(body);
    expect(r.json.content.plresults.map((p: Json) => p.point)).toEqual([
      {
        dropped: false,
        name: 'cpu',
        tags: { host: 'a' },
        fields: { usage: 0.5, n: 3, u: 4, ok: true, seen: true },
        time: 1700000000,
        time_ns: 1,
      },
      {
        dropped: false,
        name: 'cpu',
        tags: { host: 'b' },
        fields: { usage: 1, seen: true },
        time: 1700000000,
        time_ns: 2,
      },
    ]);
    const logLp = await debug(
      req({ l: 'add_key(seen, true)' }, ['web,host=h message="m" 1700000000000000000'], {
        data_type: 'application/line-protocol',
      }),
    );
    expect(logLp.json.content.plresults[0].point).toMatchObject({ name: 'web', tags: { host: 'h' } });
    const json = await debug(
      req(
        { l: 'add_key(seen, true)' },
        ['[{"measurement":"j","tags":{},"fields":{"f":1},"time":1700000000000000000}]'],
        {
          data_type: 'application/json',
        },
      ),
    );
    expect(json.json.content.plresults[0].point).toMatchObject({ name: 'j', fields: { f: 1, seen: true } });
    const text = await debug(
      req({ l: 'add_key(seen, true)' }, ['a b c'], {
        data_type: 'text/plain; charset=utf-8',
        category: 'logging',
      }),
    );
    expect(text.json.content.plresults[0].point.fields.message).toBe('a b c');
  });

  it('reads messages in the given encoding', async () => {
    const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]); // 你好
    const body = req({ e: 'add_key(n, strlen(_))' }, [], { encode: 'GBK' });
    body.data = [b64(gbk)];
    const r = await debug(body);
    expect(r.json.content.plresults[0].point.fields).toMatchObject({ message: '你好', n: 2 });
    const unknown = await debug({ ...body, encode: 'no-such-encoding', data: [b64('plain')] });
    expect(unknown.json.content.plresults[0].point.fields.message).toBe('plain');
  });

  it("benchmarks the first point with Go's result layout", async () => {
    const r = await debug(req({ b: 'add_key(x, 1)' }, ['one', 'two'], { benchmark: true }));
    expect(r.json.content.benchmark).toMatch(/^ *\d+\t *[\d.]+ ns\/op$/);
    expect(r.json.content.plresults).toHaveLength(2);
  });

  it('accepts a time zone and refuses an unknown one', async () => {
    const ok = await debug(req({ t: 'add_key(x, 1)' }, ['a'], { timezone: 'Asia/Shanghai' }));
    expect(ok.status).toBe(200);
    const bad = await debug(req({ t: 'add_key(x, 1)' }, ['a'], { timezone: 'Mars/Olympus' }));
    expect(bad.status).toBe(400);
    expect(bad.json.error_code).toBe('datakit.invalidData');
  });

  it.each<[string, unknown, string]>([
    ['not JSON', '{"pipeline":', 'datakit.invalidRequest'],
    ['a list body', '[]', 'datakit.invalidRequest'],
    ['data not strings', { ...req({ a: 'x=1' }, []), data: [1] }, 'datakit.invalidRequest'],
    ['benchmark not bool', { ...req({ a: 'x=1' }, []), benchmark: 'yes' }, 'datakit.invalidRequest'],
    ['unknown category', { ...req({ a: 'x=1' }, []), category: 'nope' }, 'datakit.invalidCategory'],
    ['no pipeline', { script_name: 'a', category: 'logging', data: [] }, 'datakit.invalidPipeline'],
    [
      'script_name not given in pipeline',
      { ...req({ a: 'x=1' }, []), script_name: 'b' },
      'datakit.invalidPipeline',
    ],
    [
      'pipeline under another category',
      { ...req({ a: 'x=1' }, []), category: 'metric' },
      'datakit.invalidPipeline',
    ],
    [
      'script not base64',
      { pipeline: { logging: { a: '%%%' } }, script_name: 'a', category: 'logging' },
      'datakit.invalidData',
    ],
    ['data not base64', { ...req({ a: 'x=1' }, []), data: ['***'] }, 'datakit.invalidData'],
    [
      'bad line protocol',
      { ...req({ a: 'x=1' }, ['no fields here'], { data_type: 'application/line-protocol' }) },
      'datakit.invalidData',
    ],
  ])('answers 400 for %s', async (_label, body, code) => {
    const r = await debug(body);
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe(code);
  });

  it('accepts short category names', async () => {
    const body = {
      pipeline: { L: { a: b64('add_key(x, 1)') } },
      script_name: 'a',
      category: 'L',
      data: [b64('m')],
    };
    const r = await debug(body);
    expect(r.status).toBe(200);
    expect(r.json.content.plresults[0].point.fields.x).toBe(1);
  });
});

describe('GET /v1/pipeline/scripts', () => {
  it('lists serving scripts and positioned compile errors', async () => {
    const res = await fetch(`${url}/v1/pipeline/scripts`);
    const j = (await res.json()) as Json;
    expect(res.status).toBe(200);
    expect(j.content.scripts).toEqual([
      expect.objectContaining({ namespace: 'default', category: 'logging', name: 'ok.p', shadowed: false }),
    ]);
    expect(j.content.compile_errors).toEqual([
      expect.objectContaining({
        namespace: 'default',
        name: 'broken.p',
        serving_previous: false,
        error: {
          pos_chain: [expect.objectContaining({ file: 'broken.p', ln: 1 })],
          error: expect.any(String),
        },
      }),
    ]);
  });
});
