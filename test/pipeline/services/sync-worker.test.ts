/**
 * SyncWorker: answers in order, thrown errors as values, a late answer
 * never taken for the next call's, and a fresh thread after a timeout.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SyncWorker } from '../../../src/pipeline/services/sync-worker.js';

const worker = new SyncWorker(`
let calls = 0;
async function handle(m) {
  calls++;
  if (m.op === 'fail') throw new Error('boom ' + m.n);
  if (m.op === 'sleep') await new Promise((r) => setTimeout(r, m.ms));
  return { n: m.n, calls };
}
`);

afterAll(() => worker.close());

describe('SyncWorker', () => {
  it('waits for each answer', () => {
    expect(worker.call({ op: 'echo', n: 1 }, 2000)).toMatchObject({ n: 1 });
    expect(worker.call({ op: 'sleep', ms: 50, n: 2 }, 2000)).toMatchObject({ n: 2 });
  });

  it('answers a thrown error as a value', () => {
    expect(worker.call({ op: 'fail', n: 3 }, 2000)).toMatchObject({ error: 'boom 3' });
  });

  it('gives up after its wait, then answers the next call on a fresh thread', () => {
    const t0 = Date.now();
    expect(worker.call({ op: 'sleep', ms: 1000, n: 4 }, 100)).toBeNull();
    expect(Date.now() - t0).toBeLessThan(900);
    const next = worker.call({ op: 'echo', n: 5 }, 2000);
    expect(next).toMatchObject({ n: 5, calls: 1 });
  });

  it('closes and starts again on the next call', async () => {
    await worker.close();
    expect(worker.call({ op: 'echo', n: 6 }, 2000)).toMatchObject({ n: 6, calls: 1 });
  });
});
