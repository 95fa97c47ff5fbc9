import { describe, expect, it } from 'vitest';
import type { FakeReceiver } from './fake-receiver.js';
import { makePoints } from './fake-receiver.js';
import { offloader, receivers } from './harness.js';

function hostMap(rs: FakeReceiver[]): Map<string, number> {
  const m = new Map<string, number>();
  rs.forEach((r, i) => {
    for (const p of r.points) {
      const h = p.tags.get('host')!;
      const prev = m.get(h);
      if (prev !== undefined && prev !== i) throw new Error(`host ${h} went to receivers ${prev} and ${i}`);
      m.set(h, i);
    }
  });
  return m;
}

describe('offload balancing', () => {
  it('round robin spreads batches evenly over two receivers', async () => {
    const rs = await receivers(2);
    const { off } = await offloader({ addresses: rs.map((r) => r.url), batchSize: 10 });
    await off.send(makePoints(100));
    expect(rs.map((r) => r.received.length)).toEqual([5, 5]);
    await off.send(makePoints(40, 100));
    expect(rs.map((r) => r.received.length)).toEqual([7, 7]);
    const all = [...rs[0]!.values('seq'), ...rs[1]!.values('seq')].map(Number).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 140 }, (_, i) => i));
  });

  it('least_pending sends around a slow receiver; round robin does not', async () => {
    const run = async (balance: 'least_pending' | 'round_robin') => {
      const [slow, fast] = await receivers(2);
      slow!.behave = () => ({ status: 200, delayMs: 250 });
      const { off } = await offloader({ addresses: [slow!.url, fast!.url], batchSize: 5, balance });
      const calls: Promise<void>[] = [];
      for (let i = 0; i < 20; i++) {
        calls.push(off.send(makePoints(5, i * 5)));
        await new Promise((r) => setTimeout(r, 5));
      }
      await Promise.all(calls);
      return [slow!.received.length, fast!.received.length];
    };
    const [lpSlow, lpFast] = await run('least_pending');
    expect(lpSlow! + lpFast!).toBe(20);
    expect(lpSlow).toBeLessThanOrEqual(2);
    // Round robin keeps feeding the slow one until its in-flight bound (4) is reached.
    const [rrSlow] = await run('round_robin');
    expect(rrSlow).toBeGreaterThanOrEqual(4);
  });

  it('bounds the batches in flight per receiver', async () => {
    const [r] = await receivers(1);
    let inFlight = 0;
    let peak = 0;
    r!.behave = () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => inFlight--, 40);
      return { status: 200, delayMs: 40 };
    };
    const { off } = await offloader({ addresses: [r!.url], batchSize: 1, maxInFlightPerReceiver: 3 });
    await off.send(makePoints(12));
    expect(r!.received).toHaveLength(12);
    expect(peak).toBe(3);
  });

  it('affinity keeps every key on one receiver, stably, and moves only a dead receiver’s keys', async () => {
    const rs = await receivers(3);
    const hosts = (i: number) => ({ host: `h${i % 30}`, service: 'web' });
    const opts = {
      addresses: rs.map((r) => r.url),
      balance: 'affinity' as const,
      affinityKeys: ['host', 'service'],
      batchSize: 50,
    };
    const { off } = await offloader(opts);
    await off.send(makePoints(300, 0, hosts));
    const before = hostMap(rs);
    expect(before.size).toBe(30);
    expect(new Set(before.values()).size).toBe(3); // all three receivers used

    // A fresh offloader (another agent, or a restart) maps keys the same way.
    for (const r of rs) r.received.length = 0;
    const { off: again } = await offloader(opts);
    await again.send(makePoints(300, 300, hosts));
    expect(hostMap(rs)).toEqual(before);

    // Receiver 1 dies: its keys move, every other key stays where it was.
    for (const r of rs) r.received.length = 0;
    await rs[1]!.close();
    await off.send(makePoints(300, 600, hosts));
    const after = hostMap(rs);
    expect(after.size).toBe(30);
    for (const [h, i] of before) {
      if (i === 1) expect(after.get(h)).not.toBe(1);
      else expect(after.get(h)).toBe(i);
    }
    expect(rs[0]!.points.length + rs[2]!.points.length).toBe(300);
  });
});
