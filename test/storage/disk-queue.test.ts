import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DiskQueue,
  inspectQueue,
  type QueueEvent,
  type QueueFs,
  realFs,
  repairQueue,
} from '../../src/storage/index.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'plkit-q-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function drain(q: DiskQueue, ack = true): string[] {
  const out: string[] = [];
  for (let r = q.pop(); r !== null; r = q.pop()) {
    out.push(dec(r.payload));
    if (ack) q.ack(r.id);
  }
  return out;
}

function segFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.startsWith('seg-'))
    .sort();
}

describe('DiskQueue', () => {
  it('delivers in order and forgets acknowledged records across reopen', () => {
    const dir = tmp();
    const q = DiskQueue.open(dir, { fsync: 'never' });
    for (let i = 0; i < 5; i++) q.push(enc(`r${i}`));
    const a = q.pop()!;
    const b = q.pop()!;
    expect(dec(a.payload)).toBe('r0');
    q.ack(a.id);
    // b is in flight, not acked: delivered again after a restart
    expect(dec(b.payload)).toBe('r1');
    q.close();
    const q2 = DiskQueue.open(dir, { fsync: 'never' });
    expect(drain(q2)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(q2.stats().pending).toBe(0);
    q2.close();
    const q3 = DiskQueue.open(dir);
    expect(q3.pop()).toBeNull();
    q3.close();
  });

  it('with ackPersistMs, persists acks later: a crash right after an ack may repeat it, a close never does', async () => {
    const dir = tmp();
    const q = DiskQueue.open(dir, { fsync: 'never', ackPersistMs: 40 });
    for (let i = 0; i < 3; i++) q.push(enc(`r${i}`));
    q.ack(q.pop()!.id);
    // crash before the ledger was written: r0 comes back (at-least-once), nothing is lost
    const crashed = DiskQueue.open(dir, { fsync: 'never' });
    expect(drain(crashed, false)).toEqual(['r0', 'r1', 'r2']);
    crashed.close();
    await new Promise((r) => setTimeout(r, 80));
    // the timer wrote it: a crash now does not repeat r0
    const later = DiskQueue.open(dir, { fsync: 'never' });
    expect(drain(later, false)).toEqual(['r1', 'r2']);
    later.close();
    q.ack(q.pop()!.id);
    q.close();
    const reopened = DiskQueue.open(dir, { fsync: 'never' });
    expect(drain(reopened, false)).toEqual(['r2']);
    reopened.close();
  });

  it('with ackPersistMs, a crash after acked segments were deleted loses nothing and reports no damage', () => {
    const dir = tmp();
    const q = DiskQueue.open(dir, { fsync: 'never', ackPersistMs: 60_000, segmentBytes: 64 });
    for (let i = 0; i < 20; i++) q.push(enc(`r${i}`));
    for (let i = 0; i < 15; i++) q.ack(q.pop()!.id);
    expect(segFiles(dir).length).toBeLessThan(5);
    // crash: the ledger on disk predates these acks
    const events: string[] = [];
    const again = DiskQueue.open(dir, { fsync: 'never', onEvent: (e) => events.push(e.type) });
    const got = drain(again, false);
    expect(got.slice(-5)).toEqual(['r15', 'r16', 'r17', 'r18', 'r19']);
    expect(events).toEqual([]);
    again.close();
    q.close();
  });

  it('keeps the floor at the oldest unacknowledged record when acks come out of order', () => {
    const dir = tmp();
    const q = DiskQueue.open(dir, { fsync: 'never' });
    for (let i = 0; i < 4; i++) q.push(enc(`r${i}`));
    const recs = [q.pop()!, q.pop()!, q.pop()!, q.pop()!];
    q.ack(recs[2]!.id);
    q.ack(recs[3]!.id);
    q.ack(recs[0]!.id);
    expect(q.stats().ackFloor).toBe(recs[1]!.id);
    q.close();
    const q2 = DiskQueue.open(dir, { fsync: 'never' });
    expect(drain(q2)).toEqual(['r1']);
    q2.close();
  });

  it('nack hands a record out again before newer ones', () => {
    const q = DiskQueue.open(tmp(), { fsync: 'never' });
    q.push(enc('a'));
    q.push(enc('b'));
    const a = q.pop()!;
    q.nack(a.id);
    expect(drain(q)).toEqual(['a', 'b']);
    q.close();
  });

  it('rolls segments and deletes them once acknowledged', () => {
    const dir = tmp();
    const q = DiskQueue.open(dir, { fsync: 'never', segmentBytes: 100 });
    for (let i = 0; i < 20; i++) q.push(enc(`record-${i}-${'x'.repeat(20)}`));
    expect(segFiles(dir).length).toBeGreaterThan(5);
    expect(drain(q)).toHaveLength(20);
    expect(segFiles(dir).length).toBe(1);
    q.close();
  });

  it('drops the oldest segment when full and counts what was lost', () => {
    const events: QueueEvent[] = [];
    const q = DiskQueue.open(tmp(), {
      fsync: 'never',
      segmentBytes: 200,
      maxBytes: 1000,
      onEvent: (e) => events.push(e),
    });
    for (let i = 0; i < 50; i++) q.push(enc(`r${String(i).padStart(3, '0')}-${'y'.repeat(30)}`));
    const st = q.stats();
    expect(st.bytes).toBeLessThanOrEqual(1000);
    expect(st.droppedRecords).toBeGreaterThan(0);
    const left = drain(q);
    expect(left.length + st.droppedRecords).toBe(50);
    expect(left[left.length - 1]).toMatch(/^r049/);
    expect(events.some((e) => e.type === 'dropped')).toBe(true);
    q.close();
  });

  it('refuses pushes with PLK_ERR_QUEUE_FULL under the block policy, and accepts again after acks', () => {
    const q = DiskQueue.open(tmp(), { fsync: 'never', segmentBytes: 100, maxBytes: 300, whenFull: 'block' });
    let pushed = 0;
    expect(() => {
      for (;;) {
        q.push(enc('z'.repeat(40)));
        pushed++;
      }
    }).toThrow(expect.objectContaining({ code: 'PLK_ERR_QUEUE_FULL' }));
    expect(pushed).toBeGreaterThan(2);
    drain(q);
    q.push(enc('after'));
    expect(drain(q)).toEqual(['after']);
    q.close();
  });

  it('a failed write (disk full) leaves no partial record and the queue keeps working', () => {
    let failNext = false;
    const fs: QueueFs = {
      ...realFs,
      writeSync: (fd, b, o, l, p) => {
        if (failNext) {
          failNext = false;
          realFs.writeSync(fd, b, o, Math.min(5, l), p); // a partial write, then ENOSPC
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        }
        return realFs.writeSync(fd, b, o, l, p);
      },
    };
    const dir = tmp();
    const q = DiskQueue.open(dir, { fs, fsync: 'never' });
    q.push(enc('one'));
    failNext = true;
    expect(() => q.push(enc('two'))).toThrow(expect.objectContaining({ code: 'PLK_ERR_QUEUE_WRITE' }));
    q.push(enc('three'));
    q.close();
    const q2 = DiskQueue.open(dir);
    expect(drain(q2)).toEqual(['one', 'three']);
    expect(q2.stats().damagedRecords).toBe(0);
    q2.close();
  });

  it('skips a record with a flipped bit, counts it, and delivers the rest', () => {
    const dir = tmp();
    const q = DiskQueue.open(dir, { fsync: 'never' });
    for (let i = 0; i < 5; i++) q.push(enc(`payload-${i}`));
    q.close();
    const seg = join(dir, segFiles(dir)[0]!);
    const buf = readFileSync(seg);
    const rec = buf.length / 5; // equal-sized records
    buf[Math.floor(rec * 2 + rec / 2)]! ^= 0x10; // inside record 2's payload
    writeFileSync(seg, buf);
    expect(inspectQueue(dir).ok).toBe(false);
    const q2 = DiskQueue.open(dir);
    expect(drain(q2)).toEqual(['payload-0', 'payload-1', 'payload-3', 'payload-4']);
    expect(q2.stats().damagedRecords).toBe(1);
    q2.close();
  });

  it('cuts a torn tail after a crash and appends after it', () => {
    const dir = tmp();
    const q = DiskQueue.open(dir, { fsync: 'never' });
    q.push(enc('kept'));
    q.push(enc('torn-record'));
    // simulate kill -9 mid-write: no close, last record cut short
    const seg = join(dir, segFiles(dir)[0]!);
    truncateSync(seg, statSync(seg).size - 4);
    const q2 = DiskQueue.open(dir);
    q2.push(enc('next'));
    expect(drain(q2)).toEqual(['kept', 'next']);
    q2.close();
    q.close();
  });

  it('refuses a queue locked by another live process', () => {
    const dir = tmp();
    const q = DiskQueue.open(dir);
    q.close();
    writeFileSync(join(dir, 'lock'), '1'); // pid 1 is alive
    expect(() => DiskQueue.open(dir)).toThrow(expect.objectContaining({ code: 'PLK_ERR_QUEUE_LOCKED' }));
  });

  it('repair rewrites damaged segments so check reports clean', () => {
    const dir = tmp();
    const q = DiskQueue.open(dir, { fsync: 'never' });
    for (let i = 0; i < 3; i++) q.push(enc(`p${i}`));
    q.close();
    const seg = join(dir, segFiles(dir)[0]!);
    const buf = readFileSync(seg);
    buf[buf.length - 1]! ^= 0xff;
    writeFileSync(seg, buf);
    const before = repairQueue(dir);
    expect(before.ok).toBe(false);
    const after = inspectQueue(dir);
    expect(after.ok).toBe(true);
    expect(after.pendingRecords).toBe(2);
  });

  it('property: after random crashes and damage, no acked record returns and no corrupt payload is delivered', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 40 }), fc.boolean()), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.constantFrom('truncate', 'flip', 'none'),
        (ops, cutSeed, damage) => {
          const dir = tmp();
          const q = DiskQueue.open(dir, { fsync: 'never', segmentBytes: 256 });
          const written = new Map<bigint, string>();
          const acked = new Set<bigint>();
          for (const [s, ackIt] of ops) {
            const id = q.push(enc(s));
            written.set(id, s);
            if (ackIt) {
              const r = q.pop()!;
              q.ack(r.id);
              acked.add(r.id);
            }
          }
          // crash: no close. Damage the newest segment.
          const files = segFiles(dir);
          const seg = join(dir, files[files.length - 1]!);
          const size = statSync(seg).size;
          if (size > 0 && damage === 'truncate') truncateSync(seg, cutSeed % size);
          if (size > 0 && damage === 'flip') {
            const b = readFileSync(seg);
            b[cutSeed % size]! ^= 1 << (cutSeed % 8);
            writeFileSync(seg, b);
          }
          const q2 = DiskQueue.open(dir, { fsync: 'never' });
          const seen = new Set<bigint>();
          for (let r = q2.pop(); r !== null; r = q2.pop()) {
            expect(acked.has(r.id)).toBe(false);
            expect(seen.has(r.id)).toBe(false);
            expect(dec(r.payload)).toBe(written.get(r.id));
            seen.add(r.id);
            q2.ack(r.id);
          }
          if (damage === 'none') {
            for (const id of written.keys()) if (!acked.has(id)) expect(seen.has(id)).toBe(true);
          }
          q2.close();
          q.close();
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('crc32', () => {
  it('native and portable implementations agree', async () => {
    const { crc32, crc32js } = await import('../../src/storage/crc32.js');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (b, cut) => {
        const start = b.length === 0 ? 0 : cut % b.length;
        expect(crc32(b, start)).toBe(crc32js(b, start));
      }),
    );
    expect(crc32(new TextEncoder().encode('hello'))).toBe(907060870);
  });
});
