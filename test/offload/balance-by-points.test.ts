/**
 * Round robin counts points, not batches: partial batches cut by the
 * flush interval must not load one receiver more than another, and a
 * receiver back from an ejection catches up by at most two batches.
 */
import { describe, expect, it } from 'vitest';
import { Balancer } from '../../src/offload/balancer.js';
import { Target } from '../../src/offload/target.js';

function fleet(n: number): { bal: Balancer; ts: Target[] } {
  const ts = Array.from(
    { length: n },
    (_, i) => new Target(i, `http://10.0.0.${i + 1}:9529`, '/v1/write/logging'),
  );
  return { bal: new Balancer(ts, 'round_robin', 4, []), ts };
}

function pickIndex(bal: Balancer, points: number): number {
  const p = bal.pick(0, points);
  if (p.kind !== 'target') throw new Error(`no target: ${p.kind}`);
  return p.target.index;
}

describe('round robin by points', () => {
  it.each([
    {
      name: 'equal batches alternate strictly',
      sizes: [128, 128, 128, 128, 128, 128],
      want: [0, 1, 0, 1, 0, 1],
    },
    {
      name: 'full and partial batches are spread by points',
      sizes: [128, 72, 128, 72, 128, 72],
      want: [0, 1, 1, 0, 1, 0],
    },
    { name: 'three receivers, equal batches', sizes: [10, 10, 10, 10], want: [0, 1, 2, 0] },
  ])('$name', ({ sizes, want }) => {
    const { bal } = fleet(want.includes(2) ? 3 : 2);
    expect(sizes.map((s) => pickIndex(bal, s))).toEqual(want);
  });

  it('keeps the point totals within one batch over a long run of uneven batches', () => {
    const { bal } = fleet(2);
    const totals = [0, 0];
    for (let i = 0; i < 1000; i++) {
      const size = i % 2 === 0 ? 128 : 72;
      totals[pickIndex(bal, size)]! += size;
    }
    expect(Math.abs(totals[0]! - totals[1]!)).toBeLessThanOrEqual(128);
  });

  it('a receiver back from an ejection gets at most two batches of catch-up', () => {
    const { bal, ts } = fleet(2);
    ts[1]!.state = 'ejected';
    for (let i = 0; i < 50; i++) expect(pickIndex(bal, 100)).toBe(0);
    ts[1]!.state = 'healthy';
    const next = Array.from({ length: 8 }, () => pickIndex(bal, 100));
    expect(next).toEqual([1, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('skips a receiver at its in-flight bound, and answers busy / none', () => {
    const { bal, ts } = fleet(2);
    ts[0]!.inFlight = 4;
    expect(pickIndex(bal, 10)).toBe(1);
    ts[1]!.inFlight = 4;
    expect(bal.pick(0, 10).kind).toBe('busy');
    ts[0]!.state = 'ejected';
    ts[1]!.throttledUntil = 1000;
    expect(bal.pick(0, 10).kind).toBe('none');
  });
});
