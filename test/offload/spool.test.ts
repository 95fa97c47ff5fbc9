import { describe, expect, it } from 'vitest';
import { PlkError } from '../../src/common/plk-error.js';
import { makePoints, waitFor } from './fake-receiver.js';
import { metricValue, offloader, receivers, tempDir } from './harness.js';

const seqs = (vals: unknown[]) => vals.map(Number);
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('offload spool', () => {
  it('spools when no receiver is up and drains in order when one is back', async () => {
    const [r] = await receivers(1);
    const port = r!.port;
    await r!.close();
    const { off, metrics } = await offloader({
      addresses: [r!.url],
      batchSize: 5,
      healthCheckIntervalMs: 100,
      maxInFlightPerReceiver: 1, // one request at a time: arrival order is drain order
    });
    const t0 = Date.now();
    await off.send(makePoints(50)); // acknowledged once spooled
    await off.send(makePoints(25, 50));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(off.status().spoolBatches).toBe(15);
    expect(await metricValue(metrics, 'plkit_offload_spool_batches')).toBe(15);
    expect(await metricValue(metrics, 'plkit_offload_spooled_points_total')).toBe(75);
    await r!.listen(port);
    // Sent while the spool drains: queued behind it, order kept.
    const late = off.send(makePoints(25, 75));
    await waitFor(() => r!.points.length === 100, 3000, 'drain');
    await late;
    expect(seqs(r!.values('seq'))).toEqual(range(0, 100));
    await waitFor(() => off.status().spoolBatches === 0);
    expect(await metricValue(metrics, 'plkit_offload_spool_batches')).toBe(0);
    expect(await metricValue(metrics, 'datakit_pipeline_offload_error_point_total')).toBe(0);
  });

  it('keeps spooled batches across a restart and resends them with the same batch ids', async () => {
    const [r] = await receivers(1);
    const tried: string[] = [];
    r!.behave = (req) => {
      tried.push(String(req.headers['x-plkit-batch-id']));
      return { status: 500 };
    };
    const dir = tempDir();
    const first = await offloader(
      { addresses: [r!.url], batchSize: 5, receiver: 'ploffload', healthCheckIntervalMs: 60_000 },
      dir,
    );
    await first.off.send(makePoints(20));
    await first.off.stop();
    expect(new Set(tried).size).toBeGreaterThanOrEqual(1);
    r!.behave = () => ({ status: 200 });
    // Restarted with the other receiver kind: spooled bodies are re-encoded.
    const second = await offloader({ addresses: [r!.url], batchSize: 5, receiver: 'datakit-http' }, dir);
    await waitFor(() => r!.points.length === 20, 3000, 'drain after restart');
    expect(seqs(r!.values('seq'))).toEqual(range(0, 20));
    const resentIds = r!.received.map((x) => String(x.headers['x-plkit-batch-id']));
    for (const id of new Set(tried)) expect(resentIds).toContain(id);
    expect(r!.received.every((x) => x.url === '/v1/write/logging')).toBe(true);
    await waitFor(() => second.off.status().spoolBatches === 0);
  });

  it('when_full = "block": a full spool refuses the send with PLK_ERR_OFFLOAD_FULL; nothing acknowledged is lost', async () => {
    const [r] = await receivers(1);
    const port = r!.port;
    await r!.close();
    const { off } = await offloader({
      addresses: [r!.url],
      batchSize: 10,
      spoolCapacityMiB: 8 / 1024, // 8 KiB
      whenFull: 'block',
      healthCheckIntervalMs: 100,
      maxInFlightPerReceiver: 1,
    });
    let acked = 0;
    let refused: unknown = null;
    for (let i = 0; i < 100 && refused === null; i++) {
      try {
        await off.send(makePoints(10, i * 10));
        acked += 10;
      } catch (e) {
        refused = e;
      }
    }
    expect(refused).toBeInstanceOf(PlkError);
    expect((refused as PlkError).code).toBe('PLK_ERR_OFFLOAD_FULL');
    expect(acked).toBeGreaterThan(0);
    await r!.listen(port);
    await waitFor(() => r!.points.length >= acked, 3000, 'drain');
    expect(seqs(r!.values('seq'))).toEqual(range(0, acked));
  });

  it('when_full = "drop_oldest": sends keep succeeding, the oldest batches are dropped and counted', async () => {
    const [r] = await receivers(1);
    const port = r!.port;
    await r!.close();
    const { off, metrics } = await offloader({
      addresses: [r!.url],
      batchSize: 10,
      spoolCapacityMiB: 16 / 1024,
      whenFull: 'drop_oldest',
      healthCheckIntervalMs: 100,
      maxInFlightPerReceiver: 1,
    });
    for (let i = 0; i < 100; i++) await off.send(makePoints(10, i * 10));
    const dropped = await metricValue(metrics, 'plkit_offload_spool_dropped_total', { reason: 'full' });
    expect(dropped).toBeGreaterThan(0);
    const lost = await metricValue(metrics, 'datakit_pipeline_offload_error_point_total', {
      remote: 'spool',
    });
    expect(lost).toBe(dropped * 10);
    await r!.listen(port);
    await waitFor(() => r!.points.length === 1000 - lost, 3000, 'drain');
    // what is left is the newest data, in order
    expect(seqs(r!.values('seq'))).toEqual(range(lost, 1000 - lost));
  });

  it('stop() with a receiver that never answers spools the batch in flight after the deadline', async () => {
    const [r] = await receivers(1);
    r!.behave = () => ({ hang: true });
    const dir = tempDir();
    const { off } = await offloader({ addresses: [r!.url], batchSize: 5, timeoutMs: 60_000 }, dir);
    const p = off.send(makePoints(5));
    await waitFor(() => off.status().receivers[0]!.inFlight === 1);
    const t0 = Date.now();
    await off.stop({ deadlineMs: 150 });
    await p; // acknowledged: it is in the spool
    expect(Date.now() - t0).toBeLessThan(1000);
    r!.behave = () => ({ status: 200 });
    await offloader({ addresses: [r!.url], batchSize: 5 }, dir);
    await waitFor(() => r!.points.length === 5, 3000, 'drain after restart');
  });
});
