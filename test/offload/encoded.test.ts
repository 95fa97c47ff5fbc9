/**
 * Points handed to the offloader already encoded for the receiver (the
 * agent's fast road for line-protocol bodies): they are batched, cut,
 * split, spooled and delivered exactly like point objects.
 */
import { describe, expect, it } from 'vitest';
import type { EncodedPoints } from '../../src/offload/batcher.js';
import { Offloader } from '../../src/offload/index.js';
import { encodeLineProtocolBytes, encodeProtobuf } from '../../src/point/codec/index.js';
import type { Point } from '../../src/point/point.js';
import { makePoints } from './fake-receiver.js';
import { metricValue, offloader, receivers, tempDir } from './harness.js';

const sorted = (v: unknown[]) => [...(v as bigint[])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function encoded(points: Point[], encoding: 'lp' | 'protobuf'): EncodedPoints {
  const parts: Buffer[] = [];
  const ends = new Uint32Array(points.length);
  let at = 0;
  for (let i = 0; i < points.length; i++) {
    const one =
      encoding === 'lp'
        ? Buffer.concat([Buffer.from(encodeLineProtocolBytes([points[i]!])), Buffer.from('\n')])
        : Buffer.from(encodeProtobuf([points[i]!]));
    parts.push(one);
    at += one.length;
    ends[i] = at;
  }
  return { bytes: Buffer.concat(parts), ends, count: points.length };
}

describe('offloading encoded points', () => {
  it.each([
    ['datakit-http', 'lp'],
    ['ploffload', 'protobuf'],
  ] as const)(
    'over %s: cut into batches with point objects, in order, nothing lost',
    async (receiver, enc) => {
      const [r] = await receivers(1);
      const { off } = await offloader({ receiver, addresses: [r!.url], batchSize: 4, flushIntervalMs: 30 });
      expect(off.encodedWire).toBe(enc);
      await Promise.all([
        off.sendEncoded(encoded(makePoints(3, 0), enc)),
        off.send(makePoints(2, 3)),
        off.sendEncoded(encoded(makePoints(6, 5), enc)),
      ]);
      expect(r!.received.map((x) => x.points.length).sort()).toEqual([3, 4, 4]);
      expect(sorted(r!.values('seq'))).toEqual(Array.from({ length: 11 }, (_, i) => BigInt(i)));
      if (enc === 'lp') {
        for (const x of r!.received) expect(x.body[x.body.length - 1]).not.toBe(10);
      }
    },
  );

  it('splits an encoded batch refused with 413 in halves, decoding it only then', async () => {
    const [r] = await receivers(1);
    r!.behave = (req) => ({ status: req.points.length > 2 ? 413 : 200 });
    const { off, metrics } = await offloader({ addresses: [r!.url], batchSize: 8 });
    await off.sendEncoded(encoded(makePoints(8), 'lp'));
    expect(r!.received.map((x) => x.points.length)).toEqual([2, 2, 2, 2]);
    expect(sorted(r!.values('seq'))).toEqual(Array.from({ length: 8 }, (_, i) => BigInt(i)));
    expect(await metricValue(metrics, 'plkit_offload_split_batches_total')).toBe(3);
  });

  it('spools encoded batches while no receiver answers, and delivers them after', async () => {
    const [r] = await receivers(1);
    r!.behave = () => ({ status: 503, headers: { 'Retry-After': '1' } });
    const dir = tempDir();
    const { off } = await offloader({ receiver: 'ploffload', addresses: [r!.url], batchSize: 5 }, dir);
    await off.sendEncoded(encoded(makePoints(10), 'protobuf'));
    expect(off.status().spoolBatches).toBeGreaterThan(0);
    r!.behave = () => ({ status: 200 });
    const t0 = Date.now();
    while (r!.points.length < 10 && Date.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 20));
    expect(r!.values('seq')).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
  });

  it('takes no bytes under affinity (points are routed by their key values)', async () => {
    const [r] = await receivers(1);
    const { off } = await offloader({ addresses: [r!.url], balance: 'affinity', affinityKeys: ['host'] });
    expect(off.encodedWire).toBeNull();
    await expect(off.sendEncoded(encoded(makePoints(1), 'lp'))).rejects.toThrow(/affinity/);
  });

  it('refuses encoded points before start', async () => {
    const [r] = await receivers(1);
    const off = new Offloader({ receiver: 'datakit-http', addresses: [r!.url], spoolPath: `${tempDir()}/s` });
    await expect(off.sendEncoded(encoded(makePoints(1), 'lp'))).rejects.toMatchObject({
      code: 'PLK_ERR_OFFLOAD_STOPPED',
    });
  });
});
