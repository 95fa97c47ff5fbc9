/**
 * The batcher on its own: borrowed bytes (a producer's reused scratch) are
 * copied before `addEncoded` returns, and runs of borrowed and owned bytes
 * keep their arrival order inside a batch.
 */
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../src/common/buffer-pool.js';
import { Batcher, type EncodedPoints } from '../../src/offload/batcher.js';
import { Ticket } from '../../src/offload/completion.js';
import type { Point } from '../../src/point/point.js';

interface Emitted {
  points: Point[];
  chunks: Uint8Array[];
  count: number;
  pooled: Buffer[];
}

/** `words` as entries of one byte run, one entry per word. */
function run(words: string[], bytes: Buffer, borrowed: boolean): EncodedPoints {
  const ends = new Uint32Array(words.length);
  let at = 0;
  words.forEach((w, i) => {
    at += bytes.write(w, at, 'latin1');
    ends[i] = at;
  });
  return { bytes: bytes.subarray(0, at), ends, count: words.length, borrowed };
}

function collect(
  size: number,
  pool: BufferPool | null = null,
): { b: Batcher; out: Emitted[]; text: () => string[] } {
  const out: Emitted[] = [];
  const b = new Batcher(
    size,
    60_000,
    (points, chunks, count, _tickets, pooled) => out.push({ points, chunks, count, pooled }),
    pool,
  );
  const text = () => out.map((e) => e.chunks.map((c) => Buffer.from(c).toString('latin1')).join(''));
  return { b, out, text };
}

describe('Batcher with encoded runs', () => {
  it('copies borrowed bytes before returning, so the producer may overwrite its scratch', () => {
    const { b, out, text } = collect(4);
    const scratch = Buffer.alloc(64);
    const t = new Ticket();
    b.addEncoded(run(['a1', 'a2', 'a3'], scratch, true), t);
    scratch.fill(0x21);
    b.addEncoded(run(['b1', 'b2', 'b3'], scratch, true), t);
    scratch.fill(0x21);
    b.flush();
    expect(out.map((e) => e.count)).toEqual([4, 2]);
    expect(text()).toEqual(['a1a2a3b1', 'b2b3']);
    // One body per batch: the runs were copied into it, not kept side by side.
    expect(out.map((e) => e.chunks.length)).toEqual([1, 1]);
  });

  it('keeps arrival order across borrowed and owned runs, and grows a body that starts small', () => {
    const { b, text } = collect(100);
    const scratch = Buffer.alloc(4096);
    const t = new Ticket();
    const expected: string[] = [];
    for (let k = 0; k < 12; k++) {
      const words = Array.from({ length: 3 + k }, (_, i) => `${k}.${i}${'x'.repeat(k * 7)};`);
      expected.push(...words);
      const borrowed = k % 3 !== 2;
      b.addEncoded(run(words, borrowed ? scratch : Buffer.alloc(4096), borrowed), t);
      if (borrowed) scratch.fill(0x3f);
    }
    b.flush();
    expect(text().join('')).toBe(expected.join(''));
  });

  it('leaves owned runs uncopied', () => {
    const { b, out } = collect(10);
    const owned = Buffer.alloc(64);
    b.addEncoded(run(['o1', 'o2'], owned, false), new Ticket());
    b.flush();
    expect(out[0]!.chunks[0]!.buffer).toBe(owned.buffer);
  });

  it('puts borrowed bytes in pooled buffers and joins runs of one batch into one', () => {
    const pool = new BufferPool(64, 8);
    const { b, out, text } = collect(4, pool);
    const scratch = Buffer.alloc(64);
    const t = new Ticket();
    b.addEncoded(run(['a1', 'a2', 'a3'], scratch, true), t);
    b.addEncoded(run(['o1', 'o2'], Buffer.alloc(16), false), t);
    b.addEncoded(run(['c1', 'c2', 'c3'], scratch, true), t);
    b.flush();
    expect(text()).toEqual(['a1a2a3o1', 'o2c1c2c3']);
    // One body per batch, lying in the one pooled buffer the batch hands back at its end.
    for (const e of out) {
      expect(e.chunks.length).toBe(1);
      expect(e.pooled.length).toBe(1);
      expect(e.chunks[0]!.buffer).toBe(e.pooled[0]!.buffer);
    }
    // The open body each join copied went back at once (the second batch reused the first's).
    expect(pool.idle).toBe(1);
    expect(out[0]!.pooled[0]).not.toBe(out[1]!.pooled[0]);
  });

  it('takes a fresh buffer for a body larger than the pool holds, and hands none back', () => {
    const pool = new BufferPool(8, 8);
    const { b, out, text } = collect(10, pool);
    b.addEncoded(run(['0123456789', 'abcdefghij'], Buffer.alloc(64), true), new Ticket());
    b.flush();
    expect(text()).toEqual(['0123456789abcdefghij']);
    expect(out[0]!.pooled).toEqual([]);
  });
});

describe('Batcher flush interval', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  function timed(size: number, intervalMs: number) {
    const cuts: { count: number; at: number }[] = [];
    const t0 = performance.now();
    const b = new Batcher(size, intervalMs, (_p, _c, count) =>
      cuts.push({ count, at: performance.now() - t0 }),
    );
    return { b, cuts, t0 };
  }
  const words = (n: number) =>
    run(
      Array.from({ length: n }, (_, i) => `w${i};`),
      Buffer.alloc(4096),
      false,
    );

  it('sends a partial batch once it has waited the interval, not before', async () => {
    const { b, cuts } = timed(10, 120);
    b.addEncoded(words(3), new Ticket());
    await sleep(40);
    expect(cuts).toEqual([]);
    await sleep(200);
    expect(cuts.map((c) => c.count)).toEqual([3]);
    expect(cuts[0]!.at).toBeGreaterThanOrEqual(110);
    b.close();
  });

  it('gives a partial batch opened after a cut its whole interval (the timer stays armed across cuts)', async () => {
    const { b, cuts, t0 } = timed(4, 150);
    b.addEncoded(words(4), new Ticket()); // a full batch, cut at once; the timer was never needed
    b.addEncoded(words(2), new Ticket()); // partial: arms the timer
    await sleep(100);
    b.addEncoded(words(2), new Ticket()); // fills it: cut; the timer stays armed
    b.addEncoded(words(1), new Ticket()); // a new partial batch, 100 ms into the old timer
    const opened = performance.now() - t0;
    await sleep(80); // the old timer has fired by now, when this batch had waited only ~50 ms
    // (On a stalled machine the sleep may outlast the interval; then there is nothing to check here.)
    if (performance.now() - t0 - opened < 140) expect(cuts.map((c) => c.count)).toEqual([4, 4]);
    await sleep(150);
    expect(cuts.map((c) => c.count)).toEqual([4, 4, 1]);
    // Not before its own interval, and not much after it.
    const waited = cuts[2]!.at - opened;
    expect(waited).toBeGreaterThanOrEqual(145);
    expect(waited).toBeLessThan(2000);
    b.close();
  });

  it('flush sends now and close leaves no timer behind', async () => {
    const { b, cuts } = timed(10, 50);
    b.addEncoded(words(2), new Ticket());
    b.flush();
    expect(cuts.map((c) => c.count)).toEqual([2]);
    b.addEncoded(words(1), new Ticket());
    b.close();
    await sleep(100);
    expect(cuts.map((c) => c.count)).toEqual([2]);
  });
});
