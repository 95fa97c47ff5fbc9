import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BatchIdWindow,
  decodeRequestRecord,
  encodeRequestRecord,
  isUsableBatchId,
} from '../../../src/inputs/ploffload/index.js';
import { tempDir } from './harness.js';

describe('BatchIdWindow', () => {
  it('remembers ids for the window, then forgets them', () => {
    let now = 1_000_000;
    const w = BatchIdWindow.open(null, { windowMs: 1000, now: () => now });
    w.add('a');
    expect(w.has('a')).toBe(true);
    expect(w.has('b')).toBe(false);
    now += 1001;
    expect(w.has('a')).toBe(false);
  });

  it('forgets the oldest ids beyond maxIds', () => {
    const w = BatchIdWindow.open(null, { maxIds: 3 });
    for (const id of ['a', 'b', 'c', 'd']) w.add(id);
    expect(['a', 'b', 'c', 'd'].map((id) => w.has(id))).toEqual([false, true, true, true]);
    expect(w.size).toBe(3);
  });

  it('persists across reopening, skipping expired entries and a torn last line', () => {
    const path = join(tempDir(), 'state', 'batch-ids.log');
    let now = 5_000_000;
    const w = BatchIdWindow.open(path, { windowMs: 10_000, now: () => now });
    w.add('old');
    now += 6000;
    w.add('new-1');
    w.add('new-2');
    w.close();
    appendFileSync(path, `${now} torn-without-newl`);
    now += 5000; // 'old' is now 11 s old
    const again = BatchIdWindow.open(path, { windowMs: 10_000, now: () => now });
    expect(again.has('old')).toBe(false);
    expect(again.has('new-1')).toBe(true);
    expect(again.has('new-2')).toBe(true);
    expect(again.has('torn-without-newl')).toBe(false);
    again.close();
    // reopening rewrote the file compacted
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('compacts the file as it grows', () => {
    const path = join(tempDir(), 'ids.log');
    const w = BatchIdWindow.open(path, { maxIds: 10 });
    for (let i = 0; i < 3000; i++) w.add(`id-${i}`);
    w.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(1030);
    const again = BatchIdWindow.open(path, { maxIds: 10 });
    expect(again.has('id-2999')).toBe(true);
    expect(again.has('id-0')).toBe(false);
    again.close();
  });

  it.each([
    ['abc-1', true],
    ['3f9a0c2b1d4e-1z.a.b@2', true],
    ['', false],
    ['with space', false],
    ['x'.repeat(201), false],
    [['a', 'b'], false],
    [undefined, false],
  ])('isUsableBatchId(%j) = %s', (id, ok) => {
    expect(isUsableBatchId(id)).toBe(ok);
  });
});

describe('disk-cache request records', () => {
  it('round-trip, and refuse what they cannot read', () => {
    const rec = {
      category: 'logging' as const,
      contentType: 'application/protobuf; proto=com.guance.Point',
      query: 'input=x',
      batchId: 'b-1',
      receivedNs: 1700000000000000001n,
      body: new Uint8Array([1, 2, 3]),
    };
    const back = decodeRequestRecord(encodeRequestRecord(rec))!;
    expect({ ...back, body: [...back.body] }).toEqual({ ...rec, body: [1, 2, 3] });
    expect(decodeRequestRecord(Buffer.from([0, 0]))).toBeNull();
    expect(decodeRequestRecord(Buffer.from([0, 0, 0, 9, 1]))).toBeNull();
    const bad = Buffer.from('{"v":2}');
    const framed = Buffer.concat([Buffer.from([0, 0, 0, bad.length]), bad]);
    expect(decodeRequestRecord(framed)).toBeNull();
  });
});
