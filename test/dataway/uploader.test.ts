import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/common/metrics.js';
import { DatawayUploader } from '../../src/dataway/index.js';
import { decodeBody } from '../../src/point/codec/index.js';
import { Point } from '../../src/point/index.js';

interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  names: string[];
}

/** A fake DataWay whose answer the test controls. */
class FakeDataway {
  server: Server;
  received: Received[] = [];
  pkgIds: string[] = [];
  answer: (n: number) => number = () => 200;
  #n = 0;
  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const status = this.answer(this.#n++);
        this.pkgIds.push(String(req.headers['x-pkg-id']));
        if (status === 200) {
          let body: Buffer = Buffer.concat(chunks);
          if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          const pts = decodeBody(body, String(req.headers['content-type'] ?? ''), {
            category: 'logging',
          }).points;
          this.received.push({ url: req.url ?? '', headers: req.headers, names: pts.map((p) => p.name) });
        }
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(status === 200 ? '{}' : '{"error_code":"x"}');
      });
    });
  }
  async listen(port = 0): Promise<string> {
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
  get names(): string[] {
    return this.received.flatMap((r) => r.names);
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function pts(prefix: string, n: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      new Point(
        `${prefix}${i}`,
        new Map([['host', 'h']]),
        new Map([
          ['message', `m${i}`],
          ['status', 'info'],
        ]),
        1704067200000000000n + BigInt(i),
      ),
    );
  }
  return out;
}

async function setup(opts: Partial<ConstructorParameters<typeof DatawayUploader>[0]> = {}) {
  const dw = new FakeDataway();
  const base = await dw.listen();
  cleanups.push(() => dw.close());
  const walDir = mkdtempSync(join(tmpdir(), 'plkit-wal-'));
  cleanups.push(() => rmSync(walDir, { recursive: true, force: true }));
  const metrics = new Metrics();
  const up = new DatawayUploader({
    urls: [`${base}?token=tkn_test`],
    walDir,
    retryDelayMs: 20,
    maxBackoffMs: 50,
    metrics,
    ...opts,
  });
  up.start();
  cleanups.push(() => up.stop({ deadlineMs: 100 }));
  return { dw, up, walDir, metrics, base };
}

describe('DatawayUploader', () => {
  it('uploads protobuf+gzip with the token, X-Points and X-Pkg-Id', async () => {
    const { dw, up } = await setup();
    up.write('logging', pts('a', 3));
    expect(await up.drain(5000)).toBe(true);
    expect(dw.names).toEqual(['a0', 'a1', 'a2']);
    const r = dw.received[0]!;
    expect(r.url).toBe('/v1/write/logging?token=tkn_test');
    expect(r.headers['x-points']).toBe('3');
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['content-type']).toBe('application/protobuf; proto=com.guance.Point');
    expect(r.headers['x-pkg-id']).toBeTruthy();
  });

  it('joins several writes into one line-protocol body (v1, no gzip)', async () => {
    const { dw, up } = await setup({ contentEncoding: 'v1', gzip: false });
    up.write('logging', pts('a', 2));
    up.write('logging', pts('b', 2));
    expect(await up.drain(5000)).toBe(true);
    expect(dw.names.sort()).toEqual(['a0', 'a1', 'b0', 'b1']);
    expect(dw.received[0]!.headers['content-type']).toBe('application/line-protocol');
  });

  it('loses nothing while DataWay answers 5xx, and delivers once it recovers', async () => {
    const { dw, up } = await setup();
    dw.answer = (n) => (n < 6 ? 503 : 200);
    for (let i = 0; i < 5; i++) up.write('logging', pts(`w${i}-`, 10));
    expect(await up.drain(10_000)).toBe(true);
    expect(dw.names.length).toBe(50);
    expect(new Set(dw.names).size).toBe(50);
  });

  it('re-sends a failed batch under the same X-Pkg-Id, so DataWay can drop a second copy', async () => {
    const { dw, up } = await setup();
    dw.answer = (n) => (n === 0 ? 503 : 200);
    up.write('logging', pts('r', 3));
    expect(await up.drain(5000)).toBe(true);
    expect(dw.pkgIds.length).toBe(2);
    expect(dw.pkgIds[0]).toBe(dw.pkgIds[1]);
    expect(dw.pkgIds[0]).toMatch(/^[0-9a-f]{16}-logging-0-\d+-\d+$/);
  });

  it('uploads a keyed write as a package of its own, its X-Pkg-Id derived from the key alone', async () => {
    const { dw, up } = await setup({ contentEncoding: 'v1', gzip: false });
    // Hold the sender on a first request so the next writes queue up behind it.
    dw.answer = (n) => (n === 0 ? 503 : 200);
    up.write('logging', pts('a', 2));
    up.write('logging', pts('b', 2), { packageKey: 'f00d-1' });
    up.write('logging', pts('c', 2));
    up.write('logging', pts('d', 2));
    expect(await up.drain(5000)).toBe(true);
    const keyed = dw.received.filter((r) => r.headers['x-pkg-id'] === 'logging-k-f00d-1');
    expect(keyed).toHaveLength(1);
    expect(keyed[0]!.names).toEqual(['b0', 'b1']);
    expect(keyed[0]!.headers['x-points']).toBe('2');
    // Unkeyed writes still merge with each other, never with a keyed one.
    const others = dw.received.filter((r) => r.headers['x-pkg-id'] !== 'logging-k-f00d-1');
    expect(others.flatMap((r) => r.names).sort()).toEqual(['a0', 'a1', 'c0', 'c1', 'd0', 'd1']);
    for (const r of others) expect(r.names.some((n) => n.startsWith('b'))).toBe(false);
  });

  it('gives the same keyed package the same X-Pkg-Id from two uploaders (two processors)', async () => {
    const one = await setup();
    const two = await setup();
    one.up.write('logging', pts('k', 3), { packageKey: 'abc-7' });
    two.up.write('logging', pts('k', 3), { packageKey: 'abc-7' });
    expect(await one.up.drain(5000)).toBe(true);
    expect(await two.up.drain(5000)).toBe(true);
    expect(one.dw.pkgIds).toEqual(['logging-k-abc-7']);
    expect(two.dw.pkgIds).toEqual(['logging-k-abc-7']);
  });

  it('drops a batch DataWay rejects with 4xx and counts it', async () => {
    const { dw, up, metrics } = await setup();
    dw.answer = () => 400;
    up.write('logging', pts('x', 4));
    expect(await up.drain(5000)).toBe(true);
    expect(dw.received).toHaveLength(0);
    expect(await metrics.text()).toMatch(/plkit_dataway_rejected_point_total\{category="logging"\} 4/);
  });

  it('keeps data in the WAL across a restart while DataWay is down', async () => {
    const dw = new FakeDataway();
    const base = await dw.listen();
    const port = Number(new URL(base).port);
    await dw.close();
    const walDir = mkdtempSync(join(tmpdir(), 'plkit-wal-'));
    cleanups.push(() => rmSync(walDir, { recursive: true, force: true }));
    const up1 = new DatawayUploader({
      urls: [`${base}?token=t`],
      walDir,
      retryDelayMs: 10,
      maxBackoffMs: 20,
    });
    up1.start();
    up1.write('logging', pts('p', 7));
    await new Promise((r) => setTimeout(r, 100));
    await up1.stop({ deadlineMs: 50 });

    const dw2 = new FakeDataway();
    await dw2.listen(port);
    cleanups.push(() => dw2.close());
    const up2 = new DatawayUploader({ urls: [`${base}?token=t`], walDir, retryDelayMs: 10 });
    up2.start();
    cleanups.push(() => up2.stop({ deadlineMs: 100 }));
    expect(await up2.drain(5000)).toBe(true);
    expect(dw2.names.sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it('refuses writes of a full no-drop category with PLK_ERR_QUEUE_FULL', async () => {
    const { dw, up } = await setup({ walMaxBytes: 2000, noDropCategories: ['logging'] });
    dw.answer = () => 503;
    let accepted = 0;
    expect(() => {
      for (let i = 0; i < 100; i++) {
        up.write('logging', pts(`f${i}-`, 5));
        accepted++;
      }
    }).toThrow(expect.objectContaining({ code: 'PLK_ERR_QUEUE_FULL' }));
    expect(accepted).toBeGreaterThan(0);
  });

  it('needs at least one URL, each a valid http(s) URL', () => {
    expect(() => new DatawayUploader({ urls: [], walDir: '/nonexistent' })).toThrow(/at least one/);
    expect(() => new DatawayUploader({ urls: ['ftp://x'], walDir: '/nonexistent' })).toThrow(/scheme/);
  });

  it('sends every batch to every configured URL', async () => {
    const other = new FakeDataway();
    const otherBase = await other.listen();
    cleanups.push(() => other.close());
    const first = new FakeDataway();
    const firstBase = await first.listen();
    cleanups.push(() => first.close());
    const walDir = mkdtempSync(join(tmpdir(), 'plkit-wal-'));
    cleanups.push(() => rmSync(walDir, { recursive: true, force: true }));
    const u = new DatawayUploader({ urls: [`${firstBase}?token=a`, `${otherBase}?token=b`], walDir });
    u.start();
    cleanups.push(() => u.stop());
    u.write('metric', pts('m', 2));
    expect(await u.drain(5000)).toBe(true);
    expect(first.received[0]!.url).toBe('/v1/write/metric?token=a');
    expect(other.received[0]!.url).toBe('/v1/write/metric?token=b');
  });
});
