/** The small pure parts of the offloader: answers, Retry-After, rendezvous hashing, spool records. */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Balancer,
  classifyAnswer,
  offloaderOptionsFromConfig,
  retryAfterMs,
  Target,
} from '../../src/offload/index.js';
import { Spool } from '../../src/offload/spool.js';
import { makePoints } from './fake-receiver.js';
import { tempDir } from './harness.js';

describe('classifyAnswer', () => {
  const body = (s: string) => Buffer.from(s);
  it.each([
    [200, {}, '', 'ok'],
    [204, {}, '', 'ok'],
    [429, { 'retry-after': '3' }, '', 'throttled'],
    [503, {}, '', 'throttled'],
    [413, {}, '', 'too_large'],
    [400, {}, '{"message":"request body too large"}', 'too_large'],
    [400, {}, '{"error_code":"datakit.invalidLinePoint"}', 'rejected'],
    [422, {}, '', 'rejected'],
    [401, {}, '', 'failed'],
    [403, {}, '{"error_code":"datakit.publicAccessDisabled"}', 'failed'],
    [404, {}, '', 'failed'],
    [405, {}, '', 'failed'],
    [408, {}, '', 'failed'],
    [500, {}, '', 'failed'],
    [502, {}, '', 'failed'],
    [302, {}, '', 'failed'],
  ])('%i %j %s → %s', (status, headers, text, kind) => {
    expect(classifyAnswer({ status, headers, body: body(text) }).kind).toBe(kind);
  });

  it('keeps the Retry-After header of a throttled answer', () => {
    expect(
      classifyAnswer({ status: 429, headers: { 'retry-after': ['7', '8'] }, body: body('') }),
    ).toMatchObject({
      retryAfter: '7',
    });
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  it.each([
    [undefined, 1000],
    ['', 1000],
    ['2', 2000],
    ['0.5', 500],
    ['0', 0],
    ['-3', 1000],
    ['soon', 1000],
    ['Mon, 01 Jan 2024 00:00:04 GMT', 4000],
    ['Sun, 31 Dec 2023 23:59:00 GMT', 0],
    ['99999', 60_000],
    [['3', '9'], 3000],
  ])('%j → %i ms', (h, ms) => {
    expect(retryAfterMs(h as string | string[] | undefined, 1000, 60_000, now)).toBe(ms);
  });
});

describe('rendezvous affinity', () => {
  const targets = (n: number) =>
    Array.from({ length: n }, (_, i) => new Target(i, `http://10.0.0.${i + 1}:9529`, '/'));
  const pts = makePoints(2000, 0, (i) => ({ host: `host-${i}` }));

  const owners = (bal: Balancer) => {
    const m = new Map<string, number>();
    for (const g of bal.partition(pts))
      for (const p of g.points) m.set(p.tags.get('host')!, g.target?.index ?? -1);
    return m;
  };

  it('spreads keys roughly evenly and moves only the keys of a receiver that goes away', () => {
    const ts = targets(4);
    const bal = new Balancer(ts, 'affinity', 4, ['host']);
    const before = owners(bal);
    const counts = [0, 0, 0, 0];
    for (const i of before.values()) counts[i]!++;
    for (const c of counts) expect(c).toBeGreaterThan(400);
    ts[2]!.state = 'ejected';
    const after = owners(bal);
    let moved = 0;
    for (const [k, i] of before) {
      if (i === 2) {
        expect(after.get(k)).not.toBe(2);
        moved++;
      } else expect(after.get(k)).toBe(i);
    }
    expect(moved).toBe(counts[2]);
    ts[2]!.state = 'healthy';
    expect(owners(bal)).toEqual(before);
  });

  it('a throttled receiver keeps its keys; no healthy receiver gives one group without a target', () => {
    const ts = targets(2);
    const bal = new Balancer(ts, 'affinity', 4, ['host']);
    const before = owners(bal);
    ts[0]!.throttledUntil = Date.now() + 60_000;
    expect(owners(bal)).toEqual(before);
    ts[0]!.state = 'ejected';
    ts[1]!.state = 'ejected';
    const groups = bal.partition(pts);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.target).toBeNull();
  });

  it('keys missing on a point hash as empty values (one group)', () => {
    const bal = new Balancer(targets(3), 'affinity', 4, ['service']);
    expect(bal.partition(pts)).toHaveLength(1);
  });
});

describe('spool records', () => {
  it('round-trips id, count, encoding and body, oldest first, and survives reopening', () => {
    const dir = `${tempDir()}/spool`;
    const s = Spool.open(dir, { capacityBytes: 1 << 20, whenFull: 'block', fsync: 'never' });
    s.push('abc-1', 3, 'lp', Buffer.from('a b=1i 1'));
    s.push('abc-2', 7, 'protobuf', new Uint8Array([1, 2, 3]));
    const e1 = s.pop()!;
    expect(e1).toMatchObject({ id: 'abc-1', count: 3, encoding: 'lp' });
    expect(e1.body.toString()).toBe('a b=1i 1');
    s.ack(e1.recordId);
    s.close();
    const again = Spool.open(dir, { capacityBytes: 1 << 20, whenFull: 'block', fsync: 'never' });
    expect(again.pending).toBe(1);
    const e2 = again.pop()!;
    expect(e2).toMatchObject({ id: 'abc-2', count: 7, encoding: 'protobuf' });
    again.nack(e2.recordId);
    expect(again.pop()!.id).toBe('abc-2');
    again.close();
  });

  it('refuses with PLK_ERR_OFFLOAD_FULL when full under block', () => {
    const s = Spool.open(`${tempDir()}/spool`, { capacityBytes: 4096, whenFull: 'block', fsync: 'never' });
    const big = new Uint8Array(1500);
    s.push('1', 1, 'lp', big);
    s.push('2', 1, 'lp', big);
    expect(() => s.push('3', 1, 'lp', big)).toThrow(
      expect.objectContaining({ code: 'PLK_ERR_OFFLOAD_FULL' }),
    );
    s.close();
  });
});

describe('offloaderOptionsFromConfig', () => {
  const cfg = {
    enabled: true,
    receiver: 'ploffload' as const,
    addresses: ['http://10.0.0.2:9529/x'],
    targets: ['http://10.0.0.2:9529'],
    batchSize: 64,
    flushIntervalMs: 50,
    balance: 'least_pending' as const,
    affinityKeys: [],
    healthCheckIntervalMs: 2000,
    spoolPath: '/data/offload-spool',
    spoolCapacityMiB: 10,
    token: 't',
    tlsCa: '',
    tlsInsecureSkipVerify: true,
    timeoutMs: 5000,
    whenFull: 'drop_oldest' as const,
  };

  it('maps every key and adds the agent-side extras', () => {
    const o = offloaderOptionsFromConfig(cfg, { selfListen: 'localhost:9529' });
    expect(o).toMatchObject({
      receiver: 'ploffload',
      addresses: cfg.addresses,
      spoolPath: cfg.spoolPath,
      batchSize: 64,
      flushIntervalMs: 50,
      balance: 'least_pending',
      healthCheckIntervalMs: 2000,
      spoolCapacityMiB: 10,
      whenFull: 'drop_oldest',
      token: 't',
      tlsInsecureSkipVerify: true,
      timeoutMs: 5000,
      selfListen: 'localhost:9529',
    });
    expect(o.tlsCaPem).toBeUndefined();
  });

  it('reads the CA file, and says which file it could not read', () => {
    const dir = tempDir();
    writeFileSync(`${dir}/ca.pem`, '-----BEGIN CERTIFICATE-----\n');
    expect(offloaderOptionsFromConfig({ ...cfg, tlsCa: `${dir}/ca.pem` }).tlsCaPem).toContain('BEGIN');
    expect(() => offloaderOptionsFromConfig({ ...cfg, tlsCa: `${dir}/missing.pem` })).toThrow(
      /tls_ca: cannot read .*missing\.pem/,
    );
  });
});
