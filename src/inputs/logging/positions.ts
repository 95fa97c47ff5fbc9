/**
 * Where each tailed file was read up to, saved across restarts.
 *
 * A position only ever moves past lines whose points are delivered (the
 * shipper tells the tailer, the tailer tells this store), so a restart
 * re-reads at most what was in flight: at-least-once, never a gap.
 *
 * A file is known by its path *and* inode: after a rotation the path names
 * a new file that must start at 0, and a renamed file keeps its inode but
 * not its path. The store is one small JSON document rewritten atomically
 * (temp file, fsync, rename) at most every `flushMs`, and at stop; a lost
 * last flush means re-reading those lines, not losing them.
 *
 * On the first run on a host where DataKit tailed the files (no plkit
 * positions yet, DataKit's `cache/logtail.history` beside them), DataKit's
 * positions are taken over once, so switching a host from DataKit to
 * plkit neither re-sends what DataKit sent nor skips what it had not.
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../../common/logger.js';

export interface SavedPosition {
  path: string;
  ino: number;
  offset: number;
  /** Unix ms of the last change, so entries of files gone for long are pruned. */
  at: number;
}

/** Entries of files not seen for this long are dropped (a week, as a rotated-away file is gone by then). */
const FORGET_AFTER_MS = 7 * 24 * 3600 * 1000;
const FORMAT = 'plkit-logging-positions/1';

export interface PositionStoreOptions {
  file: string;
  /** DataKit's positions (`cache/logtail.history`), read when `file` does not exist yet. */
  dataKitHistory?: string;
  flushMs?: number;
  logger: Logger;
  now?: () => number;
}

export function positionKey(path: string, ino: number): string {
  return `${path}::${ino}`;
}

export class PositionStore {
  readonly #file: string;
  readonly #dataKitHistory: string | undefined;
  readonly #flushMs: number;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #entries = new Map<string, SavedPosition>();
  #dirty = false;
  #timer: NodeJS.Timeout | null = null;
  #failing = false;

  constructor(o: PositionStoreOptions) {
    this.#file = o.file;
    this.#dataKitHistory = o.dataKitHistory;
    this.#flushMs = o.flushMs ?? 1000;
    this.#log = o.logger;
    this.#now = o.now ?? Date.now;
  }

  /**
   * Read the saved positions. An unreadable or damaged file is reported and
   * set aside (renamed `.damaged`), and tailing starts as on a first run:
   * the alternative — refusing to start — would stop collection over a
   * cache file.
   */
  load(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.#file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#importDataKit();
        return;
      }
      this.#log.error(
        { file: this.#file, err: (e as Error).message },
        'cannot read the logging positions file; files start as on a first run',
      );
      return;
    }
    const problem = this.#parse(text);
    if (problem !== null) {
      const aside = `${this.#file}.damaged`;
      try {
        fs.renameSync(this.#file, aside);
      } catch {
        // keep going: the next flush overwrites it
      }
      this.#log.error(
        { file: this.#file, movedTo: aside, problem },
        'logging positions file is damaged; files start as on a first run',
      );
    }
    const cutoff = this.#now() - FORGET_AFTER_MS;
    for (const [k, v] of this.#entries) if (v.at < cutoff) this.#entries.delete(k);
  }

  /**
   * DataKit's `{"history": {"<path>::<inode>": {"source", "offset"}}}`.
   * Entries without a numeric inode (DataKit could not stat the file, or
   * ran elsewhere than Linux) or without a positive offset are skipped, as
   * DataKit itself would not seek to them.
   */
  #importDataKit(): void {
    const file = this.#dataKitHistory;
    if (file === undefined) return;
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.#log.warn(
        { file, err: (e as Error).message },
        "cannot read DataKit's logtail.history; files start as on a first run",
      );
      return;
    }
    const history = (doc as { history?: unknown } | null)?.history;
    if (typeof history !== 'object' || history === null) {
      this.#log.warn({ file }, 'DataKit\'s logtail.history has no "history" object; not imported');
      return;
    }
    let taken = 0;
    let skipped = 0;
    const now = this.#now();
    for (const [key, value] of Object.entries(history)) {
      const sep = key.lastIndexOf('::');
      const ino = sep > 0 ? Number(key.slice(sep + 2)) : Number.NaN;
      const offset = (value as { offset?: unknown } | null)?.offset;
      if (
        !/^\d+$/.test(key.slice(sep + 2)) ||
        !Number.isSafeInteger(ino) ||
        !Number.isSafeInteger(offset) ||
        (offset as number) <= 0
      ) {
        skipped++;
        continue;
      }
      const path = key.slice(0, sep);
      this.#entries.set(positionKey(path, ino), { path, ino, offset: offset as number, at: now });
      taken++;
    }
    this.#log.info(
      { file, imported: taken, skipped },
      "took over DataKit's logging positions (first run on this host; DataKit's file is left as it is)",
    );
    if (taken > 0) this.#schedule();
  }

  #parse(text: string): string | null {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return `not JSON: ${(e as Error).message}`;
    }
    if (typeof doc !== 'object' || doc === null || (doc as { format?: unknown }).format !== FORMAT) {
      return `expected {"format":"${FORMAT}",…}`;
    }
    const files = (doc as { files?: unknown }).files;
    if (!Array.isArray(files)) return 'expected a "files" array';
    for (let i = 0; i < files.length; i++) {
      const f = files[i] as Partial<SavedPosition> | null;
      if (
        f === null ||
        typeof f !== 'object' ||
        typeof f.path !== 'string' ||
        !Number.isSafeInteger(f.ino) ||
        !Number.isSafeInteger(f.offset) ||
        (f.offset as number) < 0
      ) {
        return `files[${i}] is not {path, ino, offset, at}`;
      }
      const at = Number.isFinite(f.at) ? (f.at as number) : this.#now();
      this.#entries.set(positionKey(f.path, f.ino as number), {
        path: f.path,
        ino: f.ino as number,
        offset: f.offset as number,
        at,
      });
    }
    return null;
  }

  get(path: string, ino: number): number | undefined {
    return this.#entries.get(positionKey(path, ino))?.offset;
  }

  set(path: string, ino: number, offset: number): void {
    const k = positionKey(path, ino);
    const e = this.#entries.get(k);
    if (e !== undefined && e.offset === offset) return;
    this.#entries.set(k, { path, ino, offset, at: this.#now() });
    this.#schedule();
  }

  /** Forget a file (it was removed, or a new file took its path). */
  delete(path: string, ino: number): void {
    if (this.#entries.delete(positionKey(path, ino))) this.#schedule();
  }

  get size(): number {
    return this.#entries.size;
  }

  #schedule(): void {
    this.#dirty = true;
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, this.#flushMs);
    this.#timer.unref();
  }

  /** Write now if anything changed. Errors are logged once per failing streak, and retried at the next change. */
  flush(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (!this.#dirty) return;
    const doc = { format: FORMAT, files: [...this.#entries.values()] };
    const tmp = `${this.#file}.tmp`;
    try {
      fs.mkdirSync(dirname(this.#file), { recursive: true });
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, JSON.stringify(doc));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.#file);
      this.#dirty = false;
      if (this.#failing) this.#log.info({ file: this.#file }, 'logging positions saved again');
      this.#failing = false;
    } catch (e) {
      if (!this.#failing) {
        this.#log.error(
          { file: this.#file, err: (e as Error).message },
          'cannot save logging positions; a restart would re-read lines delivered since the last save',
        );
      }
      this.#failing = true;
      this.#schedule();
    }
  }

  close(): void {
    this.flush();
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
