import { describe, expect, it } from 'vitest';
import { PlkError } from '../../src/common/plk-error.js';
import { Offloader } from '../../src/offload/index.js';
import { makePoints, waitFor } from './fake-receiver.js';
import { metricValue, offloader, receivers, tempDir } from './harness.js';

describe('offloader batching', () => {
  it.each([
    { name: 'exact multiples go out at once', batch: 4, send: [8], sizes: [4, 4] },
    { name: 'a remainder waits for the flush interval', batch: 4, send: [10], sizes: [4, 4, 2] },
    { name: 'small sends are gathered into one batch', batch: 5, send: [2, 2, 1], sizes: [5] },
    { name: 'a send spanning batches is cut at the size', batch: 3, send: [2, 5], sizes: [3, 3, 1] },
  ])('$name', async ({ batch, send, sizes }) => {
    const [r] = await receivers(1);
    const { off } = await offloader({ addresses: [r!.url], batchSize: batch, flushIntervalMs: 30 });
    let from = 0;
    const calls: Promise<void>[] = [];
    for (const n of send) {
      calls.push(off.send(makePoints(n, from)));
      from += n;
    }
    await Promise.all(calls);
    expect(r!.received.map((x) => x.points.length)).toEqual(sizes);
    expect(r!.values('seq')).toEqual(Array.from({ length: from }, (_, i) => BigInt(i)));
  });

  it('sends a partial batch after flush_interval, not before', async () => {
    const [r] = await receivers(1);
    const { off } = await offloader({ addresses: [r!.url], batchSize: 100, flushIntervalMs: 150 });
    const t0 = Date.now();
    const p = off.send(makePoints(3));
    await new Promise((res) => setTimeout(res, 60));
    expect(r!.received).toHaveLength(0);
    await p;
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1000);
    expect(r!.received).toHaveLength(1);
  });

  it('flushes the partial batch at stop and resolves its senders', async () => {
    const [r] = await receivers(1);
    const { off } = await offloader({ addresses: [r!.url], batchSize: 100, flushIntervalMs: 60_000 });
    const p = off.send(makePoints(7));
    await off.stop();
    await p;
    expect(r!.points).toHaveLength(7);
  });

  it('resolves send() only after the receiver answered 2xx', async () => {
    const [r] = await receivers(1);
    r!.behave = () => ({ status: 200, delayMs: 150 });
    const { off } = await offloader({ addresses: [r!.url], batchSize: 2 });
    let done = false;
    const p = off.send(makePoints(2)).then(() => {
      done = true;
    });
    await new Promise((res) => setTimeout(res, 60));
    expect(done).toBe(false);
    await p;
    expect(r!.received).toHaveLength(1);
  });

  it('sends the plkit headers: unique batch id, hop, bearer token only when set', async () => {
    const [a, b] = await receivers(2);
    const { off } = await offloader({ addresses: [a!.url], batchSize: 2, token: 'tkn_secret' });
    await off.send(makePoints(4));
    const ids = a!.received.map((x) => x.headers['x-plkit-batch-id']);
    expect(new Set(ids).size).toBe(2);
    for (const x of a!.received) {
      expect(x.headers['x-plkit-hop']).toBe('1');
      expect(x.headers.authorization).toBe('Bearer tkn_secret');
    }
    const { off: off2 } = await offloader({ addresses: [b!.url], batchSize: 2 });
    await off2.send(makePoints(2));
    expect(b!.received[0]!.headers.authorization).toBeUndefined();
    // ids differ between two offloaders of the same process run too
    expect(ids).not.toContain(b!.received[0]!.headers['x-plkit-batch-id']);
  });

  it('refuses send() before start and after stop', async () => {
    const [r] = await receivers(1);
    const off = new Offloader({ receiver: 'datakit-http', addresses: [r!.url], spoolPath: `${tempDir()}/s` });
    await expect(off.send(makePoints(1))).rejects.toMatchObject({ code: 'PLK_ERR_OFFLOAD_STOPPED' });
    await off.start();
    await off.stop();
    await off.stop(); // idempotent
    const e = await off.send(makePoints(1)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PlkError);
    expect((e as PlkError).code).toBe('PLK_ERR_OFFLOAD_STOPPED');
  });

  it('stop() without start() is safe', async () => {
    const off = new Offloader({
      receiver: 'ploffload',
      addresses: ['http://127.0.0.1:1'],
      spoolPath: `${tempDir()}/s`,
    });
    await off.stop();
    expect(off.stopped).toBe(true);
  });

  it.each([
    [{ addresses: [] }, /at least one receiver address/],
    [{ addresses: ['ftp://x:1'] }, /scheme must be http or https/],
    [{ addresses: ['http://[::1'] }, /not a URL/],
    [{ addresses: ['http://a:1'], batchSize: 0 }, /batch_size/],
    [{ addresses: ['http://a:1'], balance: 'affinity' as const }, /affinity_keys/],
    [{ addresses: ['http://a:1'], maxInFlightPerReceiver: 0 }, /in-flight/],
  ])('refuses bad options %#', (o, msg) => {
    expect(() => new Offloader({ receiver: 'datakit-http', spoolPath: '/tmp/x', ...o })).toThrow(msg);
  });

  it('counts every delivered point once in DataKit and plkit metrics', async () => {
    const [r] = await receivers(1);
    const { off, metrics } = await offloader({ addresses: [r!.url], batchSize: 5 });
    await off.send(makePoints(12));
    const remote = `127.0.0.1:${r!.port}`;
    const labels = { category: 'logging', exporter: 'datakit-http', remote };
    expect(await metricValue(metrics, 'datakit_pipeline_offload_point_total', labels)).toBe(12);
    expect(await metricValue(metrics, 'datakit_pipeline_offload_error_point_total')).toBe(0);
    expect(await metricValue(metrics, 'datakit_pipeline_offload_cost_seconds', labels)).toBe(3);
    expect(await metricValue(metrics, 'plkit_offload_sent_points_total', { remote })).toBe(12);
    expect(await metricValue(metrics, 'plkit_offload_sent_batches_total', { remote })).toBe(3);
    expect(await metricValue(metrics, 'plkit_offload_receiver_healthy', { remote })).toBe(1);
    await waitFor(() => off.status().receivers[0]!.inFlight === 0);
    expect(await metricValue(metrics, 'plkit_offload_in_flight_batches', { remote })).toBe(0);
  });
});
