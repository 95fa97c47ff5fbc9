import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PointStore } from '../../src/localdataway/store.js';
import { Point } from '../../src/point/point.js';
import { UInt } from '../../src/point/value.js';

function pt(name: string, time: bigint, fields: Record<string, unknown> = { v: 1n }): Point {
  return new Point(name, new Map([['host', 'h1']]), new Map(Object.entries(fields)) as Point['fields'], time);
}

const stores: PointStore[] = [];
const dirs: string[] = [];
function open(path = ':memory:'): PointStore {
  const s = new PointStore(path);
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('PointStore', () => {
  it('stores large requests (several multi-row inserts and a remainder) whole and in arrival order', () => {
    const s = open();
    const pts = Array.from({ length: 101 }, (_, i) => pt('big', BigInt(1000 - i), { n: BigInt(i) }));
    expect(s.insertBatch('logging', pts, 'pkg-big')).toEqual({ stored: 101, duplicate: false });
    const got = s.latestReceived('logging', 200).map((t) => JSON.parse(t).fields.n.i);
    expect(got).toHaveLength(101);
    expect(new Set(got).size).toBe(101);
    // newest first by arrival
    expect(got[0]).toBe('100');
    expect(got[100]).toBe('0');
    expect(s.insertBatch('logging', pts, 'pkg-big')).toEqual({ stored: 0, duplicate: true });
  });

  it('stores points in the typed shape and reads the newest back oldest first', () => {
    const s = open();
    s.insertBatch('logging', [pt('nginx', 3n), pt('nginx', 1n), pt('redis', 2n), pt('nginx', 2n)]);
    const all = s.newest('logging', 'nginx', 10).map((t) => JSON.parse(t));
    expect(all.map((p) => p.time_ns)).toEqual(['1', '2', '3']);
    expect(all[0]).toEqual({ name: 'nginx', time_ns: '1', tags: { host: 'h1' }, fields: { v: { i: '1' } } });
    expect(s.newest('logging', 'nginx', 2).map((t) => JSON.parse(t).time_ns)).toEqual(['2', '3']);
    expect(s.newest('logging', undefined, 3).map((t) => JSON.parse(t).name)).toEqual([
      'redis',
      'nginx',
      'nginx',
    ]);
    expect(s.newest('metric', undefined, 3)).toEqual([]);
  });

  it('keeps value kinds and int64 times exactly', () => {
    const s = open();
    const big = 9_223_372_036_854_775_807n;
    s.insertBatch('metric', [pt('m', big, { i: -5n, u: new UInt(18446744073709551615n), f: 1.5, b: true })]);
    const [p] = s.newest('metric', 'm', 1).map((t) => JSON.parse(t));
    expect(p.time_ns).toBe(big.toString());
    expect(p.fields).toEqual({
      i: { i: '-5' },
      u: { u: '18446744073709551615' },
      f: { f: 1.5 },
      b: { b: true },
    });
  });

  it('orders points with equal times by arrival', () => {
    const s = open();
    s.insertBatch('logging', [pt('a', 5n, { n: 1n }), pt('a', 5n, { n: 2n })]);
    s.insertBatch('logging', [pt('a', 5n, { n: 3n })]);
    expect(s.newest('logging', 'a', 10).map((t) => JSON.parse(t).fields.n.i)).toEqual(['1', '2', '3']);
  });

  it('counts per category and name', () => {
    const s = open();
    s.insertBatch('logging', [pt('a', 1n), pt('a', 2n), pt('b', 3n)]);
    s.insertBatch('metric', [pt('cpu', 1n)]);
    expect(s.count('logging')).toBe(3);
    expect(s.count('logging', 'a')).toBe(2);
    expect(s.count('logging', 'zzz')).toBe(0);
    expect(s.counts()).toEqual([
      { category: 'logging', count: 3 },
      { category: 'metric', count: 1 },
    ]);
  });

  it('stores a package id once and acknowledges the retry without storing', () => {
    const s = open();
    expect(s.insertBatch('logging', [pt('a', 1n), pt('a', 2n)], 'pkg-1')).toEqual({
      stored: 2,
      duplicate: false,
    });
    expect(s.insertBatch('logging', [pt('a', 1n), pt('a', 2n)], 'pkg-1')).toEqual({
      stored: 0,
      duplicate: true,
    });
    expect(s.insertBatch('logging', [pt('a', 3n)], 'pkg-2')).toEqual({ stored: 1, duplicate: false });
    expect(s.insertBatch('logging', [pt('a', 4n)], '')).toEqual({ stored: 1, duplicate: false });
    expect(s.insertBatch('logging', [pt('a', 4n)])).toEqual({ stored: 1, duplicate: false });
    expect(s.count('logging')).toBe(5);
  });

  it('lists the most recently received points newest first', () => {
    const s = open();
    s.insertBatch('logging', [pt('a', 9n), pt('b', 1n), pt('c', 5n)]);
    expect(s.latestReceived('logging', 2).map((t) => JSON.parse(t).name)).toEqual(['c', 'b']);
  });

  it('creates the folder, uses WAL and keeps data and package ids across reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plkit-ldw-store-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'dw.db');
    const a = new PointStore(file);
    a.insertBatch('logging', [pt('a', 1n)], 'p1');
    a.close();
    a.close(); // idempotent
    const b = open(file);
    expect(b.count('logging')).toBe(1);
    expect(b.insertBatch('logging', [pt('a', 1n)], 'p1').duplicate).toBe(true);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const idx = (
      raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(idx).toEqual(
      expect.arrayContaining(['points_category_name_time', 'points_category_id', 'points_category_time']),
    );
    raw.close();
  });
});
