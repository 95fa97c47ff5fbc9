/**
 * Interop: requests captured from DataKit's real offload sender, replayed
 * into a plkit processor, and a plkit agent offloading to a plkit
 * processor over both receivers.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/common/metrics.js';
import { Offloader } from '../../../src/offload/index.js';
import { decodeBody } from '../../../src/point/codec/index.js';
import { toTyped } from '../../../src/point/index.js';
import { makePoints, waitFor } from '../../offload/fake-receiver.js';
import { type Capture, offloadCaptures } from '../../support/offload-captures.js';
import { SHARED_DIR, SHARED_MISSING_REASON } from '../../support/shared.js';
import { processor, tempDir } from './harness.js';

const typed = (c: Capture) =>
  decodeBody(c.body, c.headers['Content-Type'], { category: 'logging', precision: 'n' }).points.map((p) =>
    toTyped(p),
  );

describe.skipIf(SHARED_DIR === null)(
  `replay of DataKit sender captures${SHARED_DIR === null ? ` (${SHARED_MISSING_REASON})` : ''}`,
  () => {
    it.each([false, true])('ploffload captures into the ploffload input (storage: %s)', async (storage) => {
      const caps = offloadCaptures('ploffload');
      expect(caps.length).toBeGreaterThanOrEqual(15);
      const p = await processor(storage ? { config: { storage: { path: tempDir(), capacityMiB: 64 } } } : {});
      let want: ReturnType<typeof typed> = [];
      for (const c of caps) {
        const r = await fetch(`${p.url}${c.path}`, { method: 'POST', headers: c.headers, body: c.body });
        expect(r.status, c.name).toBe(200);
        want = want.concat(typed(c));
      }
      await waitFor(() => p.uploader.points.length === want.length, 3000, 'all points');
      expect(p.uploader.points.map((x) => toTyped(x))).toEqual(want);
      expect(p.offloader.points).toHaveLength(0);
    });

    it('datakit-http captures into /v1/write/logging', async () => {
      const caps = offloadCaptures('datakit-http');
      const p = await processor({}, undefined, false);
      let want: ReturnType<typeof typed> = [];
      for (const c of caps) {
        expect(c.headers['Content-Type']).toBeUndefined();
        const r = await fetch(`${p.url}${c.path}`, { method: 'POST', headers: c.headers, body: c.body });
        expect(r.status, c.name).toBe(200);
        want = want.concat(typed(c));
      }
      expect(p.uploader.points.map((x) => toTyped(x))).toEqual(want);
    });
  },
);

describe('plkit agent → plkit processor', () => {
  it.each(['ploffload', 'datakit-http'] as const)(
    'over %s: every point processed once, never offloaded again',
    async (receiver) => {
      const procs = [await processor(), await processor()];
      const off = new Offloader({
        receiver,
        addresses: procs.map((p) => p.url),
        spoolPath: join(tempDir(), 'spool'),
        batchSize: 16,
        flushIntervalMs: 10,
        fsync: 'never',
        metrics: new Metrics(),
      });
      await off.start();
      try {
        await off.send(makePoints(320));
      } finally {
        await off.stop();
      }
      const got = procs.flatMap((p) => p.uploader.points).map((x) => Number(x.get('seq')));
      expect(got.sort((a, b) => a - b)).toEqual(Array.from({ length: 320 }, (_, i) => i));
      for (const p of procs) {
        expect(p.uploader.points.length).toBe(160);
        expect(p.offloader.points).toHaveLength(0);
      }
    },
  );
});
