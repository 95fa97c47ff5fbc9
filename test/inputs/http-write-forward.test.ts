/**
 * The write API's fast road: a line-protocol body whose every point is
 * offloaded unprocessed goes to the offloader as wire bytes, never decoded
 * into points; anything else takes the ordinary road (decode, pipeline).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/common/metrics.js';
import { PlkError } from '../../src/common/plk-error.js';
import { registerWriteApi } from '../../src/inputs/http-write/index.js';
import {
  Feed,
  type OffloadSink,
  type PipelineStage,
  type ScriptSelection,
  type StageResult,
} from '../../src/io/feed.js';
import type { Category } from '../../src/point/category.js';
import { decodeBody } from '../../src/point/codec/index.js';
import type { ForwardedPoints } from '../../src/point/codec/lp-forward.js';
import type { Point } from '../../src/point/index.js';
import { ApiServer } from '../../src/server/api-server.js';

/** Scripts: `<name>.p` exists for `remote` names in the remote namespace, `local` ones locally. */
class FakeStage implements PipelineStage {
  processed: Point[] = [];
  constructor(
    readonly remote: Set<string>,
    readonly local: Set<string> = new Set(),
  ) {}
  #script(name: string, sel: ScriptSelection): string {
    if (sel.scriptName !== undefined && (sel.source === undefined || sel.source === name))
      return sel.scriptName;
    return `${name}.p`;
  }
  offloadsWhole(category: Category, name: string, sel: ScriptSelection): boolean {
    return category === 'logging' && this.remote.has(this.#script(name, sel).replace(/\.p$/, ''));
  }
  process(
    category: Category,
    points: Point[],
    sel: ScriptSelection,
    opts: { splitOffload: boolean },
  ): StageResult {
    const kept: Point[] = [];
    const offload: Point[] = [];
    for (const p of points) {
      if (opts.splitOffload && this.offloadsWhole(category, p.name, sel)) offload.push(p);
      else {
        this.processed.push(p);
        kept.push(p);
      }
    }
    return { kept, offload, extra: [] };
  }
}

class FakeOffloader implements OffloadSink {
  sent: Point[] = [];
  encoded: ForwardedPoints[] = [];
  fail: Error | null = null;
  constructor(readonly encodedWire: 'lp' | 'protobuf' | null) {}
  async send(points: Point[]): Promise<void> {
    if (this.fail) throw this.fail;
    this.sent.push(...points);
  }
  async sendEncoded(p: ForwardedPoints): Promise<void> {
    if (this.fail) throw this.fail;
    // The bytes are valid until this promise settles (a pooled output is reused after): keep a copy.
    this.encoded.push({ ...p, bytes: Buffer.from(p.bytes) });
  }
  /** Points of the encoded sends, decoded. */
  get forwarded(): Point[] {
    return this.encoded.flatMap(
      (e) =>
        decodeBody(e.bytes, this.encodedWire === 'protobuf' ? 'application/protobuf' : undefined, {
          category: 'logging',
          precision: 'n',
        }).points,
    );
  }
}

const servers: ApiServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function start(wire: 'lp' | 'protobuf' | null = 'protobuf', stage = new FakeStage(new Set(['nginx']))) {
  const metrics = new Metrics();
  const server = new ApiServer({ listen: '127.0.0.1:0', metrics, version: '9.9.9' });
  const off = new FakeOffloader(wire);
  const uploaded: Point[] = [];
  const feed = new Feed({
    pipeline: stage,
    offloader: off,
    uploader: { write: (_c, pts) => void uploaded.push(...pts) },
    globalHostTags: { host: 'agent-1' },
  });
  registerWriteApi(server, feed, { maxBodyBytes: 1024 * 1024, metrics, now: () => 1717200000000000000n });
  const { url } = await server.start();
  servers.push(server);
  return { url, off, stage, uploaded, metrics };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers });

const NGINX = 'nginx,app=a message="GET / 200",code=200i 1704067200\nnginx message="no time"';

describe('the write API fast road for offloaded points', () => {
  it.each(['lp', 'protobuf'] as const)(
    'forwards a body of remote-script points as %s bytes, with global tags and ns times, unprocessed',
    async (wire) => {
      const { url, off, stage, uploaded, metrics } = await start(wire);
      const r = await post(`${url}/v1/write/logging`, NGINX);
      expect(r.status).toBe(200);
      expect(off.sent).toEqual([]);
      expect(off.encoded).toHaveLength(1);
      expect(stage.processed).toEqual([]);
      expect(uploaded).toEqual([]);
      const [a, b] = off.forwarded;
      expect(a!.tags.get('host')).toBe('agent-1');
      expect(a!.tags.get('app')).toBe('a');
      expect(a!.fields.get('code')).toBe(200n);
      // ten digits: seconds, as the ordinary decoder guesses
      expect(a!.time).toBe(1704067200000000000n);
      expect(b!.time).toBe(1717200000000000000n);
      expect(await metrics.text()).toMatch(
        /datakit_io_feed_point_total\{name="datakit-http",category="logging"\} 2/,
      );
    },
  );

  it('takes the ordinary road when one point of the body stays on this host', async () => {
    const { url, off, stage } = await start('protobuf', new FakeStage(new Set(['nginx']), new Set(['app'])));
    const r = await post(`${url}/v1/write/logging`, `${NGINX}\napp message="local"`);
    expect(r.status).toBe(200);
    expect(off.encoded).toEqual([]);
    expect(off.sent.map((p) => p.name)).toEqual(['nginx', 'nginx']);
    expect(stage.processed.map((p) => p.name)).toEqual(['app']);
  });

  it('takes the ordinary road for lines outside the fast subset, and still reports bad lines', async () => {
    const { url, off } = await start();
    expect((await post(`${url}/v1/write/logging`, 'nginx,a\\ b=c message="x"')).status).toBe(200);
    expect(off.encoded).toEqual([]);
    expect(off.sent[0]!.tags.get('a b')).toBe('c');
    const bad = await post(`${url}/v1/write/logging`, 'nginx message="ok"\nnginx message=');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error_code: string }).error_code).toBe('datakit.invalidLinePoint');
    expect(off.encoded).toEqual([]);
    expect(off.sent).toHaveLength(2);
  });

  it.each([
    ['echo', '?echo=lp', {}],
    ['dry', '?dry=true', {}],
    ['strict', '?strict=1', {}],
    ['JSON bodies', '', { 'Content-Type': 'application/json' }],
    ['points that arrived offloaded', '', { 'X-Plkit-Hop': '1' }],
  ])('never for %s', async (_what, query, headers) => {
    const { url, off } = await start();
    const body =
      headers['Content-Type' as keyof typeof headers] === undefined
        ? 'nginx message="x"'
        : '[{"measurement":"nginx","fields":{"message":"x"}}]';
    const r = await post(`${url}/v1/write/logging${query}`, body, headers as Record<string, string>);
    expect(r.status).toBe(200);
    expect(off.encoded).toEqual([]);
  });

  it('never when the offloader takes only points (affinity), nor for other categories', async () => {
    const { url, off } = await start(null);
    await post(`${url}/v1/write/logging`, 'nginx message="x"');
    expect(off.encoded).toEqual([]);
    expect(off.sent).toHaveLength(1);
    const b = await start('lp');
    await post(`${b.url}/v1/write/metric`, 'nginx value=1');
    expect(b.off.encoded).toEqual([]);
  });

  it('chooses by the source parameter as the ordinary road does', async () => {
    const { url, off } = await start('lp', new FakeStage(new Set(['web'])));
    await post(`${url}/v1/write/logging?source=nginx`, 'nginx message="x"');
    expect(off.encoded).toEqual([]);
    await post(`${url}/v1/write/logging`, 'web message="x"');
    expect(off.encoded).toHaveLength(1);
  });

  it('leaves out global host tags when asked', async () => {
    const { url, off } = await start('lp');
    await post(`${url}/v1/write/logging?ignore_global_host_tags=1`, 'nginx message="x"');
    expect(off.forwarded[0]!.tags.has('host')).toBe(false);
  });

  it('falls back to the ordinary road when the fast road itself fails', async () => {
    const stage = new FakeStage(new Set(['nginx']));
    let calls = 0;
    const ordinary = stage.offloadsWhole.bind(stage);
    stage.offloadsWhole = (c, n, sel) => {
      if (calls++ === 0) throw new Error('boom');
      return ordinary(c, n, sel);
    };
    const { url, off } = await start('protobuf', stage);
    const r = await post(`${url}/v1/write/logging`, 'nginx message="x"');
    expect(r.status).toBe(200);
    expect(off.encoded).toEqual([]);
    expect(off.sent.map((p) => p.name)).toEqual(['nginx']);
  });

  it('answers 503 with Retry-After when the offloader refuses (spool full)', async () => {
    const { url, off } = await start();
    off.fail = new PlkError('PLK_ERR_OFFLOAD_FULL', 'spool full');
    const r = await post(`${url}/v1/write/logging`, 'nginx message="x"');
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
  });
});
