import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, encodeProtobuf } from '../../../src/point/codec/index.js';
import { makePoints, waitFor } from '../../offload/fake-receiver.js';
import { MemoryUploader, processor, tempDir } from './harness.js';

const PB = CONTENT_TYPES.protobuf;
const post = (
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
  path = '/v1/write/ploffload/logging',
) => fetch(`${url}${path}`, { method: 'POST', body, headers });
const pb = (from: number, n: number) => encodeProtobuf(makePoints(n, from));
const seqs = (pts: { get(k: string): unknown }[]) => pts.map((p) => Number(p.get('seq')));

describe('ploffload input without storage', () => {
  it('processes the points locally (never offloads them again) before answering 200', async () => {
    const p = await processor();
    const r = await post(p.url, pb(0, 5), { 'Content-Type': PB });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('');
    expect(seqs(p.uploader.points)).toEqual([0, 1, 2, 3, 4]);
    expect(p.offloader.points).toHaveLength(0);
    expect(p.uploader.points[0]!.tags.get('host')).toBe('processor-1');
  });

  it('answers 503 + Retry-After when downstream refuses, and processes the retried batch', async () => {
    const p = await processor();
    p.uploader.refuse = 1;
    const h = { 'Content-Type': PB, 'X-Plkit-Batch-Id': 'run-1' };
    const r1 = await post(p.url, pb(0, 3), h);
    expect(r1.status).toBe(503);
    expect(r1.headers.get('retry-after')).toBe('5');
    expect(p.uploader.points).toHaveLength(0);
    const r2 = await post(p.url, pb(0, 3), h); // not remembered as done: processed now
    expect(r2.status).toBe(200);
    expect(seqs(p.uploader.points)).toEqual([0, 1, 2]);
  });

  it('reads line protocol timestamps as nanoseconds (as DataKit’s ploffload input)', async () => {
    const p = await processor();
    expect((await post(p.url, 'app message="x" 1700000000')).status).toBe(200);
    expect(p.uploader.points[0]!.time).toBe(1700000000n);
    expect(
      (await post(p.url, 'app message="y" 1700000000', {}, '/v1/write/ploffload/logging?precision=s')).status,
    ).toBe(200);
    expect(p.uploader.points[1]!.time).toBe(1700000000000000000n);
  });

  it.each([
    ['/v1/write/ploffload/nonsense', 'x a=1i', {}, 400, 'datakit.invalidCategory'],
    ['/v1/write/ploffload/logging', '', {}, 400, 'datakit.emptyBody'],
    [
      '/v1/write/ploffload/logging',
      '\x0a\x05\x0a\x03',
      { 'Content-Type': PB },
      400,
      'datakit.invalidProtobufPoint',
    ],
    ['/v1/write/ploffload/logging', 'ok a=1i 1\nbad line here', {}, 400, 'datakit.invalidLinePoint'],
  ])('refuses %s %j with %i %s, storing nothing', async (path, body, headers, status, code) => {
    const p = await processor({ config: { storage: { path: tempDir(), capacityMiB: 1 } } });
    const r = await post(p.url, body, headers as Record<string, string>, path);
    expect(r.status).toBe(status);
    expect(((await r.json()) as { error_code: string }).error_code).toBe(code);
    expect(p.input.backlog).toBe(0);
    expect(p.uploader.points).toHaveLength(0);
  });
});

describe('ploffload input with storage', () => {
  it('answers 200 once the request is in the disk cache; the worker feeds it when downstream takes it', async () => {
    const dir = tempDir();
    const uploader = new MemoryUploader();
    uploader.refuse = 3;
    const p = await processor({ config: { storage: { path: dir, capacityMiB: 16 } } }, uploader);
    const r = await post(p.url, pb(0, 4), { 'Content-Type': PB });
    expect(r.status).toBe(200);
    await waitFor(() => uploader.points.length === 4, 3000, 'worker');
    expect(seqs(uploader.points)).toEqual([0, 1, 2, 3]);
    await waitFor(() => p.input.backlog === 0);
  });

  it('keeps acknowledged requests across a restart and processes them afterwards, in order', async () => {
    const dir = tempDir();
    const refusing = new MemoryUploader();
    refusing.refuse = Number.POSITIVE_INFINITY;
    const p1 = await processor({ config: { storage: { path: dir, capacityMiB: 16 } } }, refusing);
    for (let i = 0; i < 3; i++)
      expect((await post(p1.url, pb(i * 2, 2), { 'Content-Type': PB })).status).toBe(200);
    await p1.stop();
    expect(refusing.points).toHaveLength(0);
    const p2 = await processor({ config: { storage: { path: dir, capacityMiB: 16 } } });
    await waitFor(() => p2.uploader.points.length === 6, 3000, 'backlog after restart');
    expect(seqs(p2.uploader.points)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(p2.offloader.points).toHaveLength(0);
  });

  it('answers 503 when the disk cache is full instead of dropping', async () => {
    const refusing = new MemoryUploader();
    refusing.refuse = Number.POSITIVE_INFINITY;
    const p = await processor({ config: { storage: { path: tempDir(), capacityMiB: 16 / 1024 } } }, refusing);
    const big = encodeProtobuf(makePoints(200));
    let status = 200;
    for (let i = 0; i < 20 && status === 200; i++)
      status = (await post(p.url, big, { 'Content-Type': PB })).status;
    expect(status).toBe(503);
  });
});

describe('ploffload batch-id dedupe', () => {
  it.each([
    ['without storage', false],
    ['with storage', true],
  ])(
    '%s: a batch id seen before is acknowledged without processing, across restarts',
    async (_n, storage) => {
      const dir = tempDir();
      const opts = storage ? { config: { storage: { path: dir, capacityMiB: 16 } } } : { stateDir: dir };
      const p1 = await processor(opts);
      const h = { 'Content-Type': PB, 'X-Plkit-Batch-Id': 'abc123-7' };
      expect((await post(p1.url, pb(0, 3), h)).status).toBe(200);
      expect((await post(p1.url, pb(0, 3), h)).status).toBe(200);
      await waitFor(() => p1.uploader.points.length === 3);
      await p1.stop();
      const p2 = await processor(opts);
      expect((await post(p2.url, pb(0, 3), h)).status).toBe(200);
      expect(
        (await post(p2.url, pb(3, 1), { 'Content-Type': PB, 'X-Plkit-Batch-Id': 'abc123-8' })).status,
      ).toBe(200);
      await waitFor(() => p2.uploader.points.length === 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(seqs(p2.uploader.points)).toEqual([3]);
      expect(p1.uploader.points).toHaveLength(3);
    },
  );

  it('two copies arriving together are processed once', async () => {
    const p = await processor();
    const h = { 'Content-Type': PB, 'X-Plkit-Batch-Id': 'dup-1' };
    const body = pb(0, 50);
    const rs = await Promise.all([post(p.url, body, h), post(p.url, body, h), post(p.url, body, h)]);
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(p.uploader.points).toHaveLength(50);
  });

  it('batches without an id (DataKit’s sender) are never deduplicated', async () => {
    const p = await processor();
    await post(p.url, pb(0, 2), { 'Content-Type': PB });
    await post(p.url, pb(0, 2), { 'Content-Type': PB });
    expect(p.uploader.points).toHaveLength(4);
  });
});

describe('write API hop header', () => {
  it('treats /v1/write/logging requests carrying X-Plkit-Hop as arrived offloaded', async () => {
    const p = await processor();
    expect((await post(p.url, 'app message="a" 1', { 'X-Plkit-Hop': '1' }, '/v1/write/logging')).status).toBe(
      200,
    );
    expect(p.uploader.points).toHaveLength(1);
    expect(p.offloader.points).toHaveLength(0);
    // without the header the same point would be offloaded (remote script)
    expect((await post(p.url, 'app message="b" 1', {}, '/v1/write/logging')).status).toBe(200);
    expect(p.offloader.points).toHaveLength(1);
  });
});

describe('stopping', () => {
  it('answers 503 after stop', async () => {
    const p = await processor();
    await p.input.stop();
    const r = await post(p.url, pb(0, 1), { 'Content-Type': PB });
    expect(r.status).toBe(503);
    await p.input.stop(); // idempotent
  });
});
