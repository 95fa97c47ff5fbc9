/**
 * The local DataWay's point store: the request bodies it accepted, indexed
 * so queries can find the newest points and count them, plus the package
 * ids already accepted so that a retried upload is stored once.
 *
 * Layout (SQLite): `bodies` holds each accepted body as received (see
 * stored-body.ts; points are decoded again on read), `runs` one row per
 * body and measurement name with that name's newest point time (what
 * `newest` walks, see newest-points.ts), `totals` the point count per
 * category and name (so counting never scans). A write costs one body row
 * and a row or two per table, whatever the number of points — this store
 * is an upload target under load in benchmarks, so the write path is what
 * is kept cheap; reads decode the few bodies they need.
 *
 * Durability: WAL journal with `synchronous=NORMAL` — a committed request
 * survives a crash of this process (what end-to-end tests exercise); a power
 * loss may drop the last few commits, acceptable for a local test target.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Category } from '../point/category.js';
import type { Point } from '../point/point.js';
import { type BodyIndex, indexPoints } from './body-index.js';
import { pickNewest, type Run } from './newest-points.js';
import {
  isBodyFormat,
  readStoredBody,
  type StoredBody,
  StoredBodyError,
  type StoredPoint,
  typedBody,
  typedBodyOfTexts,
  typedText,
} from './stored-body.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bodies (
  id          INTEGER PRIMARY KEY,
  category    TEXT    NOT NULL,
  format      TEXT    NOT NULL,
  coding      TEXT    NOT NULL,
  now_ns      INTEGER NOT NULL,
  points      INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  data        BLOB    NOT NULL
);
CREATE INDEX IF NOT EXISTS bodies_category ON bodies (category);
CREATE TABLE IF NOT EXISTS runs (
  category    TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  max_time    INTEGER NOT NULL,
  body_id     INTEGER NOT NULL,
  PRIMARY KEY (category, name, max_time, body_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS runs_category_time ON runs (category, max_time, body_id);
CREATE TABLE IF NOT EXISTS totals (
  category    TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  points      INTEGER NOT NULL,
  PRIMARY KEY (category, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS packages (
  pkg_id      TEXT    PRIMARY KEY,
  category    TEXT    NOT NULL,
  points      INTEGER NOT NULL,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Rows of an older database (one row per point) are moved into bodies of this many points. */
const LEGACY_BODY_POINTS = 1000;

export interface InsertResult {
  /** Points written by this call (0 for a package seen before). */
  stored: number;
  /** The package id was already accepted; nothing was written. */
  duplicate: boolean;
}

export interface ReceivedPoint {
  /** Typed-shape JSON. */
  text: string;
  /** When the request that carried it was received (ms since the epoch). */
  receivedAtMs: number;
}

export interface CategoryCount {
  category: string;
  count: number;
}

type Stmt = Database.Statement<unknown[], unknown>;

export class PointStore {
  readonly #db: Database.Database;
  readonly #insertPkg: Stmt;
  readonly #insertBody: Stmt;
  readonly #insertRun: Stmt;
  readonly #addTotal: Stmt;
  readonly #body: Stmt;
  readonly #runsByName: Stmt;
  readonly #runsByCategory: Stmt;
  readonly #bodiesNewestFirst: Stmt;
  readonly #countByName: Stmt;
  readonly #countByCategory: Stmt;
  readonly #countsAll: Stmt;
  readonly #bodiesInOrder: Stmt;
  readonly #insertTx: (
    category: string,
    body: StoredBody,
    index: BodyIndex,
    pkgId: string | undefined,
    at: number,
  ) => InsertResult;
  #closed = false;

  /**
   * Open (creating when needed) the database at `path`; `:memory:` works for
   * tests. `readOnly` opens an existing database that another process may be
   * writing, for reading only (tests and benchmarks inspecting a DataWay).
   */
  constructor(path: string, opts: { readOnly?: boolean } = {}) {
    const readOnly = opts.readOnly === true;
    if (!readOnly && path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path, readOnly ? { readonly: true, fileMustExist: true } : {});
    const db = this.#db;
    db.pragma('busy_timeout = 5000');
    if (readOnly) {
      const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bodies'").get();
      if (has === undefined) {
        db.close();
        throw new Error(
          `${path}: not a local DataWay database of this layout (open it writable once to upgrade)`,
        );
      }
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
    }

    this.#insertPkg = db.prepare(
      'INSERT OR IGNORE INTO packages (pkg_id, category, points, received_at) VALUES (?, ?, ?, ?)',
    );
    this.#insertBody = db.prepare(
      'INSERT INTO bodies (category, format, coding, now_ns, points, received_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#insertRun = db.prepare('INSERT INTO runs (category, name, max_time, body_id) VALUES (?, ?, ?, ?)');
    this.#addTotal = db.prepare(
      'INSERT INTO totals (category, name, points) VALUES (?, ?, ?) ' +
        'ON CONFLICT (category, name) DO UPDATE SET points = points + excluded.points',
    );
    this.#body = db
      .prepare('SELECT format, coding, now_ns, data FROM bodies WHERE id = ?')
      .safeIntegers(true);
    this.#runsByName = db
      .prepare(
        'SELECT body_id, max_time FROM runs WHERE category = ? AND name = ? ORDER BY max_time DESC, body_id DESC',
      )
      .safeIntegers(true);
    this.#runsByCategory = db
      .prepare('SELECT body_id, max_time FROM runs WHERE category = ? ORDER BY max_time DESC, body_id DESC')
      .safeIntegers(true);
    this.#bodiesNewestFirst = db.prepare('SELECT id FROM bodies WHERE category = ? ORDER BY id DESC');
    this.#countByName = db.prepare('SELECT points AS n FROM totals WHERE category = ? AND name = ?');
    this.#countByCategory = db.prepare('SELECT COALESCE(SUM(points), 0) AS n FROM totals WHERE category = ?');
    this.#countsAll = db.prepare(
      'SELECT category, SUM(points) AS n FROM totals GROUP BY category HAVING n > 0 ORDER BY category',
    );

    // One transaction per request: the package id, the body and its index
    // rows commit together, so a crash never leaves a package marked seen
    // but unstored, nor a body half counted.
    this.#insertTx = db.transaction(
      (
        category: string,
        body: StoredBody,
        index: BodyIndex,
        pkgId: string | undefined,
        at: number,
      ): InsertResult => {
        const points = index.points;
        if (pkgId !== undefined && this.#insertPkg.run(pkgId, category, points, at).changes === 0) {
          return { stored: 0, duplicate: true };
        }
        const id = this.#insertBody.run(
          category,
          body.format,
          body.coding,
          body.now,
          points,
          at,
          body.data,
        ).lastInsertRowid;
        const runs = index.runs;
        for (let i = 0; i < runs.length; i++) {
          const r = runs[i]!;
          this.#insertRun.run(category, r.name, r.maxTime, id);
          this.#addTotal.run(category, r.name, r.points);
        }
        return { stored: points, duplicate: false };
      },
    );
    this.#bodiesInOrder = db.prepare('SELECT id, received_at FROM bodies WHERE category = ? ORDER BY id');
    if (!readOnly) {
      migrateLegacy(db, (category, body, index, at) => this.#insertTx(category, body, index, undefined, at));
    }
  }

  /**
   * Store one request: `body` as received, `index` the names and times of
   * the points decoding it gives (see body-index.ts; decoding `body` on
   * read must give those points). With `pkgId`, a package accepted before
   * is acknowledged without storing it again.
   */
  insertBody(
    category: Category,
    body: StoredBody,
    index: BodyIndex,
    pkgId?: string,
    receivedAtMs = Date.now(),
  ): InsertResult {
    return this.#insertTx(category, body, index, pkgId === '' ? undefined : pkgId, receivedAtMs);
  }

  /** Store points that did not arrive as a body (they are kept in the typed shape). */
  insertBatch(
    category: Category,
    points: readonly Point[],
    pkgId?: string,
    receivedAtMs = Date.now(),
  ): InsertResult {
    return this.insertBody(category, typedBody(points), indexPoints(points), pkgId, receivedAtMs);
  }

  /**
   * The `limit` newest points (by point time, then arrival) of a category,
   * optionally of one measurement, oldest first, as typed-shape JSON texts.
   */
  newest(category: Category, name: string | undefined, limit: number): string[] {
    const rows =
      name === undefined ? this.#runsByCategory.iterate(category) : this.#runsByName.iterate(category, name);
    const picked = pickNewest(runRows(rows as Iterable<RunRow>), limit, name, (id) =>
      this.#loadBody(id, category),
    );
    const out: string[] = new Array(picked.length);
    for (let i = 0; i < picked.length; i++) out[i] = typedText(picked[i]!);
    return out;
  }

  count(category: Category, name?: string): number {
    const row = (
      name === undefined ? this.#countByCategory.get(category) : this.#countByName.get(category, name)
    ) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  /** The `limit` most recently received points of a category, newest first. */
  latestReceived(category: Category, limit: number): string[] {
    const out: string[] = [];
    if (limit <= 0) return out;
    const ids = this.#bodiesNewestFirst.iterate(category) as Iterable<{ id: number }>;
    for (const { id } of ids) {
      const pts = this.#loadBody(id, category);
      for (let i = pts.length - 1; i >= 0 && out.length < limit; i--) out.push(typedText(pts[i]!));
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Every stored point of a category, optionally of one measurement, in
   * arrival order with the time its request was received. Decodes every
   * body: for tests and benchmarks, not for serving.
   */
  received(category: Category, name?: string): ReceivedPoint[] {
    const out: ReceivedPoint[] = [];
    const bodies = this.#bodiesInOrder.all(category) as { id: number; received_at: number }[];
    for (let b = 0; b < bodies.length; b++) {
      const { id, received_at } = bodies[b]!;
      const pts = this.#loadBody(id, category);
      for (let i = 0; i < pts.length; i++) {
        const p = pts[i]!;
        if (name === undefined || p.name === name)
          out.push({ text: typedText(p), receivedAtMs: received_at });
      }
    }
    return out;
  }

  /** Point count of every category holding any point. */
  counts(): CategoryCount[] {
    const rows = this.#countsAll.all() as { category: string; n: number }[];
    return rows.map((r) => ({ category: r.category, count: r.n }));
  }

  /** Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #loadBody(id: number, category: Category): StoredPoint[] {
    const row = this.#body.get(id) as
      | { format: string; coding: string; now_ns: bigint; data: Uint8Array }
      | undefined;
    const where = `stored body ${id}`;
    if (row === undefined) throw new StoredBodyError(`${where}: missing`);
    if (!isBodyFormat(row.format))
      throw new StoredBodyError(`${where}: unknown format ${JSON.stringify(row.format)}`);
    return readStoredBody(
      { format: row.format, coding: row.coding, data: row.data, now: row.now_ns },
      category,
      where,
    );
  }
}

interface RunRow {
  body_id: bigint;
  max_time: bigint;
}

function* runRows(rows: Iterable<RunRow>): Generator<Run> {
  for (const r of rows) yield { bodyId: Number(r.body_id), maxTime: r.max_time };
}

/**
 * A database written before bodies were stored kept one `points` row per
 * point (typed JSON text). Those rows become `typed` bodies, in arrival
 * order and keeping their category, and the old table is dropped — all in
 * one transaction, once.
 */
function migrateLegacy(
  db: Database.Database,
  insert: (category: string, body: StoredBody, index: BodyIndex, at: number) => void,
): void {
  const legacy = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'points'").get();
  if (legacy === undefined) return;
  // Pages, not one iterator: the connection cannot write while a query iterates.
  const page = db
    .prepare(
      'SELECT id, category, name, time_ns, point, received_at FROM points WHERE id > ? ORDER BY id LIMIT ?',
    )
    .safeIntegers(true);
  db.transaction(() => {
    let after = -1n;
    for (;;) {
      const rows = page.all(after, LEGACY_BODY_POINTS) as LegacyRow[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      let from = 0;
      for (let i = 1; i <= rows.length; i++) {
        if (i < rows.length && rows[i]!.category === rows[from]!.category) continue;
        const part = rows.slice(from, i);
        insert(
          part[0]!.category,
          typedBodyOfTexts(part.map((r) => r.point)),
          indexPoints(part.map((r) => ({ name: r.name, time: r.time_ns }))),
          Number(part[0]!.received_at),
        );
        from = i;
      }
    }
    db.exec('DROP TABLE points');
  })();
}

interface LegacyRow {
  id: bigint;
  category: string;
  name: string;
  time_ns: bigint;
  point: string;
  received_at: bigint;
}
