import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Behaviour, makePoints, waitFor } from './fake-receiver.js';
import { metricValue, offloader, receivers } from './harness.js';

const remoteOf = (url: string) => url.replace('http://', '');

describe('offload failover', () => {
  it.each<{ name: string; a: Behaviour | 'dead'; reason: string }>([
    { name: 'connection refused', a: 'dead', reason: 'transport' },
    { name: '500', a: { status: 500 }, reason: 'http_500' },
    { name: 'timeout (hanging receiver)', a: { hang: true }, reason: 'timeout' },
    { name: 'connection closed before the answer', a: { destroy: 'before-answer' }, reason: 'transport' },
    { name: 'connection closed mid-answer', a: { destroy: 'mid-answer' }, reason: 'transport' },
    { name: '404 (receiver without the API)', a: { status: 404 }, reason: 'misconfigured' },
  ])('moves batches to the healthy receiver at once on $name', async ({ a, reason }) => {
    const [ra, rb] = await receivers(2);
    if (a === 'dead') await ra!.close();
    else ra!.behave = () => a;
    const { off, metrics } = await offloader({
      addresses: [ra!.url, rb!.url],
      batchSize: 10,
      timeoutMs: 300,
      healthCheckIntervalMs: 60_000,
    });
    const t0 = Date.now();
    await off.send(makePoints(100));
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(
      rb!
        .values('seq')
        .map(Number)
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(ra!.received).toHaveLength(0);
    expect(off.status().receivers[0]!.state).toBe('ejected');
    const A = remoteOf(ra!.url);
    const B = remoteOf(rb!.url);
    // Batches already in flight to A when it failed (at most the in-flight bound) each move once.
    const failures = await metricValue(metrics, 'plkit_offload_request_failures_total', {
      remote: A,
      reason,
    });
    expect(failures).toBeGreaterThanOrEqual(1);
    expect(failures).toBeLessThanOrEqual(4);
    expect(await metricValue(metrics, 'plkit_offload_rerouted_batches_total', { remote: A })).toBe(failures);
    expect(await metricValue(metrics, 'plkit_offload_retried_batches_total', { remote: B })).toBe(failures);
    expect(await metricValue(metrics, 'plkit_offload_receiver_healthy', { remote: A })).toBe(0);
    // honest counters: each point once, on the receiver that took it; nothing counted as lost
    expect(await metricValue(metrics, 'datakit_pipeline_offload_point_total')).toBe(100);
    expect(await metricValue(metrics, 'datakit_pipeline_offload_point_total', { remote: B })).toBe(100);
    expect(await metricValue(metrics, 'datakit_pipeline_offload_error_point_total')).toBe(0);
  });

  it('moves a batch whose request body was cut off mid-way', async () => {
    const [ra, rb] = await receivers(2);
    ra!.cutRequests = true;
    const { off, metrics } = await offloader({ addresses: [ra!.url, rb!.url], batchSize: 4000 });
    const big = makePoints(4000).map((p) => {
      p.fields.set('message', 'x'.repeat(200));
      return p;
    });
    await off.send(big);
    expect(rb!.points).toHaveLength(4000);
    expect(ra!.received).toHaveLength(0);
    const A = remoteOf(ra!.url);
    expect(await metricValue(metrics, 'plkit_offload_request_failures_total', { remote: A })).toBe(1);
    expect(await metricValue(metrics, 'datakit_pipeline_offload_point_total')).toBe(4000);
  });

  it('re-admits an ejected receiver after a successful health check', async () => {
    const [ra, rb] = await receivers(2);
    const port = ra!.port;
    await ra!.close();
    const { off } = await offloader({
      addresses: [ra!.url, rb!.url],
      batchSize: 5,
      healthCheckIntervalMs: 100,
    });
    await off.send(makePoints(10));
    expect(off.status().receivers[0]!.state).toBe('ejected');
    await ra!.listen(port);
    await waitFor(() => off.status().receivers[0]!.state === 'healthy', 2000, 're-admission');
    expect(ra!.pings).toBeGreaterThanOrEqual(1);
    await off.send(makePoints(20, 10));
    expect(ra!.received.length).toBeGreaterThan(0);
  });

  it('keeps a receiver out while its health check fails, with growing back-off', async () => {
    const [ra, rb] = await receivers(2);
    ra!.behave = () => ({ status: 500 });
    ra!.pingStatus = 503;
    const { off } = await offloader({
      addresses: [ra!.url, rb!.url],
      batchSize: 5,
      healthCheckIntervalMs: 400,
    });
    await off.send(makePoints(5));
    await new Promise((r) => setTimeout(r, 900));
    // 250 ms, then 400 ms (capped): two probes in 900 ms, not one per tick
    expect(ra!.pings).toBeGreaterThanOrEqual(1);
    expect(ra!.pings).toBeLessThanOrEqual(3);
    expect(off.status().receivers[0]!.state).toBe('ejected');
    ra!.pingStatus = 200;
    ra!.behave = () => ({ status: 200 });
    await waitFor(() => off.status().receivers[0]!.state === 'healthy', 2000, 're-admission');
  });

  it('a lone receiver answering 500 once: the batch is spooled and resent unchanged (same bytes, same id)', async () => {
    const [r] = await receivers(1);
    const bodies: Buffer[] = [];
    const ids: unknown[] = [];
    r!.behave = (req, n) => {
      bodies.push(req.body);
      ids.push(req.headers['x-plkit-batch-id']);
      return { status: n === 0 ? 500 : 200 };
    };
    const { off, metrics } = await offloader({ addresses: [r!.url], healthCheckIntervalMs: 100 });
    await off.send(makePoints(5)); // resolves once spooled
    await waitFor(() => r!.received.length === 1, 3000, 'redelivery');
    expect(bodies).toHaveLength(2);
    expect(bodies[1]!.equals(bodies[0]!)).toBe(true);
    expect(ids[1]).toBe(ids[0]);
    await waitFor(() => off.status().spoolBatches === 0);
    expect(await metricValue(metrics, 'plkit_offload_sent_points_total')).toBe(5);
    expect(await metricValue(metrics, 'datakit_pipeline_offload_error_point_total')).toBe(0);
  });

  it.each([429, 503])(
    '%i with Retry-After backs the receiver off without counting a failure',
    async (status) => {
      const [ra, rb] = await receivers(2);
      ra!.behave = (_req, n) => (n === 0 ? { status, headers: { 'Retry-After': '1' } } : { status: 200 });
      const { off, metrics } = await offloader({ addresses: [ra!.url, rb!.url], batchSize: 5 });
      const t0 = Date.now();
      await off.send(makePoints(5)); // A throttles, B takes it
      await off.send(makePoints(20, 5)); // all to B while A is backed off
      expect(ra!.received).toHaveLength(0);
      expect(rb!.points).toHaveLength(25);
      const st = off.status().receivers[0]!;
      expect(st.state).toBe('healthy');
      expect(st.throttled).toBe(true);
      const A = remoteOf(ra!.url);
      expect(await metricValue(metrics, 'plkit_offload_throttled_total', { remote: A })).toBe(1);
      expect(await metricValue(metrics, 'plkit_offload_request_failures_total')).toBe(0);
      expect(await metricValue(metrics, 'plkit_offload_receiver_healthy', { remote: A })).toBe(1);
      await waitFor(() => Date.now() - t0 > 1050, 2000);
      await off.send(makePoints(10, 25));
      expect(ra!.received.length).toBeGreaterThan(0);
      expect(await metricValue(metrics, 'datakit_pipeline_offload_error_point_total')).toBe(0);
    },
  );

  it('413: splits in halves until accepted; a single point still refused is dead-lettered, the rest delivered', async () => {
    const [r] = await receivers(1);
    r!.behave = (req) => {
      const seqs = req.points.map((p) => Number(p.get('seq')));
      if (seqs.length > 2 || seqs.includes(5)) return { status: 413, body: '{"message":"too large"}' };
      return { status: 200 };
    };
    const { off, metrics, dir } = await offloader({ addresses: [r!.url], batchSize: 8 });
    await off.send(makePoints(8));
    expect(
      r!
        .values('seq')
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 6, 7]);
    const ids = r!.received.map((x) => String(x.headers['x-plkit-batch-id']));
    expect(ids.every((id) => /\.[ab]\.[ab]/.test(id))).toBe(true);
    const lines = readFileSync(`${dir}/spool-dead-letter.jsonl`, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const dl = JSON.parse(lines[0]!);
    expect(dl).toMatchObject({
      status: 413,
      remote: remoteOf(r!.url),
      point: { fields: { seq: { i: '5' } } },
    });
    expect(
      await metricValue(metrics, 'plkit_offload_dead_letter_points_total', { reason: 'too_large' }),
    ).toBe(1);
    expect(await metricValue(metrics, 'datakit_pipeline_offload_error_point_total')).toBe(1);
    expect(await metricValue(metrics, 'datakit_pipeline_offload_point_total')).toBe(8);
    expect(await metricValue(metrics, 'plkit_offload_split_batches_total')).toBeGreaterThanOrEqual(3);
  });

  it('a 4xx about the data (400) dead-letters the batch with its reason, and does not eject the receiver', async () => {
    const [r] = await receivers(1);
    r!.behave = (_req, n) =>
      n === 0
        ? { status: 400, body: '{"error_code":"datakit.invalidLinePoint","message":"bad"}' }
        : { status: 200 };
    const { off, metrics, dir } = await offloader({ addresses: [r!.url], batchSize: 3 });
    await off.send(makePoints(6));
    expect(r!.points).toHaveLength(3);
    const lines = readFileSync(`${dir}/spool-dead-letter.jsonl`, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!).reason).toContain('invalidLinePoint');
    expect(off.status().receivers[0]!.state).toBe('healthy');
    expect(await metricValue(metrics, 'plkit_offload_dead_letter_points_total', { reason: 'rejected' })).toBe(
      3,
    );
    expect(await metricValue(metrics, 'plkit_offload_request_failures_total')).toBe(0);
  });
});
