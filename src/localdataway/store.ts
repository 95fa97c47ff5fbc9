/**
 * The local DataWay's point store: one SQLite table of points, kept in the
 * conformance typed shape so what comes back out is exactly what a test or
 * a human wants to compare, plus the package ids already accepted so that a
 * retried upload is stored once.
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
import { toTyped } from '../point/typed-json.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS points (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  category    TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  time_ns     INTEGER NOT NULL,
  point       TEXT    NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS points_category_name_time ON points (category, name, time_ns);
CREATE INDEX IF NOT EXISTS points_category_id ON points (category, id);
CREATE INDEX IF NOT EXISTS points_category_time ON points (category, time_ns);
CREATE TABLE IF NOT EXISTS packages (
  pkg_id      TEXT    PRIMARY KEY,
  category    TEXT    NOT NULL,
  points      INTEGER NOT NULL,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

export interface InsertResult {
  /** Points written by this call (0 for a package seen before). */
  stored: number;
  /** The package id was already accepted; nothing was written. */
  duplicate: boolean;
}

export interface CategoryCount {
  category: string;
  count: number;
}

type Stmt = Database.Statement<unknown[], unknown>;

export class PointStore {
  readonly #db: Database.Database;
  readonly #insertPoint: Stmt;
  readonly #insertPkg: Stmt;
  readonly #newestByName: Stmt;
  readonly #newestByCategory: Stmt;
  readonly #countByName: Stmt;
  readonly #countByCategory: Stmt;
  readonly #latestReceived: Stmt;
  readonly #countsAll: Stmt;
  readonly #insertTx: (
    category: string,
    texts: PreparedPoint[],
    pkgId: string | undefined,
    at: number,
  ) => InsertResult;
  #closed = false;

  /** Open (creating when needed) the database at `path`; `:memory:` works for tests. */
  constructor(path: string) {
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SCHEMA);

    const db = this.#db;
    this.#insertPoint = db.prepare(
      'INSERT INTO points (category, name, time_ns, point, received_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#insertPkg = db.prepare(
      'INSERT OR IGNORE INTO packages (pkg_id, category, points, received_at) VALUES (?, ?, ?, ?)',
    );
    this.#newestByName = db.prepare(
      'SELECT point FROM points WHERE category = ? AND name = ? ORDER BY time_ns DESC, id DESC LIMIT ?',
    );
    this.#newestByCategory = db.prepare(
      'SELECT point FROM points WHERE category = ? ORDER BY time_ns DESC, id DESC LIMIT ?',
    );
    this.#countByName = db.prepare('SELECT COUNT(*) AS n FROM points WHERE category = ? AND name = ?');
    this.#countByCategory = db.prepare('SELECT COUNT(*) AS n FROM points WHERE category = ?');
    this.#latestReceived = db.prepare('SELECT point FROM points WHERE category = ? ORDER BY id DESC LIMIT ?');
    this.#countsAll = db.prepare(
      'SELECT category, COUNT(*) AS n FROM points GROUP BY category ORDER BY category',
    );

    // One transaction per request: the package id and its points commit
    // together, so a crash never leaves a package marked seen but unstored.
    this.#insertTx = db.transaction(
      (category: string, pts: PreparedPoint[], pkgId: string | undefined, at: number): InsertResult => {
        if (pkgId !== undefined && this.#insertPkg.run(pkgId, category, pts.length, at).changes === 0) {
          return { stored: 0, duplicate: true };
        }
        for (let i = 0; i < pts.length; i++) {
          const p = pts[i]!;
          this.#insertPoint.run(category, p.name, p.time, p.text, at);
        }
        return { stored: pts.length, duplicate: false };
      },
    );
  }

  /**
   * Store one request's points. With `pkgId`, a package accepted before is
   * acknowledged without storing it again.
   */
  insertBatch(
    category: Category,
    points: readonly Point[],
    pkgId?: string,
    receivedAtMs = Date.now(),
  ): InsertResult {
    // Serialise before the transaction opens so the write lock is held briefly.
    const prepared: PreparedPoint[] = new Array(points.length);
    for (let i = 0; i < points.length; i++) {
      const pt = points[i]!;
      prepared[i] = { name: pt.name, time: pt.time, text: JSON.stringify(toTyped(pt)) };
    }
    return this.#insertTx(category, prepared, pkgId === '' ? undefined : pkgId, receivedAtMs);
  }

  /**
   * The `limit` newest points (by point time, then arrival) of a category,
   * optionally of one measurement, oldest first, as typed-shape JSON texts.
   */
  newest(category: Category, name: string | undefined, limit: number): string[] {
    const rows = (
      name === undefined
        ? this.#newestByCategory.all(category, limit)
        : this.#newestByName.all(category, name, limit)
    ) as { point: string }[];
    const out: string[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[rows.length - 1 - i] = rows[i]!.point;
    return out;
  }

  count(category: Category, name?: string): number {
    const row = (
      name === undefined ? this.#countByCategory.get(category) : this.#countByName.get(category, name)
    ) as { n: number };
    return row.n;
  }

  /** The `limit` most recently received points of a category, newest first. */
  latestReceived(category: Category, limit: number): string[] {
    const rows = this.#latestReceived.all(category, limit) as { point: string }[];
    return rows.map((r) => r.point);
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
}

interface PreparedPoint {
  name: string;
  time: bigint;
  text: string;
}
