import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { indexPoints } from '../../src/localdataway/body-index.js';
import { PointStore } from '../../src/localdataway/store.js';
import { StoredBodyError } from '../../src/localdataway/stored-body.js';
import type { Category } from '../../src/point/category.js';
import { CONTENT_TYPES, decodeBody, type WireEncoding } from '../../src/point/codec/index.js';
import { encodeProtobuf } from '../../src/point/codec/protobuf.js';
import { Point } from '../../src/point/point.js';
import { toTyped } from '../../src/point/typed-json.js';
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
    const tables = (
      raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(tables).toEqual(['bodies', 'packages', 'runs', 'totals']);
    raw.close();
  });

  it('keeps a count of zero for unknown names and categories', () => {
    const s = open();
    expect(s.count('logging')).toBe(0);
    expect(s.count('logging', 'x')).toBe(0);
    expect(s.counts()).toEqual([]);
    expect(s.latestReceived('logging', 5)).toEqual([]);
  });
});

const NOW = 1_700_000_000_000_000_000n;

/** Store a wire body as the write route does: decoded to index it, kept as sent. */
function storeWire(
  s: PointStore,
  category: Category,
  format: WireEncoding,
  data: Uint8Array,
  coding = '',
  now = NOW,
  pkgId?: string,
) {
  const raw = coding === 'gzip' ? new Uint8Array(gunzipSync(data)) : data;
  const d = decodeBody(raw, CONTENT_TYPES[format], { category, now });
  expect(d.errors).toEqual([]);
  s.insertBody(category, { format, coding, data, now }, indexPoints(d.points), pkgId);
  return d.points.map((p) => JSON.stringify(toTyped(p)));
}

describe('PointStore wire bodies', () => {
  const mixed = [
    new Point(
      'cpu',
      new Map([['host', 'a']]),
      new Map<string, Point['fields'] extends Map<string, infer V> ? V : never>([
        ['u', new UInt(18446744073709551615n)],
        ['i', -9223372036854775808n],
        ['f', Number.NaN],
        ['d', new Uint8Array([0, 255])],
        ['arr', ['x', 'y']],
        ['ok', false],
      ]),
      0n,
      'metric',
    ),
    new Point('', new Map(), new Map([['v', 1.5]]), 7n, 'metric'),
  ];
  const bodies: [string, Category, WireEncoding, Uint8Array, string][] = [
    ['protobuf', 'metric', 'protobuf', encodeProtobuf(mixed), ''],
    ['gzip protobuf', 'metric', 'protobuf', gzipSync(encodeProtobuf(mixed)), 'gzip'],
    ['line protocol without times', 'logging', 'lp', Buffer.from('app,h=x msg="a\\\\" 5\napp b=1i\n'), ''],
    ['gzip line protocol', 'logging', 'lp', gzipSync('x.y,t.k=v f.k="s" 9'), 'gzip'],
    [
      'json',
      'logging',
      'json',
      Buffer.from(JSON.stringify([{ measurement: 'j', tags: { a: 'b' }, fields: { v: 1 }, time: 3 }])),
      '',
    ],
  ];
  it.each(bodies)(
    'reads a %s body back as the typed points decoding it gave',
    (_, cat, format, data, coding) => {
      const s = open();
      const want = storeWire(s, cat, format, data, coding);
      const got = s.latestReceived(cat, 100).reverse();
      expect(got).toEqual(want);
      const newest = s.newest(cat, undefined, 100);
      expect([...newest].sort()).toEqual([...want].sort());
      expect(s.count(cat)).toBe(want.length);
    },
  );

  it('gives points without a time the receive time of their write, also after reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plkit-ldw-store-'));
    dirs.push(dir);
    const file = join(dir, 'dw.db');
    const a = new PointStore(file);
    storeWire(a, 'logging', 'lp', Buffer.from('app msg="x"'), '', 42n);
    a.close();
    const b = open(file);
    expect(JSON.parse(b.newest('logging', 'app', 1)[0]!).time_ns).toBe('42');
  });

  it('reports a stored body that no longer decodes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plkit-ldw-store-'));
    dirs.push(dir);
    const file = join(dir, 'dw.db');
    const a = new PointStore(file);
    storeWire(a, 'logging', 'lp', Buffer.from('app msg="x" 1'));
    storeWire(a, 'logging', 'protobuf', gzipSync(encodeProtobuf([mixed[1]!])), 'gzip');
    a.close();
    const raw = new Database(file);
    raw.prepare("UPDATE bodies SET data = x'0102' WHERE format = 'lp'").run();
    raw.prepare("UPDATE bodies SET data = x'0a05' WHERE format = 'protobuf'").run();
    raw.close();
    const b = open(file);
    expect(b.count('logging')).toBe(2);
    expect(() => b.newest('logging', 'app', 1)).toThrow(StoredBodyError);
    expect(() => b.newest('logging', 'app', 1)).toThrow(/stored body 1: no longer decodes/);
    expect(() => b.newest('logging', '__default', 1)).toThrow(/stored body 2: corrupt gzip/);
  });
});

describe('PointStore read-only', () => {
  it('reads every point in arrival order with its receive time while another connection writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plkit-ldw-store-'));
    dirs.push(dir);
    const file = join(dir, 'dw.db');
    const w = open(file);
    w.insertBatch('logging', [pt('a', 5n, { n: 1n }), pt('b', 1n, { n: 2n })], undefined, 1000);
    storeWire(w, 'logging', 'lp', Buffer.from('a n=3i 0'));
    const r = new PointStore(file, { readOnly: true });
    stores.push(r);
    const rows = r.received('logging');
    expect(rows.map((x) => JSON.parse(x.text).fields.n.i)).toEqual(['1', '2', '3']);
    expect(rows[0]!.receivedAtMs).toBe(1000);
    expect(r.received('logging', 'a').map((x) => JSON.parse(x.text).fields.n.i)).toEqual(['1', '3']);
    w.insertBatch('logging', [pt('a', 9n, { n: 4n })]);
    expect(r.received('logging', 'a')).toHaveLength(3);
    expect(r.count('logging')).toBe(4);
    expect(() => r.insertBatch('logging', [pt('a', 1n)])).toThrow(/readonly/);
    expect(r.received('metric')).toEqual([]);
  });

  it('refuses a missing file and a database of the older layout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plkit-ldw-store-'));
    dirs.push(dir);
    expect(() => new PointStore(join(dir, 'none.db'), { readOnly: true })).toThrow();
    const file = join(dir, 'old.db');
    const old = new Database(file);
    old.exec('CREATE TABLE points (id INTEGER PRIMARY KEY, point TEXT)');
    old.close();
    expect(() => new PointStore(file, { readOnly: true })).toThrow(
      /not a local DataWay database of this layout/,
    );
  });
});

describe('PointStore newest', () => {
  // Random bodies of a few names with colliding times, checked against a full sort.
  it('matches a full sort by (time, arrival) for every name and limit', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let trial = 0; trial < 12; trial++) {
      const s = open();
      const all: { name: string; time: bigint; n: number }[] = [];
      let n = 0;
      const spread = [3, 20, 1000][trial % 3]!;
      for (let b = 0; b < 15; b++) {
        const pts: Point[] = [];
        for (let i = 0, size = 1 + rand(12); i < size; i++) {
          const name = ['a', 'b', 'c'][rand(3)]!;
          const time = BigInt(rand(spread) + (trial % 2 === 0 ? b * 10 : 0));
          pts.push(pt(name, time, { n: BigInt(n) }));
          all.push({ name, time, n: n++ });
        }
        s.insertBatch('logging', pts);
      }
      for (const name of [undefined, 'a', 'b', 'c', 'zz']) {
        const mine = all.filter((p) => name === undefined || p.name === name);
        const sorted = [...mine].sort((x, y) => (x.time !== y.time ? (x.time < y.time ? -1 : 1) : x.n - y.n));
        for (const limit of [1, 2, 5, 17, 60, 500]) {
          const got = s.newest('logging', name, limit).map((t) => Number(JSON.parse(t).fields.n.i));
          expect(got).toEqual(sorted.slice(-limit).map((p) => p.n));
        }
      }
    }
  });
});

describe('PointStore on a database of an older layout', () => {
  it('moves the per-point rows into bodies, keeping order, counts and package ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plkit-ldw-store-'));
    dirs.push(dir);
    const file = join(dir, 'old.db');
    const old = new Database(file);
    old.exec(`
      CREATE TABLE points (id INTEGER PRIMARY KEY AUTOINCREMENT, category TEXT NOT NULL, name TEXT NOT NULL,
        time_ns INTEGER NOT NULL, point TEXT NOT NULL, received_at INTEGER NOT NULL);
      CREATE INDEX points_category_name_time ON points (category, name, time_ns);
      CREATE TABLE packages (pkg_id TEXT PRIMARY KEY, category TEXT NOT NULL, points INTEGER NOT NULL,
        received_at INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO packages VALUES ('old-pkg', 'logging', 2, 1);
    `);
    const ins = old.prepare(
      'INSERT INTO points (category, name, time_ns, point, received_at) VALUES (?, ?, ?, ?, 1)',
    );
    const texts: string[] = [];
    old.exec('BEGIN');
    for (let i = 0; i < 2300; i++) {
      const cat = i >= 1500 && i < 1510 ? 'metric' : 'logging';
      const p = pt(i % 2 === 0 ? 'a' : 'b', 9_000_000_000_000_000_000n + BigInt(i % 7), { n: BigInt(i) });
      const text = JSON.stringify(toTyped(p));
      ins.run(cat, p.name, p.time, text);
      if (cat === 'logging') texts.push(text);
    }
    old.exec('COMMIT');
    old.close();

    const s = open(file);
    expect(s.count('logging')).toBe(2290);
    expect(s.count('logging', 'a')).toBe(1145);
    expect(s.count('metric')).toBe(10);
    expect(s.latestReceived('logging', 3000)).toEqual([...texts].reverse());
    const newest = s.newest('logging', 'b', 4).map((t) => JSON.parse(t).fields.n.i);
    // b is odd i; the newest time is 9e18+6 (i % 7 === 6); among equal times, the latest arrivals.
    expect(newest).toEqual(['2253', '2267', '2281', '2295']);
    expect(s.insertBatch('logging', [pt('a', 1n)], 'old-pkg').duplicate).toBe(true);
    s.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'points%'").all()).toEqual([]);
    raw.close();
  });
});
